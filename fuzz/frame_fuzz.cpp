// The server's network entry point: whatever bytes a device sends on its WebSocket, as a
// sequence of frames, through DeviceSession (decoding, dispatch, every handler, the store
// thread) against a real SQLite store on a fake connection. Half of the inputs run on a
// session already authenticated as a fuzz device, so the account, prekey and send handlers
// are reached too.
//
// Oracles: nothing crashes; every response has a status; and data stored before — a canary
// account's queued envelope and identity key, a canary channel's post — is never changed or
// lost, whatever arrives. A canary MLS group (id 16 x 'G', epoch 0's token 32 x 'T') lets
// group sends get past the token check; the seed corpus names it.
#include "fuzz_target.h"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <limits>
#include <thread>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "api/proto/api.pb.h"
#include "channel/entry.h"
#include "crypto/hash.h"
#include "server/bus/local_bus.h"
#include "server/channel_hub.h"
#include "server/context.h"
#include "server/franking_keys.h"
#include "server/franking_stamper.h"
#include "server/device_session.h"
#include "store/sqlite_store.h"

namespace {

using namespace bulwark;

void must(bool condition) {
  if (!condition) std::abort();
}

class CountingRng final : public Rng {
 public:
  void fill(MutableByteView out) override {
    for (auto& byte : out) {
      state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
      byte = static_cast<std::byte>(state_ >> 33);
    }
  }

 private:
  std::uint64_t state_ = 1;
};

class FakeConnection final : public server::Connection {
 public:
  explicit FakeConnection(server::ServerContext& context) : session_(context, *this) {}
  void post(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    posted_.push_back(std::move(fn));
  }
  bool write(std::shared_ptr<const std::string> frame) override {
    api::Frame decoded;
    must(decoded.ParseFromString(*frame));  // the server only ever writes valid frames
    if (decoded.has_response()) {
      const api::Status status = decoded.response().status();
      must(status <= api::TOO_LARGE || status == api::FORBIDDEN);
    }
    return !closed_;
  }
  std::size_t queued_write_bytes() const override { return 0; }
  void close(std::string_view) override { closed_ = true; }
  const std::string& remote_ip() const override { return ip_; }
  ByteView tls_exporter() const override { return exporter_; }
  server::DeviceSession& session() override { return session_; }
  bool closed() const { return closed_; }
  // Runs what was posted; false when nothing was.
  bool run_posted() {
    std::deque<std::function<void()>> batch;
    {
      std::lock_guard lock(mutex_);
      batch.swap(posted_);
    }
    for (auto& fn : batch) fn();
    return !batch.empty();
  }

 private:
  std::mutex mutex_;
  std::deque<std::function<void()>> posted_;
  bool closed_ = false;
  std::string ip_ = "192.0.2.1";
  Bytes exporter_ = Bytes(32, std::byte{7});
  server::DeviceSession session_;
};

store::AccountId account_id(std::uint8_t tag) {
  store::AccountId id;
  id.bytes.fill(std::byte{tag});
  return id;
}

store::NewDevice device_keys() {
  store::NewDevice device;
  device.registration_id = RegistrationId(7);
  device.auth_key = Bytes(32, std::byte{1});
  device.signed_pre_key = {1, Bytes(33, std::byte{5}), Bytes(64, std::byte{0})};
  device.last_resort_kyber_pre_key = {1, Bytes(1569, std::byte{8}), Bytes(64, std::byte{0})};
  return device;
}

struct World {
  server::ServerConfig config;
  std::unique_ptr<server::StoreExecutor> store;
  server::Registry registry;
  server::Metrics metrics;
  std::unique_ptr<server::Limiters> limiters;
  std::unique_ptr<server::CodeSender> sender;
  SystemClock clock;
  CountingRng rng;
  server::ChannelHub hub;
  server::LocalBus bus{registry, hub};
  SecretBytes view_key{32};
  std::unique_ptr<server::FrankingKeys> franking;
  std::unique_ptr<server::FrankingStamper> stamper;
  std::unique_ptr<server::ServerContext> context;
  store::Envelope canary;
  store::Channel canary_channel;
  store::ChannelEntry canary_post;

  std::filesystem::path file;

