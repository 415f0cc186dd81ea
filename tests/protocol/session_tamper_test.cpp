// Tampered, forged and truncated messages never decrypt and never change a session: after
// each rejection the next genuine message still decrypts, and no prekey is consumed.
#include <gtest/gtest.h>

#include "party.h"

namespace bulwark::testing {
namespace {

using protocol::CiphertextMessage;
using protocol::CiphertextType;

// Drops protobuf fields `drop_a` and `drop_b` from byte0 || protobuf (a PreKeySignalMessage).
Bytes without_fields(const Bytes& message, std::uint32_t drop_a, std::uint32_t drop_b) {
  Bytes out{message[0]};
  std::size_t at = 1;
  auto varint = [&] {
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      auto byte = std::to_integer<std::uint64_t>(message.at(at++));
      value |= (byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
  };
  while (at < message.size()) {
    std::size_t start = at;
    std::uint64_t key = varint();
    if ((key & 7) == 0) {
      varint();
    } else {
      at += varint();  // length-delimited
    }
    auto field = static_cast<std::uint32_t>(key >> 3);
    if (field != drop_a && field != drop_b) out.insert(out.end(), message.begin() + start, message.begin() + at);
  }
  return out;
}

CiphertextMessage flipped(CiphertextMessage message, std::size_t index, std::byte bits) {
  message.body.at(index) ^= bits;
  return message;
}

class SessionTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_.connect_to(bob_);
    first_ = alice_.send(bob_, "first");
  }

  void acknowledge() {
    ASSERT_EQ(bob_.receive(alice_, first_), "first");
    ASSERT_EQ(alice_.receive(bob_, bob_.send(alice_, "ack")), "ack");
  }

  void expect_rejected_then_genuine_works(const CiphertextMessage& bad) {
    const std::string before = alice_.record_bytes(bob_);
    auto result = alice_.decrypt(bob_, bad);
    EXPECT_FALSE(result);
    EXPECT_EQ(alice_.record_bytes(bob_), before) << "a rejected message changed the session";
    auto genuine = bob_.send(alice_, "genuine");
    EXPECT_EQ(alice_.receive(bob_, genuine), "genuine");
  }

  Party alice_{"alice", 31};
  Party bob_{"bob", 32};
  CiphertextMessage first_;
};

TEST_F(SessionTamperTest, EveryFlippedBitOfAWhisperMessageIsRejected) {
  acknowledge();
  auto message = bob_.send(alice_, "target");
  const std::string before = alice_.record_bytes(bob_);
  for (std::size_t i = 0; i < message.body.size(); ++i) {
    for (unsigned bit = 0; bit < 8; ++bit) {
      auto bad = flipped(message, i, std::byte(static_cast<unsigned char>(1u << bit)));
      ASSERT_FALSE(alice_.decrypt(bob_, bad)) << "byte " << i << " bit " << bit;
    }
  }
  EXPECT_EQ(alice_.record_bytes(bob_), before);
  EXPECT_EQ(alice_.receive(bob_, message), "target");
}

TEST_F(SessionTamperTest, TamperedMacIsRejected) {
  acknowledge();
  auto message = bob_.send(alice_, "x");
  expect_rejected_then_genuine_works(flipped(message, message.body.size() - 1, std::byte{1}));
  EXPECT_EQ(alice_.receive(bob_, message), "x");
}

TEST_F(SessionTamperTest, TamperedCiphertextIsRejected) {
  acknowledge();
  auto message = bob_.send(alice_, "x");
  expect_rejected_then_genuine_works(flipped(message, message.body.size() - 12, std::byte{0x20}));
  EXPECT_EQ(alice_.receive(bob_, message), "x");
}

TEST_F(SessionTamperTest, WrongVersionByteIsRejected) {
  acknowledge();
  auto message = bob_.send(alice_, "x");
  for (std::byte version : {std::byte{0x33}, std::byte{0x54}, std::byte{0x24}, std::byte{0x45}}) {
    auto bad = message;
    bad.body[0] = version;
    expect_rejected_then_genuine_works(bad);
  }
  EXPECT_EQ(alice_.receive(bob_, message), "x");
}

TEST_F(SessionTamperTest, TruncatedMessagesAreRejected) {
  acknowledge();
  auto message = bob_.send(alice_, "x");
  for (std::size_t length = 0; length < message.body.size(); ++length) {
    auto bad = message;
    bad.body.resize(length);
    ASSERT_FALSE(alice_.decrypt(bob_, bad)) << "length " << length;
  }
  EXPECT_EQ(alice_.receive(bob_, message), "x");
}

TEST_F(SessionTamperTest, PreKeyMessageWithoutKyberFieldsIsRejectedAndConsumesNothing) {
  for (auto [a, b] : {std::pair{7u, 8u}, std::pair{7u, 7u}, std::pair{8u, 8u}}) {
    CiphertextMessage bad{CiphertextType::prekey, without_fields(first_.body, a, b)};
    ASSERT_LT(bad.body.size(), first_.body.size());
    auto result = bob_.decrypt(alice_, bad);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::invalid_message);
  }
  EXPECT_EQ(bob_.stores.pre_keys.size(), 1u);
  EXPECT_EQ(bob_.stores.kyber_pre_keys.size(), 1u);
  EXPECT_EQ(bob_.receive(alice_, first_), "first");
  EXPECT_EQ(bob_.stores.pre_keys.size(), 0u);
  EXPECT_EQ(bob_.stores.kyber_pre_keys.size(), 0u);
}

