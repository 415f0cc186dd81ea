// The to-be-signed encodings (LeafNodeTBS, KeyPackageTBS, FramedContentTBS) and the
// membership tag's AuthenticatedContentTBM, checked against real signatures and MACs in the
// official vectors: if an encoding were off by one byte, Ed25519 verification would fail.
// Suites 1 and 3 (Ed25519, SHA-256) run; the other suites' cases are counted as skipped.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/compare.h"
#include "crypto/ed25519.h"
#include "crypto/mac.h"
#include "protocol/mls/messages/messages.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

bool signature_suite_runs(const nlohmann::json& item) {
  const auto suite = item.at("cipher_suite").get<int>();
  return suite == 1 || suite == 3;
}

nlohmann::json signature_load(std::string_view file) {
  return bulwark::testing::load_json(
      bulwark::testing::shared_vector_path("mls/" + std::string(file)));
}

// VerifyWithLabel (RFC 9420 §5.1.2): Ed25519 over SignContent{"MLS 1.0 " + label, content}.
bool signature_verifies(ByteView public_key, std::string_view label, ByteView content,
                        ByteView signature) {
  const std::string full_label = "MLS 1.0 " + std::string(label);
  const auto sign_content = encode_with([&](TlsWriter& w) {
    w.opaque(as_bytes(full_label));
    w.opaque(content);
  });
  const auto key = crypto::Ed25519PublicKey::from_bytes(public_key);
  if (!sign_content || !key) return false;
  return crypto::ed25519_verify(*key, *sign_content, signature).has_value();
}

bool signature_leaf_verifies(const LeafNode& leaf, ByteView group_id, std::uint32_t index) {
  const auto tbs = leaf_node_tbs(leaf, group_id, index);
  return tbs && signature_verifies(leaf.signature_key, "LeafNodeTBS", *tbs, leaf.signature);
}

TEST(MlsMessagesSignatureTest, TreeLeavesVerifyOverLeafNodeTbs) {
  std::size_t verified = 0;
  std::size_t bound_to_position = 0;
  for (const auto& item : signature_load("tree-validation.json")) {
    if (!signature_suite_runs(item)) continue;
    const Bytes group_id = bulwark::testing::hex(item.at("group_id").get<std::string>());
    const auto tree =
        deserialize_ratchet_tree(bulwark::testing::hex(item.at("tree").get<std::string>()));
    ASSERT_TRUE(tree);
    for (std::size_t i = 0; i < tree->nodes.size(); i += 2) {
      if (!tree->nodes[i]) continue;
      const auto& leaf = std::get<LeafNode>(tree->nodes[i]->body);
      const auto index = static_cast<std::uint32_t>(i / 2);
      EXPECT_TRUE(signature_leaf_verifies(leaf, group_id, index)) << "leaf " << index;
      ++verified;
      if (leaf.leaf_node_source == LeafNodeSource::key_package) continue;
      // Update and commit leaves sign their group and position: elsewhere they do not verify.
      EXPECT_FALSE(signature_leaf_verifies(leaf, group_id, index + 1)) << "leaf " << index;
      ++bound_to_position;
    }
  }
  EXPECT_GT(verified, 100u);
  EXPECT_GT(bound_to_position, 10u);
}

TEST(MlsMessagesSignatureTest, WelcomeKeyPackagesVerifyOverKeyPackageTbs) {
  std::size_t verified = 0;
  for (const auto& item : signature_load("welcome.json")) {
    if (!signature_suite_runs(item)) continue;
    const auto message =
        deserialize_mls_message(bulwark::testing::hex(item.at("key_package").get<std::string>()));
    ASSERT_TRUE(message);
    const auto& key_package = std::get<KeyPackage>(message->body);
    const auto tbs = key_package_tbs(key_package);
    ASSERT_TRUE(tbs);
    const ByteView key = key_package.leaf_node.signature_key;
    EXPECT_TRUE(signature_verifies(key, "KeyPackageTBS", *tbs, key_package.signature));
    EXPECT_TRUE(signature_leaf_verifies(key_package.leaf_node, {}, 0));
    ++verified;
  }
  EXPECT_EQ(verified, 2u);
}

// proposal_pub / commit_pub: the signature over FramedContentTBS (with the GroupContext the
// vector describes) and the membership tag over AuthenticatedContentTBM.
void signature_check_public(const nlohmann::json& item, const char* name,
                            const GroupContext& context) {
  const auto message =
      deserialize_mls_message(bulwark::testing::hex(item.at(name).get<std::string>()));
  ASSERT_TRUE(message) << name;
  const auto& pub = std::get<PublicMessage>(message->body);
  const auto tbs = framed_content_tbs(WireFormat::mls_public_message, pub.content, &context);
  ASSERT_TRUE(tbs) << name;
  const Bytes signer = bulwark::testing::hex(item.at("signature_pub").get<std::string>());
  EXPECT_TRUE(signature_verifies(signer, "FramedContentTBS", *tbs, pub.auth.signature)) << name;

  const auto tbm = authenticated_content_tbm(pub.content, pub.auth, &context);
  ASSERT_TRUE(tbm) << name;
  const Bytes membership_key = bulwark::testing::hex(item.at("membership_key").get<std::string>());
  const auto tag = crypto::hmac_sha256(membership_key, *tbm);
  ASSERT_TRUE(pub.membership_tag) << name;
  EXPECT_TRUE(crypto::constant_time_equal(view_of(tag), *pub.membership_tag)) << name;
}

TEST(MlsMessagesSignatureTest, PublicMessagesVerifyOverFramedContentTbsAndTbm) {
  std::size_t checked = 0;
  for (const auto& item : signature_load("message-protection.json")) {
    if (!signature_suite_runs(item)) continue;
    GroupContext context;
    context.cipher_suite = item.at("cipher_suite").get<std::uint16_t>();
    context.group_id = bulwark::testing::hex(item.at("group_id").get<std::string>());
    context.epoch = item.at("epoch").get<std::uint64_t>();
    context.tree_hash = bulwark::testing::hex(item.at("tree_hash").get<std::string>());
    context.confirmed_transcript_hash =
        bulwark::testing::hex(item.at("confirmed_transcript_hash").get<std::string>());
    signature_check_public(item, "proposal_pub", context);
    signature_check_public(item, "commit_pub", context);
    ++checked;
  }
  EXPECT_EQ(checked, 2u);
}

TEST(MlsMessagesSignatureTest, OtherSuitesAreSkipped) {
  std::size_t skipped = 0;
  for (const char* file : {"tree-validation.json", "welcome.json", "message-protection.json"}) {
    for (const auto& item : signature_load(file)) skipped += signature_suite_runs(item) ? 0 : 1;
  }
  EXPECT_EQ(skipped, 70u + 5u + 5u);
  RecordProperty("skipped_cases", static_cast<int>(skipped));
  GTEST_SKIP() << skipped
               << " signature cases of suites 2, 4, 5, 6, 7 skipped: P-256, Ed448 and P-521/P-384 "
                  "signatures are not implemented";
}

}  // namespace
}  // namespace bulwark::protocol::mls
