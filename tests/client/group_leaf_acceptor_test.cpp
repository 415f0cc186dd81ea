// The KT leaf acceptor (client/group_leaf_acceptor.h) inside real MLS groups: leaves of devices
// an account's record lists are accepted; a ghost device, a credential signed by another
// identity key, or a credential for another signature key than the leaf's is refused with the
// leaf named, and the receiving member's state is unchanged.
#include "client/group_leaf_acceptor.h"

#include <gtest/gtest.h>

#include <map>

#include "client/group_credential.h"
#include "crypto/x25519.h"
#include "protocol/mls/key_package.h"
#include "support/seeded_rng.h"

namespace bulwark::client {
namespace {

namespace mls = protocol::mls;

struct AcceptorAccount {
  Bytes id;
  crypto::X25519KeyPair identity;
  kt::AccountRecord record;
};

class LeafAcceptorTest : public ::testing::Test {
 protected:
  bulwark::testing::SeededRng rng_{2024};
  const mls::CipherSuite suite_ = mls::CipherSuite::from_id(1).value();
  std::map<Bytes, AcceptorAccount> accounts_;
  int lookups_ = 0;

  AcceptorAccount& account(std::uint8_t fill, std::vector<std::uint32_t> devices) {
    AcceptorAccount made{Bytes(16, std::byte{fill}), crypto::x25519_keypair(rng_), {}};
    made.record.identity_key[0] = std::byte{0x05};
    const auto pub = made.identity.public_key.bytes();
    std::copy(pub.begin(), pub.end(), made.record.identity_key.begin() + 1);
    for (std::uint32_t device : devices)
      made.record.devices.push_back(kt::device_entry(device, device, Bytes(32, std::byte{1})));
    return accounts_.insert_or_assign(made.id, std::move(made)).first->second;
  }

  mls::LeafAcceptor strict(int refreshes = 0) {
    return kt_leaf_acceptor(
        [this](ByteView account_id, bool) -> Result<kt::AccountRecord> {
          ++lookups_;
          auto found = accounts_.find(to_bytes(account_id));
          if (found == accounts_.end()) return fail(Errc::not_found, "no such account");
          return found->second.record;
        },
        refreshes);
  }

  mls::Credential credential(const AcceptorAccount& owner, std::uint32_t device,
                             const crypto::Ed25519PublicKey& signature_key,
                             const crypto::X25519SecretKey* signed_by = nullptr) {
    auto identity = make_mls_credential(owner.id, device, signature_key,
                                        signed_by ? *signed_by : owner.identity.secret_key, rng_);
    EXPECT_TRUE(identity) << identity.error().describe();
    return mls::basic_credential(*identity);
  }

  mls::KeyPackageBundle key_package(const crypto::Ed25519SecretKey& signer, mls::Credential cred) {
    mls::KeyPackageParams params;
    params.credential = std::move(cred);
    return mls::create_key_package(suite_, signer, std::move(params), rng_).value();
  }

  // Alice (device 1, lax: the default acceptor) and Dave (device 1, strict) in one group.
  struct TwoMembers {
    mls::Group alice;
    mls::Group dave;
  };
  TwoMembers alice_and_dave() {
    AcceptorAccount& alice = account(0x11, {1});
    AcceptorAccount& dave = account(0x44, {1});
    const auto alice_keys = crypto::ed25519_keypair(rng_);
    const auto dave_keys = crypto::ed25519_keypair(rng_);
    mls::Member me{crypto::Ed25519SecretKey::from_seed(alice_keys.secret_key.seed().view()).value(),
                   credential(alice, 1, alice_keys.public_key)};
    auto group = mls::Group::create(suite_, Bytes(32, std::byte{9}), me, rng_).value();
    auto bundle = key_package(dave_keys.secret_key, credential(dave, 1, dave_keys.public_key));
    mls::CommitRequest add;
    add.add.push_back(bundle.key_package);
    auto output = group.commit(add, rng_).value();
    mls::GroupConfig config;
    config.accept_leaf = strict();
    auto joined = mls::Group::join(*output.welcome, std::nullopt, std::span(&bundle, 1),
                                   dave_keys.secret_key, {}, config);
    EXPECT_TRUE(joined) << joined.error().describe();
    return TwoMembers{output.group, std::move(*joined)};
  }

