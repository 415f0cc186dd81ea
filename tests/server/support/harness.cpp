#include "server/support/harness.h"

#include <unistd.h>

namespace bulwark::server::harness {
namespace {

std::string text_of(ByteView bytes) { return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()); }

store::NewDevice device_keys(const crypto::Ed25519KeyPair& auth, RegistrationId registration) {
  store::NewDevice device;
  device.registration_id = registration;
  device.auth_key = to_bytes(auth.public_key.bytes());
  device.signed_pre_key = {1, Bytes(33, std::byte{5}), Bytes(64, std::byte{1})};
  device.last_resort_kyber_pre_key = {1, Bytes(1569, std::byte{8}), Bytes(64, std::byte{2})};
  device.pre_keys = {{1, Bytes(33, std::byte{5})}, {2, Bytes(33, std::byte{5})}};
  device.kyber_pre_keys = {{2, Bytes(1569, std::byte{8}), Bytes(64, std::byte{3})}};
  return device;
}

}  // namespace

ServerHarness::ServerHarness(ServerConfig config) : config_(std::move(config)) {
  dir_ = std::filesystem::temp_directory_path() /
         ("bulwark-server-test-" + std::to_string(::getpid()) + "-" +
          ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  auto opened = store::open_sqlite_store(dir_ / "bulwark.db");
  EXPECT_TRUE(opened.has_value());
  store_ = std::make_unique<StoreExecutor>(std::move(*opened));
  limiters_ = std::make_unique<Limiters>(config_);
  sender_ = std::move(*make_code_sender("file:" + (dir_ / "codes.jsonl").string()));
  context_.reset(new ServerContext{config_, *store_, registry_, metrics_, *limiters_, *sender_, clock_, rng_,
                                   [](std::function<void()> job) { job(); }});
  context_->run_on_io = [](std::function<void()> job) { job(); };
  rng_.fill(view_key_.writable());
  context_->channels = &hub_;
  context_->bus = &bus_;
  context_->channel_view_key = &view_key_;
  auto franking = FrankingKeys::open(dir_ / "franking", FrankingSettings{}, rng_, context_->now_ms());
  EXPECT_TRUE(franking.has_value());
  franking_ = std::move(*franking);
  stamper_ = std::make_unique<FrankingStamper>(
      *franking_, clock_, [this](std::function<void()> job) { io_posted_.push_back(std::move(job)); },
      false, context_->metrics);
  context_->franking = franking_.get();
  context_->stamper = stamper_.get();
}

// Node B of a cluster: everything node-local; the store, limiters, keys and clock are shared.
struct ServerHarness::NodeB {
  Registry registry;
  ChannelHub hub;
  LocalBus local{registry, hub};
  Metrics metrics;
  std::unique_ptr<NatsBus> nats;
  std::unique_ptr<ServerContext> context;
};

void ServerHarness::join_cluster(const std::string& nats_url) {
  const auto connect = [&nats_url](LocalBus& local, std::string id) {
    NatsBusOptions options;
    options.url = nats_url;
    options.node_id = std::move(id);
    auto bus = NatsBus::connect(local, std::move(options));
    EXPECT_TRUE(bus.has_value()) << bus.error().describe();
    return std::move(*bus);
  };
  nats_a_ = connect(bus_, "node-a");
  context_->bus = nats_a_.get();
  b_ = std::make_unique<NodeB>();
  b_->nats = connect(b_->local, "node-b");
  b_->context.reset(new ServerContext{config_, *store_, b_->registry, b_->metrics, *limiters_,
                                      *sender_, clock_, rng_,
                                      [](std::function<void()> job) { job(); }});
  b_->context->run_on_io = [](std::function<void()> job) { job(); };
  b_->context->channels = &b_->hub;
  b_->context->bus = b_->nats.get();
  b_->context->channel_view_key = &view_key_;
  b_->context->franking = franking_.get();
  b_->context->stamper = stamper_.get();
}

NatsBus& ServerHarness::bus_b() { return *b_->nats; }

std::shared_ptr<FakeConnection> ServerHarness::connect_to_b() {
  auto connection = std::make_shared<FakeConnection>(*b_->context);
  connection->session().start();
  connections_.push_back(connection);
  return connection;
}

std::shared_ptr<FakeConnection> ServerHarness::authenticated_on_b(const TestDevice& device) {
  auto connection = connect_to_b();
  api::Response response = call(*connection, authenticate_request(device, *connection));
  EXPECT_EQ(response.status(), api::OK) << response.message();
  settle();
  return connection;
}

ServerHarness::~ServerHarness() {
  // The NATS buses go first, back to each node's local bus, so that no libnats thread posts
  // anything more. A push or close posted after the test's last settle() holds its connection
  // in that connection's own queue (a cycle that LeakSanitizer reports), so the queues are
  // emptied once nothing can post any more. The buses leave NATS before the registries they
  // deliver to go.
  if (nats_a_) {
    context_->bus = &bus_;
    b_->context->bus = &b_->local;
    nats_a_.reset();
    b_->nats.reset();
  }
  for (auto& connection : connections_) connection->drop_posted();
  connections_.clear();
  b_.reset();
  store_.reset();
  std::filesystem::remove_all(dir_);
}

std::shared_ptr<FakeConnection> ServerHarness::connect() {
  auto connection = std::make_shared<FakeConnection>(*context_);
  connection->session().start();
  connections_.push_back(connection);
  return connection;
}

void ServerHarness::settle() {
  for (;;) {
    bool ran = false;
    while (!io_posted_.empty()) {
      auto job = std::move(io_posted_.front());
      io_posted_.pop_front();
      job();
      ran = true;
    }
    for (auto& connection : connections_) ran = connection->run_posted() || ran;
    if (!ran && store_->idle()) {
      bool again = false;
      for (auto& connection : connections_) again = connection->run_posted() || again;
      if (!again && io_posted_.empty()) return;
    }
    if (!ran) std::this_thread::yield();
  }
}

void ServerHarness::wait_until_store_idle() {
  while (!store_->idle()) std::this_thread::yield();
}

void ServerHarness::send_frame(FakeConnection& connection, const api::Frame& frame) {
  connection.session().on_message(frame.SerializeAsString());
  settle();
}

api::Response ServerHarness::call(FakeConnection& connection, api::Request request) {
  std::uint64_t id = next_id_++;
  request.set_id(id);
  api::Frame frame;
  *frame.mutable_request() = std::move(request);
  send_frame(connection, frame);
  auto response = connection.take_response(id);
  EXPECT_TRUE(response.has_value()) << "no response to request " << id;
  return response.value_or(api::Response{});
}

TestDevice ServerHarness::add_account(std::string phone, bool discoverable) {
  TestDevice device;
  rng_.fill(device.account.bytes);
  device.auth = std::make_unique<crypto::Ed25519KeyPair>(crypto::ed25519_keypair(rng_));
  store::NewAccount account{device.account, std::move(phone), Bytes(33, std::byte{5}), discoverable, 0};
  with_store([&](store::Store& store) {
    auto id = store.register_account(account, device_keys(*device.auth, device.registration));
    ASSERT_TRUE(id.has_value()) << id.error().describe();
  });
  ++accounts_;
  return device;
}

TestDevice ServerHarness::add_device(const TestDevice& of) {
  TestDevice device;
  device.account = of.account;
  device.auth = std::make_unique<crypto::Ed25519KeyPair>(crypto::ed25519_keypair(rng_));
  device.registration = RegistrationId(of.registration.value() + 1);
  with_store([&](store::Store& store) {
    auto id = store.add_device(of.account, device_keys(*device.auth, device.registration));
    ASSERT_TRUE(id.has_value());
    device.device = *id;
  });
  return device;
}

api::Request ServerHarness::authenticate_request(const TestDevice& device, FakeConnection& connection) {
  Bytes message = api::device_auth_message(connection.session().challenge(), view_of(device.account.bytes),
                                           device.device.value(), connection.tls_exporter());
  auto signature = crypto::ed25519_sign(device.auth->secret_key, message);
  api::Request request;
  request.mutable_authenticate()->set_account_id(text_of(view_of(device.account.bytes)));
  request.mutable_authenticate()->set_device_id(device.device.value());
  request.mutable_authenticate()->set_signature(text_of(signature));
  return request;
}

std::shared_ptr<FakeConnection> ServerHarness::authenticated(const TestDevice& device) {
  auto connection = connect();
  api::Response response = call(*connection, authenticate_request(device, *connection));
  EXPECT_EQ(response.status(), api::OK) << response.message();
  settle();
  return connection;
}

void ServerHarness::with_store(const std::function<void(store::Store&)>& fn) {
  bool submitted = store_->submit([&](store::Store& store) -> Result<void> {
    fn(store);
    return {};
  }, nullptr);
  ASSERT_TRUE(submitted);
  while (!store_->idle()) std::this_thread::yield();
}

std::uint64_t ServerHarness::queue_length(const TestDevice& device) {
  std::uint64_t length = 0;
  with_store([&](store::Store& store) { length = store.queue_length({device.account, device.device}).value(); });
  return length;
}

}  // namespace bulwark::server::harness
