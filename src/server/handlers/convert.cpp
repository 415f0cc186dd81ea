#include "server/handlers/convert.h"

#include <cstring>

#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "crypto/ed25519.h"

namespace bulwark::server {
namespace {

constexpr std::byte ec_type{0x05};
constexpr std::byte kyber_type{0x08};

Bytes bytes_of(const std::string& text) {
  Bytes out(text.size());
  if (!text.empty()) std::memcpy(out.data(), text.data(), text.size());
  return out;
}

Result<Bytes> typed_key(const std::string& bytes, std::size_t size, std::byte type,
                        std::string_view what) {
  if (bytes.size() != size || static_cast<std::byte>(bytes[0]) != type)
    return fail(Errc::invalid_argument, std::string(what) + " has the wrong size or type");
  return bytes_of(bytes);
}

Result<Bytes> signature_from(const std::string& bytes, std::string_view what) {
  if (bytes.size() != api::signature_bytes)
    return fail(Errc::invalid_argument, std::string(what) + " signature must be 64 bytes");
  return bytes_of(bytes);
}

}  // namespace

Result<store::AccountId> account_id_from(const std::string& bytes) {
  if (bytes.size() != api::account_id_bytes)
    return fail(Errc::invalid_argument, "account id must be 16 bytes");
  store::AccountId id;
  std::memcpy(id.bytes.data(), bytes.data(), id.bytes.size());
  return id;
}

Result<Bytes> identity_key_from(const std::string& bytes) {
  return typed_key(bytes, api::ec_public_key_bytes, ec_type, "identity key");
}

Result<store::SignedKey> signed_pre_key_from(const api::SignedPreKey& key) {
  store::SignedKey out;
  out.id = key.id();
  out.public_key = BULWARK_TRY(typed_key(key.public_key(), api::ec_public_key_bytes, ec_type,
                                         "signed prekey"));
  out.signature = BULWARK_TRY(signature_from(key.signature(), "signed prekey"));
  return out;
}

Result<store::SignedKey> kyber_pre_key_from(const api::KyberPreKey& key) {
  store::SignedKey out;
  out.id = key.id();
  out.public_key = BULWARK_TRY(typed_key(key.public_key(), api::kyber_public_key_bytes,
                                         kyber_type, "Kyber prekey"));
  out.signature = BULWARK_TRY(signature_from(key.signature(), "Kyber prekey"));
  return out;
}

Result<store::OneTimeKey> pre_key_from(const api::PreKey& key) {
  store::OneTimeKey out;
  out.id = key.id();
  out.public_key = BULWARK_TRY(typed_key(key.public_key(), api::ec_public_key_bytes, ec_type,
                                         "prekey"));
  return out;
}

Result<store::NewDevice> new_device_from(const api::DeviceKeys& keys, std::int64_t now_ms) {
  if (keys.registration_id() == 0 || keys.registration_id() > api::max_registration_id)
    return fail(Errc::invalid_argument, "registration id out of range");
  if (keys.name().size() > api::max_device_name_bytes)
    return fail(Errc::invalid_argument, "device name too long");
  if (!keys.has_signed_pre_key() || !keys.has_last_resort_kyber_pre_key())
    return fail(Errc::invalid_argument, "a device needs a signed and a last-resort Kyber prekey");
  if (static_cast<std::size_t>(keys.pre_keys_size()) > api::max_pre_keys_per_upload ||
      static_cast<std::size_t>(keys.kyber_pre_keys_size()) > api::max_pre_keys_per_upload)
    return fail(Errc::invalid_argument, "too many prekeys in one upload");
  BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(as_bytes(keys.auth_key())));
  store::NewDevice device;
  device.registration_id = RegistrationId(keys.registration_id());
  device.auth_key = bytes_of(keys.auth_key());
  device.name = keys.name();
  device.created_at_ms = now_ms;
  device.signed_pre_key = BULWARK_TRY(signed_pre_key_from(keys.signed_pre_key()));
  device.last_resort_kyber_pre_key = BULWARK_TRY(kyber_pre_key_from(keys.last_resort_kyber_pre_key()));
  for (const api::PreKey& key : keys.pre_keys()) {
    store::OneTimeKey converted = BULWARK_TRY(pre_key_from(key));
    device.pre_keys.push_back(std::move(converted));
  }
  for (const api::KyberPreKey& key : keys.kyber_pre_keys()) {
    store::SignedKey converted = BULWARK_TRY(kyber_pre_key_from(key));
    device.kyber_pre_keys.push_back(std::move(converted));
  }
  return device;
}

void bundle_to_api(const store::PreKeyBundle& bundle, api::PreKeyBundle& out) {
  out.set_device_id(bundle.device.value());
  out.set_registration_id(bundle.registration_id.value());
  auto* signed_key = out.mutable_signed_pre_key();
  signed_key->set_id(bundle.signed_pre_key.id);
  signed_key->set_public_key(bundle.signed_pre_key.public_key.data(),
                             bundle.signed_pre_key.public_key.size());
  signed_key->set_signature(bundle.signed_pre_key.signature.data(),
                            bundle.signed_pre_key.signature.size());
  auto* kyber = out.mutable_kyber_pre_key();
  kyber->set_id(bundle.kyber_pre_key.id);
  kyber->set_public_key(bundle.kyber_pre_key.public_key.data(),
                        bundle.kyber_pre_key.public_key.size());
  kyber->set_signature(bundle.kyber_pre_key.signature.data(),
                       bundle.kyber_pre_key.signature.size());
  if (bundle.pre_key) {
    auto* pre_key = out.mutable_pre_key();
    pre_key->set_id(bundle.pre_key->id);
    pre_key->set_public_key(bundle.pre_key->public_key.data(), bundle.pre_key->public_key.size());
  }
}

Result<store::DeviceAddress> device_address_from(const api::DeviceAddress& address) {
  const store::AccountId account = BULWARK_TRY(account_id_from(address.account_id()));
  return store::DeviceAddress{account, DeviceId(address.device_id())};
}

void device_address_to_api(const store::DeviceAddress& address, api::DeviceAddress& out) {
  out.set_account_id(address.account.bytes.data(), address.account.bytes.size());
  out.set_device_id(address.device.value());
}

std::string account_text(const store::AccountId& id) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    auto byte = static_cast<unsigned>(id.bytes[i]);
    out.push_back(hex[byte >> 4]);
    out.push_back(hex[byte & 0xf]);
  }
  return out;
}

}  // namespace bulwark::server
