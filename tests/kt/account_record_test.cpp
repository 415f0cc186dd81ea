// Account records (kt/account_record.h): signed by the identity key, hash-chained, strictly
// encoded; anything the owner did not sign, or that breaks the chain, is refused.
#include "kt/account_record.h"

#include <gtest/gtest.h>

namespace bulwark::kt {
namespace {

class CountingRng final : public Rng {
 public:
  void fill(MutableByteView out) override {
    for (auto& b : out) b = static_cast<std::byte>(next_++ * 37 + 11);
  }

 private:
  std::uint8_t next_ = 0;
};

crypto::X25519SecretKey identity(std::uint8_t b) {
  return crypto::X25519SecretKey::from_bytes(Bytes(32, std::byte{b})).value();
}

AccountRecord unsigned_record(const crypto::X25519SecretKey& key) {
  AccountRecord record;
  record.identity_key[0] = std::byte{0x05};
  const auto pub = key.public_key();
  std::copy(pub.bytes().begin(), pub.bytes().end(), record.identity_key.begin() + 1);
  record.created_ms = 1'700'000'000'000;
  DeviceEntry device{1, 4242, {}};
  device.auth_key.fill(std::byte{9});
  record.devices.push_back(device);
  return record;
}

TEST(AccountRecordTest, SignedRecordRoundTripsAndVerifies) {
  CountingRng rng;
  const auto key = identity(1);
  AccountRecord record = unsigned_record(key);
  sign_account_record(record, key, rng);
  ASSERT_TRUE(verify_account_record(record));
  const Bytes encoded = encode_account_record(record);
  EXPECT_EQ(encoded.size(), 1u + 4 + 32 + 33 + 8 + 1 + 40 + 64);
  EXPECT_EQ(decode_account_record(encoded).value(), record);
  EXPECT_NE(record.device(1), nullptr);
  EXPECT_EQ(record.device(2), nullptr);
}

TEST(AccountRecordTest, AnyChangeAfterSigningIsRefused) {
  CountingRng rng;
  const auto key = identity(1);
  AccountRecord record = unsigned_record(key);
  sign_account_record(record, key, rng);
  const Bytes encoded = encode_account_record(record);
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    Bytes changed = encoded;
    changed[i] ^= std::byte{0x01};
    const auto decoded = decode_account_record(changed);
    EXPECT_FALSE(decoded && verify_account_record(*decoded)) << "byte " << i;
  }
  // A ghost device added by someone without the identity key.
  AccountRecord ghost = record;
  ghost.devices.push_back(DeviceEntry{2, 7, {}});
  EXPECT_EQ(verify_account_record(ghost).error().code, Errc::auth_failed);
  // Re-signed by another identity: the signature no longer matches the named key.
  AccountRecord swapped = record;
  swapped.signature = {};
  EXPECT_FALSE(verify_account_record(swapped));
}

TEST(AccountRecordTest, SuccessorsChainAndNothingElseDoes) {
  CountingRng rng;
  const auto key = identity(1);
  AccountRecord first = unsigned_record(key);
  sign_account_record(first, key, rng);
  AccountRecord second = first;
  second.sequence = 1;
  second.previous = account_record_hash(first);
  second.devices.push_back(DeviceEntry{2, 77, {}});
  sign_account_record(second, key, rng);
  EXPECT_TRUE(verify_successor(first, second));
  EXPECT_FALSE(verify_successor(second, first));

  AccountRecord skipped = second;
  skipped.sequence = 2;
  sign_account_record(skipped, key, rng);
  EXPECT_EQ(verify_successor(first, skipped).error().code, Errc::invalid_proof);
  AccountRecord unlinked = second;
  unlinked.previous[0] ^= std::byte{1};
  sign_account_record(unlinked, key, rng);
  EXPECT_FALSE(verify_successor(first, unlinked));
  const auto other_key = identity(2);
  AccountRecord other = unsigned_record(other_key);
  other.sequence = 1;
  other.previous = account_record_hash(first);
  sign_account_record(other, other_key, rng);
  EXPECT_FALSE(verify_successor(first, other));
}

TEST(AccountRecordTest, MalformedEncodingsAreRefused) {
  CountingRng rng;
  const auto key = identity(1);
  AccountRecord record = unsigned_record(key);
  sign_account_record(record, key, rng);
  const Bytes encoded = encode_account_record(record);
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode_account_record(ByteView(encoded).first(n))) << n;
  }
  Bytes longer = encoded;
  longer.push_back(std::byte{0});
  EXPECT_FALSE(decode_account_record(longer));
  Bytes format = encoded;
  format[0] = std::byte{2};
  EXPECT_EQ(decode_account_record(format).error().code, Errc::invalid_encoding);
  Bytes chain_start_with_previous = encoded;
  chain_start_with_previous[5] = std::byte{1};  // previous[0], while sequence is 0
  EXPECT_EQ(decode_account_record(chain_start_with_previous).error().code, Errc::invalid_encoding);
  Bytes zero_devices = encoded;
  zero_devices[1 + 4 + 32 + 33 + 8] = std::byte{0};
  EXPECT_FALSE(decode_account_record(zero_devices));
  Bytes device_zero = encoded;
  device_zero[1 + 4 + 32 + 33 + 8 + 1 + 3] = std::byte{0};  // device id 1 -> 0
  EXPECT_EQ(decode_account_record(device_zero).error().code, Errc::invalid_encoding);
}

}  // namespace
}  // namespace bulwark::kt
