// Welcome crypto end to end: a committer welcomes two KeyPackages (one with a path secret,
// with PSK ids), each joiner opens its GroupSecrets and the GroupInfo; a Welcome for someone
// else, a tampered one, the wrong PSK secret and another suite are refused.
#include "protocol/mls/welcome.h"

#include <gtest/gtest.h>

#include <array>

#include "protocol/mls/key_package.h"
#include "support/seeded_rng.h"

namespace bulwark::protocol::mls {
namespace {

struct WelcomeFixture {
  CipherSuite suite = *CipherSuite::from_id(1);
  bulwark::testing::SeededRng rng{5};
  crypto::Ed25519KeyPair committer = crypto::ed25519_keypair(rng);
  std::vector<KeyPackageBundle> joiners;
  Bytes joiner_secret = Bytes(32, std::byte{0x11});
  Bytes psk_secret = Bytes(32, std::byte{0x22});
  Bytes path_secret = Bytes(32, std::byte{0x33});
  std::vector<PreSharedKeyID> psks{
      PreSharedKeyID{ExternalPskId{Bytes(4, std::byte{9})}, Bytes(32, std::byte{8})}};
  GroupInfo info;
  Bytes info_wire;

  WelcomeFixture() {
    for (const char* name : {"ann", "ben", "cat"}) {
      const auto signer = crypto::ed25519_keypair(rng);
      auto bundle =
          create_key_package(suite, signer.secret_key,
                             KeyPackageParams{basic_credential(to_bytes(as_bytes(name)))}, rng);
      EXPECT_TRUE(bundle);
      joiners.push_back(std::move(*bundle));
    }
    info.group_context.cipher_suite = 1;
    info.group_context.group_id = to_bytes(as_bytes("welcome group"));
    info.group_context.epoch = 3;
    info.group_context.tree_hash = Bytes(32, std::byte{4});
    info.group_context.confirmed_transcript_hash = Bytes(32, std::byte{5});
    info.confirmation_tag = Bytes(32, std::byte{6});
    info.signer = 0;
    EXPECT_TRUE(sign_group_info(suite, committer.secret_key, info));
    info_wire = *serialize(info);
  }

  // Welcomes ann (with the path secret) and ben.
  Welcome welcome() {
    const std::array<WelcomeRecipient, 2> recipients{
        WelcomeRecipient{&joiners[0].key_package, ByteView(path_secret)},
        WelcomeRecipient{&joiners[1].key_package, std::nullopt}};
    auto out = create_welcome(suite, joiner_secret, psk_secret, psks, info_wire, recipients, rng);
    EXPECT_TRUE(out) << out.error().describe();
    return std::move(*out);
  }
};

TEST(MlsWelcomeCryptoTest, EachRecipientOpensItsSecretsAndTheGroupInfo) {
  WelcomeFixture f;
  const Welcome welcome = f.welcome();
  ASSERT_EQ(welcome.secrets.size(), 2u);
  EXPECT_EQ(welcome.secrets[0].new_member, f.joiners[0].ref);
  // Through the wire, as a joiner receives it.
  const Welcome received = *deserialize_welcome(*serialize(welcome));
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    const auto secrets =
        open_group_secrets(received, f.joiners[i].key_package, f.joiners[i].private_keys.init_key);
    ASSERT_TRUE(secrets) << secrets.error().describe();
    EXPECT_EQ(to_bytes(secrets->joiner_secret.view()), f.joiner_secret);
    EXPECT_EQ(secrets->psks, f.psks);
    EXPECT_EQ(secrets->path_secret.has_value(), i == 0);
    if (secrets->path_secret) {
      EXPECT_EQ(to_bytes(secrets->path_secret->path_secret.view()), f.path_secret);
    }
    const auto info = open_group_info(received, secrets->joiner_secret.view(), f.psk_secret);
    ASSERT_TRUE(info) << info.error().describe();
    EXPECT_EQ(*info, f.info);
    EXPECT_TRUE(verify_group_info(f.suite, *info, f.committer.public_key.bytes()));
  }
}

TEST(MlsWelcomeCryptoTest, WrongRecipientKeysAndTamperingAreRefused) {
  WelcomeFixture f;
  const Welcome welcome = f.welcome();
  const KeyPackageBundle& ann = f.joiners[0];
  // cat was not welcomed; ben's init key does not open ann's entry.
  EXPECT_EQ(
      open_group_secrets(welcome, f.joiners[2].key_package, f.joiners[2].private_keys.init_key)
          .error()
          .code,
      Errc::invalid_message);
  EXPECT_EQ(
      open_group_secrets(welcome, ann.key_package, f.joiners[1].private_keys.init_key).error().code,
      Errc::auth_failed);
  // The GroupInfo ciphertext is the HPKE context of every entry: changing it breaks both.
  Welcome tampered = welcome;
  tampered.encrypted_group_info.back() ^= std::byte{1};
  EXPECT_EQ(open_group_secrets(tampered, ann.key_package, ann.private_keys.init_key).error().code,
            Errc::auth_failed);
  EXPECT_EQ(open_group_info(tampered, f.joiner_secret, f.psk_secret).error().code,
            Errc::auth_failed);
  // Without the PSKs the welcome key is another one.
  EXPECT_EQ(open_group_info(welcome, f.joiner_secret, Bytes(32)).error().code, Errc::auth_failed);
  EXPECT_EQ(open_group_info(welcome, f.joiner_secret, Bytes(31)).error().code,
            Errc::invalid_length);
  // A Welcome claiming another suite than the KeyPackage's.
  Welcome other_suite = welcome;
  other_suite.cipher_suite = 3;
  EXPECT_EQ(
      open_group_secrets(other_suite, ann.key_package, ann.private_keys.init_key).error().code,
      Errc::invalid_message);
}

TEST(MlsWelcomeCryptoTest, GroupInfoSignaturesCoverEveryField) {
  WelcomeFixture f;
  const ByteView key = f.committer.public_key.bytes();
  EXPECT_TRUE(verify_group_info(f.suite, f.info, key));
  GroupInfo changed = f.info;
  changed.signer = 1;
  EXPECT_EQ(verify_group_info(f.suite, changed, key).error().code, Errc::auth_failed);
  changed = f.info;
  changed.group_context.epoch++;
  EXPECT_EQ(verify_group_info(f.suite, changed, key).error().code, Errc::auth_failed);
  changed = f.info;
  changed.confirmation_tag.front() ^= std::byte{1};
  EXPECT_EQ(verify_group_info(f.suite, changed, key).error().code, Errc::auth_failed);
}

TEST(MlsWelcomeCryptoTest, RecipientsMustBeUsablePackagesOfTheSuite) {
  WelcomeFixture f;
  std::array<WelcomeRecipient, 1> missing{WelcomeRecipient{nullptr, std::nullopt}};
  EXPECT_EQ(create_welcome(f.suite, f.joiner_secret, f.psk_secret, {}, f.info_wire, missing, f.rng)
                .error()
                .code,
            Errc::invalid_argument);
  KeyPackage other = f.joiners[0].key_package;
  other.cipher_suite = 3;
  std::array<WelcomeRecipient, 1> wrong_suite{WelcomeRecipient{&other, std::nullopt}};
  EXPECT_EQ(
      create_welcome(f.suite, f.joiner_secret, f.psk_secret, {}, f.info_wire, wrong_suite, f.rng)
          .error()
          .code,
      Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::protocol::mls