TEST_F(SessionTamperTest, ForgedKyberCiphertextFailsWithoutConsumingPreKeys) {
  // The Kyber ciphertext is the last field; flipping a byte in it gives the KEM's implicit-
  // rejection secret, so the session keys differ and the inner MAC fails.
  auto bad = flipped(first_, first_.body.size() - 100, std::byte{0x01});
  EXPECT_FALSE(bob_.decrypt(alice_, bad));
  EXPECT_EQ(bob_.record_bytes(alice_), "");
  EXPECT_EQ(bob_.stores.pre_keys.size(), 1u);
  EXPECT_EQ(bob_.stores.kyber_pre_keys.size(), 1u);
  EXPECT_EQ(bob_.receive(alice_, first_), "first");
}

TEST_F(SessionTamperTest, ReplayedPreKeyMessageIsADuplicate) {
  ASSERT_EQ(bob_.receive(alice_, first_), "first");
  auto again = bob_.decrypt(alice_, first_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::duplicate_message);
  auto second = alice_.send(bob_, "second");
  EXPECT_EQ(bob_.receive(alice_, second), "second");
}

TEST_F(SessionTamperTest, BundleWithBadSignaturesIsRefused) {
  Party carol("carol", 33);
  auto bundle = bob_.publish_bundle();
  auto bad_signed = bundle;
  bad_signed.signed_pre_key_signature[5] ^= std::byte{1};
  EXPECT_EQ(carol.process(bob_, bad_signed).error().code, Errc::auth_failed);
  auto bad_kyber = bundle;
  bad_kyber.kyber_pre_key_signature[5] ^= std::byte{1};
  EXPECT_EQ(carol.process(bob_, bad_kyber).error().code, Errc::auth_failed);
  EXPECT_EQ(carol.encrypt(bob_, "x").error().code, Errc::session_not_found);
  EXPECT_TRUE(carol.process(bob_, bundle));
}

TEST_F(SessionTamperTest, ChangedIdentityIsUntrustedUntilTheUserAcceptsIt) {
  acknowledge();
  Party impostor("bob", 34);  // same address, new identity key
  auto bundle = impostor.publish_bundle();
  EXPECT_EQ(alice_.process(impostor, bundle).error().code, Errc::untrusted_identity);
  ASSERT_TRUE(alice_.stores.identities.save_identity(bob_.address, bundle.identity_key));
  EXPECT_TRUE(alice_.process(impostor, bundle));
}

}  // namespace
}  // namespace bulwark::testing