  World() {
    // tmpfs when there is one: the store fsyncs every batch, which would dominate the run.
    auto dir = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
    file = dir / ("bulwark-frame-fuzz-" + std::to_string(::getpid()) + ".db");
    auto opened = store::open_sqlite_store(file);
    must(opened.has_value());
    store::Store& raw = **opened;
    for (std::uint8_t tag : {1, 2}) {
      store::NewAccount account{account_id(tag), "+1201555010" + std::to_string(tag), Bytes(33, std::byte{5}), true, 0};
      must(raw.register_account(account, device_keys()).has_value());
    }
    canary.id.bytes.fill(std::byte{9});
    canary.destination = {account_id(1), DeviceId(1)};
    canary.source_account = account_id(2);
    canary.source_device = DeviceId(1);
    canary.type = 1;
    canary.content = Bytes(100, std::byte{42});
    canary.expires_at_ms = std::numeric_limits<std::int64_t>::max();
    std::vector<store::Envelope> one{canary};
    must(raw.enqueue(one).has_value());
    canary = one.front();
    make_canary_channel(raw);
    const auto token_hash = crypto::sha256(Bytes(32, std::byte{'T'}));
    must(raw.create_group(store::Group{Bytes(16, std::byte{'G'}), 0, to_bytes(token_hash)})
             .has_value());
    config.requests_per_ip = {1'000'000, std::chrono::milliseconds(1)};
    config.sends_per_account = {1'000'000, std::chrono::milliseconds(1)};
    config.lookups_per_account = {1'000'000, std::chrono::milliseconds(1)};
    store = std::make_unique<server::StoreExecutor>(std::move(*opened));
    limiters = std::make_unique<server::Limiters>(config);
    sender = std::move(*server::make_code_sender("file:" + file.string() + ".codes"));
    spdlog::set_level(spdlog::level::off);
    context.reset(new server::ServerContext{config, *store, registry, metrics, *limiters, *sender, clock, rng,
                                            [](std::function<void()> job) { job(); }});
    context->channels = &hub;
    context->bus = &bus;
    context->channel_view_key = &view_key;
    // Stamps are made at once (a batch per send): every franked send reaches the store.
    auto keys = server::FrankingKeys::open(file.string() + ".franking", {}, rng, context->now_ms());
    must(keys.has_value());
    franking = std::move(*keys);
    stamper = std::make_unique<server::FrankingStamper>(
        *franking, clock, [](std::function<void()> job) { job(); }, false, context->metrics);
    context->franking = franking.get();
    context->stamper = stamper.get();
  }

  // A public channel "canary_news" with one signed post, so that channel requests reach real
  // data (its id is in the seed corpus); whatever arrives, the post must stay as it is.
  void make_canary_channel(store::Store& raw) {
    auto key = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x24}));
    must(key.has_value());
    const crypto::Ed25519PublicKey public_key = key->public_key();
    channel::Entry create;
    create.channel = channel::channel_id_for_key(public_key.bytes());
    create.seq = 1;
    create.kind = channel::EntryKind::create;
    create.profile = {"canary_news", "Canary", "", false, to_bytes(public_key.bytes())};
    must(channel::sign_with_channel_key(create, *key).has_value());
    channel::Entry post = create;
    post.seq = 2;
    post.kind = channel::EntryKind::post;
    post.text = "still here";
    must(channel::sign_with_channel_key(post, *key).has_value());
    std::copy(create.channel.begin(), create.channel.end(), canary_channel.id.bytes.begin());
    canary_channel.handle = "canary_news";
    canary_channel.owner = account_id(1);
    canary_channel.channel_key = to_bytes(public_key.bytes());
    canary_channel.create_entry = channel::encode_entry(create).value();
    must(raw.create_channel(canary_channel).has_value());
    canary_post.seq = 2;
    canary_post.kind = store::ChannelEntryKind::post;
    canary_post.entry = channel::encode_entry(post).value();
    must(raw.append_channel_entry(canary_channel.id, canary_post).has_value());
  }

  ~World() {
    context.reset();
    store.reset();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", ".codes"}) std::filesystem::remove(file.string() + suffix, ignored);
    std::filesystem::remove_all(file.string() + ".franking", ignored);
  }

  void settle(FakeConnection& connection) {
    for (;;) {
      bool ran = connection.run_posted();
      if (!ran && store->idle() && !connection.run_posted()) return;
      if (!ran) std::this_thread::yield();
    }
  }

  void check_canary() {
    store::Envelope found;
    Bytes identity;
    bool done = store->submit([&](store::Store& s) -> Result<void> {
      auto queued = BULWARK_TRY(s.queued(canary.destination, 0, 1));
      must(!queued.empty());
      found = queued.front();
      auto account = BULWARK_TRY(s.account(account_id(1)));
      must(account.has_value());
      identity = account->identity_key;
      auto post = BULWARK_TRY(s.channel_entry(canary_channel.id, 2));
      must(post.has_value() && post->entry == canary_post.entry && post->deleted_by == 0);
      return {};
    }, [](Result<void> result) { must(result.has_value()); });
    must(done);
    while (!store->idle()) std::this_thread::yield();
    must(found.id == canary.id && found.seq == canary.seq && found.content == canary.content);
    must(identity == Bytes(33, std::byte{5}));
  }
};

World& world() {
  static World instance;
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  if (size == 0) return 0;
  auto connection = std::make_shared<FakeConnection>(*w.context);
  connection->session().start();
  if (data[0] & 1) connection->session().authenticated({account_id(2), DeviceId(1)});
  w.settle(*connection);
  // The rest: frames, each a 2-byte big-endian length and that many bytes.
  std::size_t at = 1;
  for (int frames = 0; frames < 16 && at + 2 <= size && !connection->closed(); ++frames) {
    std::size_t length = (static_cast<std::size_t>(data[at]) << 8) | data[at + 1];
    at += 2;
    length = std::min(length, size - at);
    connection->session().on_message(std::string_view(reinterpret_cast<const char*>(data + at), length));
    at += length;
    w.settle(*connection);
  }
  connection->session().stop();
  w.settle(*connection);
  w.check_canary();
  return 0;
}