  // Alice adds a leaf with `cred` signed by `signer`; Dave processes the commit.
  Result<mls::Group::Processed> dave_processes_add(TwoMembers& members,
                                                   const crypto::Ed25519SecretKey& signer,
                                                   mls::Credential cred) {
    mls::CommitRequest add;
    add.add.push_back(key_package(signer, std::move(cred)).key_package);
    auto output = members.alice.commit(add, rng_);
    EXPECT_TRUE(output) << output.error().describe();
    return members.dave.process(output->commit);
  }
};

TEST_F(LeafAcceptorTest, ListedDevicesAreAcceptedAndEachAccountIsLookedUpOnce) {
  TwoMembers members = alice_and_dave();
  EXPECT_EQ(lookups_, 2) << "the joined tree's two leaves, one account each";
  AcceptorAccount& bob = account(0x22, {1, 2});
  const auto bob1 = crypto::ed25519_keypair(rng_);
  const auto bob2 = crypto::ed25519_keypair(rng_);
  mls::CommitRequest add;
  add.add.push_back(key_package(bob1.secret_key, credential(bob, 1, bob1.public_key)).key_package);
  add.add.push_back(key_package(bob2.secret_key, credential(bob, 2, bob2.public_key)).key_package);
  auto output = members.alice.commit(add, rng_).value();
  lookups_ = 0;
  auto processed = members.dave.process(output.commit);
  ASSERT_TRUE(processed) << processed.error().describe();
  EXPECT_EQ(processed->group->members().size(), 4u);
  EXPECT_EQ(lookups_, 1) << "bob's two devices share one lookup";
}

TEST_F(LeafAcceptorTest, AGhostDeviceIsRefusedWithItsLeafNamedAndTheStateUnchanged) {
  TwoMembers members = alice_and_dave();
  AcceptorAccount& bob = account(0x22, {1, 2});
  const auto ghost = crypto::ed25519_keypair(rng_);
  const auto before = members.dave.epoch_authenticator().view();
  const Bytes before_bytes(before.begin(), before.end());
  auto processed =
      dave_processes_add(members, ghost.secret_key, credential(bob, 3, ghost.public_key));
  ASSERT_FALSE(processed);
  EXPECT_EQ(processed.error().code, Errc::untrusted_identity) << processed.error().describe();
  const std::string& why = processed.error().context;
  EXPECT_NE(why.find("leaf 2"), std::string::npos) << why;
  EXPECT_NE(why.find("device 3 of 22222222-2222-2222-2222-222222222222"), std::string::npos) << why;
  EXPECT_NE(why.find("not in the account's key-transparency record"), std::string::npos) << why;
  EXPECT_EQ(members.dave.epoch(), 1u);
  EXPECT_EQ(members.dave.members().size(), 2u);
  EXPECT_EQ(to_bytes(members.dave.epoch_authenticator().view()), before_bytes);
}

TEST_F(LeafAcceptorTest, ACredentialSignedByAnotherIdentityKeyIsRefused) {
  TwoMembers members = alice_and_dave();
  AcceptorAccount& bob = account(0x22, {1});
  const crypto::X25519KeyPair server_key = crypto::x25519_keypair(rng_);
  const auto forged = crypto::ed25519_keypair(rng_);
  auto processed = dave_processes_add(
      members, forged.secret_key, credential(bob, 1, forged.public_key, &server_key.secret_key));
  ASSERT_FALSE(processed);
  EXPECT_NE(processed.error().context.find("not signed by its account's identity key"),
            std::string::npos)
      << processed.error().context;
}

TEST_F(LeafAcceptorTest, ACredentialForAnotherSignatureKeyThanTheLeafsIsRefused) {
  TwoMembers members = alice_and_dave();
  AcceptorAccount& bob = account(0x22, {1});
  const auto named = crypto::ed25519_keypair(rng_);
  const auto actual = crypto::ed25519_keypair(rng_);
  // Bob's genuine credential for `named`, carried by a leaf signed with another key.
  auto processed =
      dave_processes_add(members, actual.secret_key, credential(bob, 1, named.public_key));
  ASSERT_FALSE(processed);
  EXPECT_NE(processed.error().context.find("the credential is for another signature key"),
            std::string::npos)
      << processed.error().context;
}

TEST_F(LeafAcceptorTest, ANonBulwarkCredentialIsRefused) {
  TwoMembers members = alice_and_dave();
  const auto stranger = crypto::ed25519_keypair(rng_);
  auto processed = dave_processes_add(members, stranger.secret_key,
                                      mls::basic_credential(Bytes(10, std::byte{1})));
  ASSERT_FALSE(processed);
  EXPECT_NE(processed.error().context.find("not a Bulwark credential"), std::string::npos)
      << processed.error().context;
}

TEST_F(LeafAcceptorTest, ADeviceMissingFromTheRecordIsLookedUpAgainWhenAllowed) {
  AcceptorAccount& bob = account(0x22, {1});
  const auto bob2 = crypto::ed25519_keypair(rng_);
  mls::LeafNode leaf =
      key_package(bob2.secret_key, credential(bob, 2, bob2.public_key)).key_package.leaf_node;
  EXPECT_FALSE(strict(0)(leaf, mls::LeafIndex(1)));
  // The log publishes device 2 between the first lookup and the refresh.
  int calls = 0;
  auto acceptor = kt_leaf_acceptor(
      [&](ByteView, bool refresh) -> Result<kt::AccountRecord> {
        ++calls;
        kt::AccountRecord record = bob.record;
        if (refresh) record.devices.push_back(kt::device_entry(2, 2, Bytes(32, std::byte{1})));
        return record;
      },
      1);
  auto accepted = acceptor(leaf, mls::LeafIndex(1));
  EXPECT_TRUE(accepted) << accepted.error().describe();
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace bulwark::client
