#include "account_keys.h"

#include <algorithm>
#include <chrono>

namespace bulwark::loadgen {
namespace {

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

kt::DeviceEntry entry_of(const DeviceCredentials& device, std::uint32_t device_id) {
  return kt::device_entry(device_id, device.registration_id, device.auth->public_key.bytes());
}

}  // namespace

AccountKeys::AccountKeys(Rng& rng) : identity_(crypto::x25519_keypair(rng)) {
  identity_key_[0] = std::byte{0x05};
  const ByteView key = identity_.public_key.bytes();
  std::copy(key.begin(), key.end(), identity_key_.begin() + 1);
}

Bytes AccountKeys::signed_record(kt::AccountRecord record, Rng& rng) {
  record.identity_key = identity_key_;
  record.created_ms = now_ms();
  kt::sign_account_record(record, identity_.secret_key, rng);
  current_ = std::move(record);
  return kt::encode_account_record(current_);
}

Bytes AccountKeys::first_record(const DeviceCredentials& device, Rng& rng) {
  kt::AccountRecord record;
  record.devices.push_back(entry_of(device, 1));
  return signed_record(std::move(record), rng);
}

Bytes AccountKeys::record_adding(const DeviceCredentials& device, std::uint32_t device_id,
                                 Rng& rng) {
  kt::AccountRecord record;
  record.sequence = current_.sequence + 1;
  record.previous = kt::account_record_hash(current_);
  record.devices = current_.devices;
  record.devices.push_back(entry_of(device, device_id));
  return signed_record(std::move(record), rng);
}

}  // namespace bulwark::loadgen
