#include "operator_tools.h"

#include "api/auth.h"
#include "client/group_store.h"
#include "client/uuid.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "protocol/mls/key_package.h"

namespace bulwark::e2e {
namespace {

namespace mls = protocol::mls;
constexpr auto call_timeout = std::chrono::seconds(15);
constexpr auto name_extension = static_cast<mls::ExtensionType>(0xF0B1);

std::string token_text(const mls::Group& group) {
  auto token = group.export_secret("bulwark ds epoch token", {}, 32).value();
  return bytes_text(token.view());
}

std::string token_hash_text(const mls::Group& group) {
  auto token = group.export_secret("bulwark ds epoch token", {}, 32).value();
  const auto digest = crypto::sha256(token.view());
  return bytes_text(digest);
}

void add_address(api::DeviceAddress* out, const GroupDevice& device) {
  out->set_account_id(bytes_text(client::parse_uuid(device.account).value()));
  out->set_device_id(device.device_id);
}

}  // namespace

std::string bytes_text(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string sql_account(const std::string& uuid) {
  return to_hex(client::parse_uuid(uuid).value());
}

const client::GroupEvent* find_event(const std::vector<client::GroupEvent>& events,
                                     client::GroupEvent::Kind kind) {
  for (const auto& event : events)
    if (event.kind == kind) return &event;
  return nullptr;
}

mls::Capabilities bulwark_capabilities() {
  mls::Capabilities capabilities = mls::default_capabilities();
  capabilities.extensions.push_back(name_extension);
  return capabilities;
}

RawDevice raw_device(const ServerProcess& server, const TempDir& tmp, GroupDevice& device) {
  device.client.reset();
  auto key = client::load_key_file(tmp.path() / "devices" / (device.name + ".key"), false).value();
  auto store = client::LocalStore::open(device.dir, key).value();
  RawDevice raw;
  raw.account = store->account().value().value();
  if (auto signer = client::GroupStore(*store).signer().value()) {
    raw.member = mls::Member{crypto::Ed25519SecretKey::from_seed(signer->seed.view()).value(),
                             mls::basic_credential(signer->credential), bulwark_capabilities()};
  }
  raw.connection = client::ServerConnection::open(client::parse_server_url(server.url()).value(),
                                                  client::TlsTrust{server.ca_file()}, call_timeout)
                       .value();
  auto secret =
      crypto::Ed25519SecretKey::from_seed(raw.account.auth_secret_key.view().first(32)).value();
  const Bytes message =
      api::device_auth_message(raw.connection->challenge_nonce(), raw.account.account_id,
                               raw.account.device_id, raw.connection->tls_exporter());
  const auto signature = crypto::ed25519_sign(secret, message);
  api::Request request;
  request.mutable_authenticate()->set_account_id(bytes_text(raw.account.account_id));
  request.mutable_authenticate()->set_device_id(raw.account.device_id);
  request.mutable_authenticate()->set_signature(bytes_text(signature));
  raw.call(std::move(request));
  return raw;
}

api::Response RawDevice::call(api::Request request) {
  auto response = connection->call(std::move(request), call_timeout);
  EXPECT_TRUE(response) << response.error().describe();
  if (!response) throw std::runtime_error("raw call failed");
  EXPECT_EQ(response->status(), api::OK) << response->message();
  return *response;
}

mls::KeyPackage RawDevice::take_key_package(const GroupDevice& peer) {
  api::Request take;
  take.mutable_take_key_packages()->set_account_id(
      bytes_text(client::parse_uuid(peer.account).value()));
  take.mutable_take_key_packages()->set_device_id(peer.device_id);
  const api::Response taken = call(std::move(take));
  EXPECT_EQ(taken.key_packages().key_packages_size(), 1);
  return mls::deserialize_key_package(as_bytes(taken.key_packages().key_packages(0).key_package()))
      .value();
}

RogueGroup::RogueGroup(RawDevice& creator, mls::Member me, const std::string& name)
    : creator_(creator), group_([&] {
        crypto::SystemRng rng;
        Bytes id(32);
        rng.fill(id);
        return mls::Group::create(*mls::CipherSuite::from_id(1), id, me, rng, {},
                                  {mls::Extension{name_extension, to_bytes(as_bytes(name))}})
            .value();
      }()) {
  api::Request create;
  create.mutable_create_group()->set_group_id(bytes_text(group_.group_id()));
  create.mutable_create_group()->set_epoch_token_hash(token_hash_text(group_));
  creator_.call(std::move(create));
}

void RogueGroup::commit(const mls::CommitRequest& request,
                        const std::vector<GroupDevice*>& recipients,
                        const std::vector<GroupDevice*>& joiners) {
  crypto::SystemRng rng;
  mls::CommitRequest with_check = request;
  // Bulwark's fork check (detail/group_ops.h), so that receivers judge the commit itself.
  const auto digest =
      crypto::sha256({as_bytes("bulwark-mls-fork-check-v1"), group_.epoch_authenticator().view()});
  with_check.authenticated_data = Bytes(digest.begin(), digest.begin() + 16);
  auto output = group_.commit(with_check, rng).value();
  api::Request commit;
  auto* send = commit.mutable_send_group_commit();
  send->set_group_id(bytes_text(group_.group_id()));
  send->set_epoch(group_.epoch());
  send->set_epoch_token(token_text(group_));
  send->set_next_epoch_token_hash(token_hash_text(output.group));
  send->set_commit(bytes_text(output.commit));
  for (const GroupDevice* device : recipients) add_address(send->add_recipients(), *device);
  if (output.welcome && !joiners.empty()) {  // the ghost has no queue to send it to
    send->set_welcome(bytes_text(*output.welcome));
    for (const GroupDevice* device : joiners) add_address(send->add_welcome_recipients(), *device);
  }
  creator_.call(std::move(commit));
  group_ = std::move(output.group);
}

}  // namespace bulwark::e2e
