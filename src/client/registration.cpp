// Registration: ask for a code, then create this device's keys and register them with it.
#include <algorithm>

#include "client/detail/client_impl.h"
#include "client/keys.h"
#include "client/uuid.h"
#include "crypto/ed25519.h"

namespace bulwark::client {
namespace {

constexpr std::uint32_t initial_one_time_keys = 100;

std::string text_of(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Signal's registration ids: 1..16380.
RegistrationId random_registration_id(Rng& rng) {
  auto raw = random_array<2>(rng);
  auto value = (static_cast<std::uint32_t>(raw[0]) << 8) | static_cast<std::uint32_t>(raw[1]);
  return RegistrationId(value % 16380 + 1);
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
                                   bool discoverable) {
  Impl& impl = *impl_;
  ServerAddress address = BULWARK_TRY(impl.server_address(std::nullopt));
  auto now = static_cast<std::uint64_t>(impl.now_ms());

  protocol::IdentityKeyPair identity = protocol::KeyPair::generate(impl.rng);
  crypto::Ed25519KeyPair auth = crypto::ed25519_keypair(impl.rng);
  LocalAccount account;
  account.server_url = address.url();
  account.registration_id = random_registration_id(impl.rng);
  // libsodium's 64-byte secret-key form (seed || public key), which the local store expects.
  account.auth_secret_key = SecretBytes(64);
  std::copy_n(auth.secret_key.seed().view().begin(), 32, account.auth_secret_key.writable().begin());
  std::copy_n(auth.public_key.bytes().begin(), 32, account.auth_secret_key.writable().begin() + 32);
  account.auth_public_key = to_bytes(auth.public_key.bytes());
  account.identity_private = identity.secret().bytes().clone();
  auto identity_public = identity.public_key().serialize();
  account.identity_public.assign(identity_public.begin(), identity_public.end());
  auto signed_pre_key = protocol::SignedPreKeyRecord::generate(
      SignedPreKeyId(account.next_signed_pre_key_id++), now, identity, impl.rng);
  auto last_resort = protocol::KyberPreKeyRecord::generate(
      KyberPreKeyId(account.next_kyber_pre_key_id++), now, identity, impl.rng);
  OneTimeKeys one_time = generate_one_time_keys(account, identity, initial_one_time_keys,
                                                initial_one_time_keys, now, impl.rng);

  api::Request request;
  api::Register* reg = request.mutable_register_();
  reg->set_phone(std::string(phone));
  reg->set_code(std::string(code));
  reg->set_identity_key(text_of(identity_public));
  reg->set_discoverable_by_phone(discoverable);
  api::DeviceKeys* keys = reg->mutable_device();
  keys->set_registration_id(account.registration_id.value());
  keys->set_auth_key(text_of(account.auth_public_key));
  keys->set_name("bulwark-cli");
  set_signed_pre_key(signed_pre_key, *keys->mutable_signed_pre_key());
  set_kyber_pre_key(last_resort, *keys->mutable_last_resort_kyber_pre_key());
  add_public_keys(one_time, *keys);

  auto connection = BULWARK_TRY(impl.open_connection(address));
  auto response = BULWARK_TRY(connection->call(std::move(request), impl.options.timeout));
  if (response.status() != api::OK) return tl::unexpected(error_from_response(response));
  account.account_id = to_bytes(as_bytes(response.register_().account_id()));
  account.device_id = response.register_().device_id();
  account.phone = std::string(phone);
  // Everything local in one transaction: an account without its keys never exists.
  Result<void> saved = impl.store->transaction([&]() -> Result<void> {
    BULWARK_TRY(impl.store->save_account(account));
    BULWARK_TRY(impl.store->store_signed_pre_key(signed_pre_key));
    BULWARK_TRY(impl.store->store_kyber_pre_key(last_resort, protocol::KyberPreKeyKind::last_resort));
    return store_one_time_keys(*impl.store, one_time);
  });
  if (!saved) return tl::unexpected(saved.error());
  impl.account = BULWARK_TRY(impl.store->account());
  impl.connection = std::move(connection);  // the server authenticated it by the code
  return whoami();
}

}  // namespace bulwark::client
