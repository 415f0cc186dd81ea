// Registration: ask for a code, then create this device's keys and register them with it.
#include <algorithm>

#include "client/detail/client_impl.h"
#include "client/detail/group_ops.h"
#include "client/detail/proto_text.h"
#include "client/keys.h"
#include "client/transparency.h"
#include "client/uuid.h"
#include "crypto/ed25519.h"
#include "kt/cosignature.h"

namespace bulwark::client {
namespace {

constexpr std::uint32_t initial_one_time_keys = 100;

// Signal's registration ids: 1..16380.
RegistrationId random_registration_id(Rng& rng) {
  auto raw = random_array<2>(rng);
  auto value = (static_cast<std::uint32_t>(raw[0]) << 8) | static_cast<std::uint32_t>(raw[1]);
  return RegistrationId(value % 16380 + 1);
}

// A new device's keys: made before the server hears of them, stored only after it accepted.
struct PreparedDevice {
  LocalAccount account;
  protocol::SignedPreKeyRecord signed_pre_key;
  protocol::KyberPreKeyRecord last_resort;
  OneTimeKeys one_time;
  api::DeviceKeys keys;
};

PreparedDevice prepare_device(const protocol::IdentityKeyPair& identity, const std::string& server_url,
                              std::uint64_t now, Rng& rng) {
  crypto::Ed25519KeyPair auth = crypto::ed25519_keypair(rng);
  LocalAccount account;
  account.server_url = server_url;
  account.registration_id = random_registration_id(rng);
  // libsodium's 64-byte secret-key form (seed || public key), which the local store expects.
  account.auth_secret_key = SecretBytes(64);
  std::copy_n(auth.secret_key.seed().view().begin(), 32, account.auth_secret_key.writable().begin());
  std::copy_n(auth.public_key.bytes().begin(), 32, account.auth_secret_key.writable().begin() + 32);
  account.auth_public_key = to_bytes(auth.public_key.bytes());
  account.identity_private = identity.secret().bytes().clone();
  auto identity_public = identity.public_key().serialize();
  account.identity_public.assign(identity_public.begin(), identity_public.end());
  auto signed_pre_key = protocol::SignedPreKeyRecord::generate(
      SignedPreKeyId(account.next_signed_pre_key_id++), now, identity, rng);
  auto last_resort = protocol::KyberPreKeyRecord::generate(
      KyberPreKeyId(account.next_kyber_pre_key_id++), now, identity, rng);
  OneTimeKeys one_time =
      generate_one_time_keys(account, identity, initial_one_time_keys, initial_one_time_keys, now, rng);
  api::DeviceKeys keys;
  keys.set_registration_id(account.registration_id.value());
  keys.set_auth_key(text_of(account.auth_public_key));
  keys.set_name("bulwark-cli");
  set_signed_pre_key(signed_pre_key, *keys.mutable_signed_pre_key());
  set_kyber_pre_key(last_resort, *keys.mutable_last_resort_kyber_pre_key());
  add_public_keys(one_time, keys);
  return PreparedDevice{std::move(account), std::move(signed_pre_key), std::move(last_resort),
                        std::move(one_time), std::move(keys)};
}

// Everything local in one transaction: an account without its keys (and the signed device
// list it published) never exists.
Result<void> save_prepared(LocalStore& store, const PreparedDevice& device,
                           const kt::AccountRecord& record) {
  return store.transaction([&]() -> Result<void> {
    BULWARK_TRY(store.save_account(device.account));
    BULWARK_TRY(store.save_kt_record(
        KtRecord{device.account.account_id, std::nullopt, kt::encode_account_record(record)}));
    BULWARK_TRY(store.store_signed_pre_key(device.signed_pre_key));
    BULWARK_TRY(store.store_kyber_pre_key(device.last_resort, protocol::KyberPreKeyKind::last_resort));
    return store_one_time_keys(store, device.one_time);
  });
}

}  // namespace

Result<std::string> Client::request_code(const std::string& server_url, const TlsTrust& trust,
                                         std::string_view phone,
                                         std::chrono::milliseconds timeout) {
  ServerAddress address = BULWARK_TRY(parse_server_url(server_url));
  auto connection = BULWARK_TRY(ServerConnection::open(address, trust, timeout));
  api::Request request;
  request.mutable_request_code()->set_phone(std::string(phone));
  auto response = BULWARK_TRY(connection->call(std::move(request), timeout));
  if (response.status() != api::OK) return tl::unexpected(error_from_response(response));
  return response.request_code().phone();
}

Result<AccountInfo> Client::verify(std::string_view phone, std::string_view code,
                                   bool discoverable, const KtRequirements& kt) {
  Impl& impl = *impl_;
  // The device's own transparency requirements are checked before anything is registered.
  for (const std::string& vkey : kt.witnesses) {
    if (!kt::CosignerKey::from_vkey(vkey)) {
      return fail(Errc::invalid_argument, "not a witness key (a cosigner vkey): " + vkey);
    }
  }
  if (kt.quorum && *kt.quorum > kt.witnesses.size() && !kt.witnesses.empty()) {
    return fail(Errc::invalid_argument, "a key-transparency quorum above the number of witnesses");
  }
  ServerAddress address = BULWARK_TRY(impl.server_address(std::nullopt));
  protocol::IdentityKeyPair identity = protocol::KeyPair::generate(impl.rng);
  PreparedDevice device = prepare_device(identity, address.url(), static_cast<std::uint64_t>(impl.now_ms()), impl.rng);
  api::Request request;
  api::Register* reg = request.mutable_register_();
  reg->set_phone(std::string(phone));
  reg->set_code(std::string(code));
  reg->set_identity_key(text_of(device.account.identity_public));
  reg->set_discoverable_by_phone(discoverable);
  *reg->mutable_device() = device.keys;
  // The first record of the account's signed device list: this device, as device 1.
  const auto record = BULWARK_TRY(sign_record(
      device.account, nullptr,
      {kt::device_entry(1, device.account.registration_id.value(), device.account.auth_public_key)},
      impl.now_ms(), impl.rng));
  reg->set_account_record(text_of(kt::encode_account_record(record)));

  auto connection = BULWARK_TRY(impl.open_connection(address));
  auto response = BULWARK_TRY(connection->call(std::move(request), impl.options.timeout));
  if (response.status() != api::OK) return tl::unexpected(error_from_response(response));
  device.account.account_id = to_bytes(as_bytes(response.register_().account_id()));
  device.account.device_id = response.register_().device_id();
  device.account.phone = std::string(phone);
  if (device.account.device_id != 1) {
    return fail(Errc::invalid_message, "the server registered this device under another id than 1");
  }
  BULWARK_TRY(save_prepared(*impl.store, device, record));
  impl.account = BULWARK_TRY(impl.store->account());
  impl.connection = std::move(connection);  // the server authenticated it by the code
  impl.monitored = true;  // nothing to monitor before the first publication
  BULWARK_TRY(pin_kt_trust(impl, kt));
  // KeyPackages right away, as prekeys: a new account can be added to groups at once.
  BULWARK_TRY(detail::replenish_key_packages(impl));
  return whoami();
}

Result<std::uint32_t> Client::add_device(const std::filesystem::path& new_account_dir, const StoreKey& key) {
  Impl& impl = *impl_;
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  auto target = BULWARK_TRY(LocalStore::open(new_account_dir, key));
  if (BULWARK_TRY(target->account())) return fail(Errc::conflict, "that directory already holds an account");
  PreparedDevice device = prepare_device(impl.store->identity_key_pair(), self->server_url,
                                         static_cast<std::uint64_t>(impl.now_ms()), impl.rng);
  // The new device goes into the account's signed device list, under the id the server will
  // give it: the successor of this device's newest record.
  const auto own = BULWARK_TRY(impl.store->kt_record(self->account_id));
  if (!own) return fail(Errc::not_found, "this device has no record of its own keys: register again");
  const kt::AccountRecord current = BULWARK_TRY(kt::decode_account_record(own->record));
  api::Request who;
  who.mutable_whoami();
  const std::uint32_t new_id = BULWARK_TRY(impl.call(std::move(who))).whoami().next_device_id();
  std::vector<kt::DeviceEntry> devices = current.devices;
  devices.push_back(kt::device_entry(new_id, device.account.registration_id.value(),
                                    device.account.auth_public_key));
  const auto record = BULWARK_TRY(sign_record(*self, &current, devices, impl.now_ms(), impl.rng));
  const Bytes encoded = kt::encode_account_record(record);
  api::Request request;
  *request.mutable_add_device()->mutable_device() = device.keys;
  request.mutable_add_device()->set_account_record(text_of(encoded));
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  device.account.account_id = self->account_id;
  device.account.device_id = response.add_device().device_id();
  device.account.phone = self->phone;
  device.account.username = self->username;
  if (device.account.device_id != new_id) {
    return fail(Errc::invalid_message, "the server added the device under another id");
  }
  BULWARK_TRY(impl.store->save_kt_record(KtRecord{self->account_id, std::nullopt, encoded}));
  BULWARK_TRY(save_prepared(*target, device, record));
  // The new device trusts the same log, from the same view of it.
  if (auto trust = BULWARK_TRY(impl.store->kt_trust())) BULWARK_TRY(target->save_kt_trust(*trust));
  return device.account.device_id;
}

}  // namespace bulwark::client
