#include "kt/account_record.h"

#include <algorithm>
#include <string_view>

#include "common/reader.h"
#include "common/writer.h"
#include "crypto/hash.h"
#include "crypto/xeddsa.h"

namespace bulwark::kt {
namespace {

constexpr std::uint8_t record_format = 1;
constexpr std::string_view signing_context = "Bulwark account record v1\n";
constexpr std::size_t max_record_bytes =
    1 + 4 + 32 + identity_key_bytes + 8 + 1 + max_record_devices * (8 + 32) + 64;

Error bad(const char* what) {
  return Error{Errc::invalid_encoding, std::string("account record: ") + what};
}

Result<void> check_shape(const AccountRecord& record) {
  if (record.devices.empty() || record.devices.size() > max_record_devices) {
    return tl::unexpected(bad("not 1 to 64 devices"));
  }
  std::uint32_t last = 0;
  for (const DeviceEntry& device : record.devices) {
    if (device.device_id <= last) return tl::unexpected(bad("device ids not increasing from 1"));
    last = device.device_id;
  }
  if (record.identity_key[0] != std::byte{0x05}) {
    return tl::unexpected(bad("identity key without its 0x05 type"));
  }
  if (record.sequence == 0 && record.previous != Hash{}) {
    return tl::unexpected(bad("a chain start that names a previous record"));
  }
  return {};
}

// Everything but the signature: what the signature covers (after the context).
Bytes encode_unsigned(const AccountRecord& record) {
  Writer writer(max_record_bytes);
  writer.u8(record_format);
  writer.u32_be(record.sequence);
  writer.bytes(record.previous);
  writer.bytes(record.identity_key);
  writer.u64_be(record.created_ms);
  writer.u8(static_cast<std::uint8_t>(record.devices.size()));
  for (const DeviceEntry& device : record.devices) {
    writer.u32_be(device.device_id);
    writer.u32_be(device.registration_id);
    writer.bytes(device.auth_key);
  }
  return std::move(writer).finish().value();
}

Bytes signed_message(const AccountRecord& record) {
  Bytes message = to_bytes(as_bytes(signing_context));
  const Bytes body = encode_unsigned(record);
  message.insert(message.end(), body.begin(), body.end());
  return message;
}

Result<crypto::X25519PublicKey> identity_public_key(const AccountRecord& record) {
  return crypto::X25519PublicKey::from_bytes(ByteView(record.identity_key).subspan(1));
}

}  // namespace

DeviceEntry device_entry(std::uint32_t device_id, std::uint32_t registration_id,
                         ByteView auth_key) {
  DeviceEntry entry{device_id, registration_id, {}};
  if (auth_key.size() == entry.auth_key.size()) {
    std::copy(auth_key.begin(), auth_key.end(), entry.auth_key.begin());
  }
  return entry;
}

const DeviceEntry* AccountRecord::device(std::uint32_t device_id) const {
  const auto it = std::find_if(devices.begin(), devices.end(),
                               [&](const DeviceEntry& d) { return d.device_id == device_id; });
  return it == devices.end() ? nullptr : &*it;
}

Result<AccountRecord> decode_account_record(ByteView bytes) {
  if (bytes.size() > max_record_bytes) return tl::unexpected(bad("longer than any record"));
  Reader reader(bytes);
  if (BULWARK_TRY(reader.u8()) != record_format) return tl::unexpected(bad("unknown format"));
  AccountRecord record;
  record.sequence = BULWARK_TRY(reader.u32_be());
  record.previous = BULWARK_TRY(reader.array<32>());
  record.identity_key = BULWARK_TRY(reader.array<identity_key_bytes>());
  record.created_ms = BULWARK_TRY(reader.u64_be());
  const std::size_t count = BULWARK_TRY(reader.u8());
  for (std::size_t i = 0; i < count; ++i) {
    DeviceEntry device;
    device.device_id = BULWARK_TRY(reader.u32_be());
    device.registration_id = BULWARK_TRY(reader.u32_be());
    device.auth_key = BULWARK_TRY(reader.array<device_auth_key_bytes>());
    record.devices.push_back(device);
  }
  record.signature = BULWARK_TRY(reader.array<64>());
  BULWARK_TRY(reader.expect_end());
  BULWARK_TRY(check_shape(record));
  return record;
}

Bytes encode_account_record(const AccountRecord& record) {
  if (!check_shape(record)) contract_violation("kt::encode_account_record: malformed record");
  Bytes encoded = encode_unsigned(record);
  encoded.insert(encoded.end(), record.signature.begin(), record.signature.end());
  return encoded;
}

void sign_account_record(AccountRecord& record, const crypto::X25519SecretKey& identity, Rng& rng) {
  const auto public_key = identity.public_key();
  if (!std::equal(public_key.bytes().begin(), public_key.bytes().end(),
                  record.identity_key.begin() + 1) ||
      !check_shape(record)) {
    contract_violation("kt::sign_account_record: not this identity's well-formed record");
  }
  record.signature = crypto::xeddsa_sign(identity, signed_message(record), rng);
}

Result<void> verify_account_record(const AccountRecord& record) {
  const auto key = identity_public_key(record);
  if (!key) return fail(Errc::auth_failed, "account record: identity key is not a key");
  const auto verified = crypto::xeddsa_verify(*key, signed_message(record), record.signature);
  if (!verified) return fail(Errc::auth_failed, "account record: not signed by its identity key");
  return {};
}

Hash account_record_hash(const AccountRecord& record) {
  return crypto::sha256(encode_account_record(record));
}

Result<void> verify_successor(const AccountRecord& previous, const AccountRecord& next) {
  if (next.identity_key != previous.identity_key) {
    return fail(Errc::invalid_proof, "account record: another identity key");
  }
  if (next.sequence != previous.sequence + 1 || previous.sequence == UINT32_MAX) {
    return fail(Errc::invalid_proof, "account record: not the next in sequence");
  }
  if (next.previous != account_record_hash(previous)) {
    return fail(Errc::invalid_proof, "account record: does not chain to the previous record");
  }
  return {};
}

}  // namespace bulwark::kt
