// The MLS credential binding a group leaf to a KT-published account (client/group_credential.h):
// a credential verifies only under the record's identity key, for a device the record lists
// and for the leaf's own signature key.
#include "client/group_credential.h"

#include <gtest/gtest.h>

#include "crypto/x25519.h"
#include "support/seeded_rng.h"

namespace bulwark::client {
namespace {

struct GroupCredentialFixture {
  bulwark::testing::SeededRng rng{42};
  crypto::X25519KeyPair identity = crypto::x25519_keypair(rng);
  crypto::Ed25519KeyPair signer = crypto::ed25519_keypair(rng);
  Bytes account = Bytes(16, std::byte{0x11});
  kt::AccountRecord record;

  GroupCredentialFixture() {
    record.identity_key[0] = std::byte{0x05};
    const auto pub = identity.public_key.bytes();
    std::copy(pub.begin(), pub.end(), record.identity_key.begin() + 1);
    record.devices.push_back(kt::device_entry(1, 7, Bytes(32, std::byte{1})));
    record.devices.push_back(kt::device_entry(2, 8, Bytes(32, std::byte{2})));
  }

  Bytes make(std::uint32_t device) {
    auto made = make_mls_credential(account, device, signer.public_key, identity.secret_key, rng);
    EXPECT_TRUE(made) << made.error().describe();
    return *made;
  }
};

TEST(GroupCredentialTest, AListedDeviceSignedByTheIdentityKeyIsAccepted) {
  GroupCredentialFixture f;
  const Bytes identity = f.make(2);
  EXPECT_EQ(identity.size(), mls_credential_bytes);
  auto parsed = parse_mls_credential(identity);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->device_id, 2u);
  auto checked = check_mls_credential(*parsed, f.signer.public_key.bytes(), f.account, f.record);
  EXPECT_TRUE(checked) << checked.error().describe();
}

TEST(GroupCredentialTest, AGhostDeviceNotInTheRecordIsRefused) {
  GroupCredentialFixture f;
  auto parsed = parse_mls_credential(f.make(3));
  ASSERT_TRUE(parsed);
  auto checked = check_mls_credential(*parsed, f.signer.public_key.bytes(), f.account, f.record);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, Errc::untrusted_identity);
  EXPECT_NE(checked.error().context.find("not in the account's key-transparency record"),
            std::string::npos);
}

TEST(GroupCredentialTest, ACredentialSignedByAnotherIdentityKeyIsRefused) {
  GroupCredentialFixture f;
  const crypto::X25519KeyPair server_key = crypto::x25519_keypair(f.rng);
  auto forged =
      make_mls_credential(f.account, 1, f.signer.public_key, server_key.secret_key, f.rng);
  ASSERT_TRUE(forged);
  auto parsed = parse_mls_credential(*forged);
  ASSERT_TRUE(parsed);
  auto checked = check_mls_credential(*parsed, f.signer.public_key.bytes(), f.account, f.record);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, Errc::untrusted_identity);
}

TEST(GroupCredentialTest, ALeafWithAnotherSignatureKeyOrAccountIsRefused) {
  GroupCredentialFixture f;
  auto parsed = parse_mls_credential(f.make(1));
  ASSERT_TRUE(parsed);
  const crypto::Ed25519KeyPair other = crypto::ed25519_keypair(f.rng);
  EXPECT_FALSE(check_mls_credential(*parsed, other.public_key.bytes(), f.account, f.record));
  const Bytes other_account(16, std::byte{0x22});
  EXPECT_FALSE(check_mls_credential(*parsed, f.signer.public_key.bytes(), other_account, f.record));
}

TEST(GroupCredentialTest, EveryFlippedBitFailsToParseOrToVerify) {
  GroupCredentialFixture f;
  const Bytes good = f.make(1);
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= std::byte{0x01};
    auto parsed = parse_mls_credential(bad);
    if (!parsed) continue;
    EXPECT_FALSE(check_mls_credential(*parsed, f.signer.public_key.bytes(), f.account, f.record))
        << "byte " << i;
  }
  EXPECT_FALSE(parse_mls_credential(ByteView(good).first(good.size() - 1)));
}

}  // namespace
}  // namespace bulwark::client
