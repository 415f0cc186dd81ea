// Welcome crypto against the official vectors (suites 1 and 3).
//
// welcome.json: find our entry by KeyPackageRef, decrypt the GroupSecrets with init_priv and
// the GroupInfo with the welcome key, verify the GroupInfo signature with signer_pub, and check
// its confirmation_tag is MAC(confirmation_key, confirmed_transcript_hash) of the epoch the
// joiner_secret starts. passive-client-welcome.json goes further on the same path: external
// PSKs enter the psk_secret, the signer's key comes from the ratchet tree (in the GroupInfo or
// out of band), and the epoch_authenticator must equal the vector's.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "protocol/mls/key_package.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/messages.h"
#include "protocol/mls/psk.h"
#include "protocol/mls/transcript.h"
#include "protocol/mls/vector_suites.h"
#include "protocol/mls/welcome.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

Bytes welvec_hex(const nlohmann::json& item, const char* key) {
  return bulwark::testing::hex(item.at(key).get<std::string>());
}

nlohmann::json welvec_load(const char* file) {
  return bulwark::testing::load_json(bulwark::testing::shared_vector_path(file));
}

template <class T>
T welvec_body(const Bytes& wire) {
  auto message = deserialize_mls_message(wire);
  EXPECT_TRUE(message) << message.error().describe();
  return std::get<T>(std::move(message->body));
}

// The psk_secret of the GroupSecrets' PSK ids, each an external PSK of the vector.
SecretBytes welvec_psk_secret(const CipherSuite& suite, const GroupSecrets& secrets,
                              const nlohmann::json& external_psks) {
  std::vector<PskInput> inputs;
  for (const PreSharedKeyID& id : secrets.psks) {
    const auto& external = std::get<ExternalPskId>(id.id);
    Bytes value;
    for (const auto& psk : external_psks) {
      if (welvec_hex(psk, "psk_id") == external.psk_id) value = welvec_hex(psk, "psk");
    }
    EXPECT_FALSE(value.empty()) << "PSK id not in the vector";
    inputs.push_back(
        PskInput{*encode_with([&](TlsWriter& w) { encode(w, id); }), SecretBytes::copy_of(value)});
  }
  auto secret = psk_secret(suite, inputs);
  EXPECT_TRUE(secret);
  return secret ? std::move(*secret) : SecretBytes(CipherSuite::hash_size());
}

// Opens the Welcome for the KeyPackage and checks the signature and confirmation tag; the
// GroupInfo and the epoch secrets go to the out parameters.
void welvec_open(const CipherSuite& suite, const Welcome& welcome, const KeyPackage& key_package,
                 ByteView init_priv, const nlohmann::json& external_psks, ByteView signer_pub,
                 GroupInfo* info_out, EpochSecrets* epoch_out) {
  const auto init_key = crypto::X25519SecretKey::from_bytes(init_priv);
  ASSERT_TRUE(init_key);
  auto secrets = open_group_secrets(welcome, key_package, *init_key);
  ASSERT_TRUE(secrets) << secrets.error().describe();
  const SecretBytes psk = welvec_psk_secret(suite, *secrets, external_psks);
  auto info = open_group_info(welcome, secrets->joiner_secret.view(), psk.view());
  ASSERT_TRUE(info) << info.error().describe();
  const auto verified = verify_group_info(suite, *info, signer_pub);
  EXPECT_TRUE(verified) << verified.error().describe();
  const auto context = serialize(info->group_context);
  ASSERT_TRUE(context);
  auto epoch =
      derive_epoch_secrets_from_joiner(suite, secrets->joiner_secret.view(), psk.view(), *context);
  ASSERT_TRUE(epoch);
  EXPECT_EQ(confirmation_tag(epoch->confirmation_key.view(),
                             info->group_context.confirmed_transcript_hash),
            info->confirmation_tag);
  *info_out = std::move(*info);
  *epoch_out = std::move(*epoch);
}

TEST(MlsWelcomeTest, OfficialWelcomeVectors) {
  int run = 0;
  for (const auto& item : welvec_load("mls/welcome.json")) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    SCOPED_TRACE("suite " + std::to_string(id));
    const CipherSuite suite = *CipherSuite::from_id(id);
    const auto key_package = welvec_body<KeyPackage>(welvec_hex(item, "key_package"));
    const auto welcome = welvec_body<Welcome>(welvec_hex(item, "welcome"));
    // The KeyPackageRef is the one the Welcome names, and the package itself is valid.
    const auto ref = key_package_ref(suite, key_package);
    ASSERT_TRUE(ref);
    ASSERT_EQ(welcome.secrets.size(), 1u);
    EXPECT_EQ(*ref, welcome.secrets[0].new_member);
    const auto valid =
        validate_key_package(suite, key_package, key_package.leaf_node.lifetime->not_before);
    EXPECT_TRUE(valid) << valid.error().describe();
    GroupInfo info;
    EpochSecrets epoch;
    welvec_open(suite, welcome, key_package, welvec_hex(item, "init_priv"), nlohmann::json::array(),
                welvec_hex(item, "signer_pub"), &info, &epoch);
    ASSERT_FALSE(info.signature.empty());
    // A wrong signer key is refused.
    const auto wrong = verify_group_info(suite, info, key_package.leaf_node.signature_key);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, Errc::auth_failed);
    ++run;
  }
  EXPECT_EQ(run, 2);
}

TEST(MlsWelcomeTest, OfficialWelcomeOtherSuitesAreSkipped) {
  const auto counts = vectors::count_suites(welvec_load("mls/welcome.json"));
  EXPECT_EQ(counts.run, 2);
  EXPECT_EQ(counts.skipped, 5);
  GTEST_SKIP() << counts.skipped << " welcome cases skipped: " << counts.reasons;
}

// The ratchet tree of a passive-client case: out of band, or the GroupInfo's extension.
RatchetTree welvec_tree(const nlohmann::json& item, const GroupInfo& info) {
  if (!item.at("ratchet_tree").is_null()) {
    return *deserialize_ratchet_tree(welvec_hex(item, "ratchet_tree"));
  }
  const Extension* extension = find_extension(info.extensions, ExtensionType::ratchet_tree);
  EXPECT_NE(extension, nullptr);
  return *ratchet_tree_from(*extension);
}

// The decrypt step cannot know the signer's key before it has the GroupInfo; the vectors give
// no signer key, so the GroupInfo is opened once to find the tree, then checked against it.
void welvec_run_passive(const nlohmann::json& item) {
  const CipherSuite suite = *CipherSuite::from_id(item.at("cipher_suite").get<std::uint16_t>());
  const auto key_package = welvec_body<KeyPackage>(welvec_hex(item, "key_package"));
  const auto welcome = welvec_body<Welcome>(welvec_hex(item, "welcome"));
  const auto valid =
      validate_key_package(suite, key_package, key_package.leaf_node.lifetime->not_before);
  EXPECT_TRUE(valid) << valid.error().describe();
  const Bytes init_priv = welvec_hex(item, "init_priv");
  const auto init_key = crypto::X25519SecretKey::from_bytes(init_priv);
  ASSERT_TRUE(init_key);
  const auto secrets = open_group_secrets(welcome, key_package, *init_key);
  ASSERT_TRUE(secrets) << secrets.error().describe();
  const SecretBytes psk = welvec_psk_secret(suite, *secrets, item.at("external_psks"));
  const auto first = open_group_info(welcome, secrets->joiner_secret.view(), psk.view());
  ASSERT_TRUE(first) << first.error().describe();
  const RatchetTree tree = welvec_tree(item, *first);
  const auto& signer = tree.nodes.at(std::size_t{first->signer} * 2);
  ASSERT_TRUE(signer.has_value());
  const Bytes signer_pub = std::get<LeafNode>(signer->body).signature_key;

  GroupInfo info;
  EpochSecrets epoch;
  welvec_open(suite, welcome, key_package, init_priv, item.at("external_psks"), signer_pub, &info,
              &epoch);
  EXPECT_EQ(to_bytes(epoch.epoch_authenticator.view()),
            welvec_hex(item, "initial_epoch_authenticator"));
}

TEST(MlsWelcomeTest, PassiveClientWelcomesOpenAndConfirm) {
  int run = 0;
  for (const auto& item : welvec_load("mls/passive-client-welcome.json")) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    SCOPED_TRACE("suite " + std::to_string(id) + " case " + std::to_string(run));
    welvec_run_passive(item);
    ++run;
  }
  EXPECT_EQ(run, 16);
}

TEST(MlsWelcomeTest, PassiveClientWelcomeOtherSuitesAreSkipped) {
  const auto counts = vectors::count_suites(welvec_load("mls/passive-client-welcome.json"));
  EXPECT_EQ(counts.run, 16);
  EXPECT_EQ(counts.skipped, 40);
  GTEST_SKIP() << counts.skipped << " passive-client-welcome cases skipped: " << counts.reasons;
}

}  // namespace
}  // namespace bulwark::protocol::mls
