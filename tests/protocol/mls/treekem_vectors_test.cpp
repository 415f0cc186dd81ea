// TreeKEM against the official treekem vectors (suites 1 and 3), following the "Verification"
// steps of test-vectors.md: private states consistent with the tree; each UpdatePath is
// parent-hash valid, merges to tree_hash_after, and every other member decrypts its path
// secret and derives commit_secret; a new UpdatePath from the same sender is processed by every
// other member to the same commit secret.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "protocol/mls/tree/parent_hash.h"
#include "protocol/mls/tree/public_tree.h"
#include "protocol/mls/tree/tree_validation.h"
#include "protocol/mls/tree/treekem.h"
#include "protocol/mls/vector_suites.h"
#include "support/seeded_rng.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

Bytes treekem_vec_hex(const nlohmann::json& value) {
  return bulwark::testing::hex(value.get<std::string>());
}

nlohmann::json treekem_vec_cases() {
  return bulwark::testing::load_json(bulwark::testing::shared_vector_path("mls/treekem.json"));
}

struct TreeKemVecMember {
  TreeKemPrivate state;
  Bytes signature_priv;
};

std::map<std::uint32_t, TreeKemVecMember> treekem_vec_members(const PublicTree& tree,
                                                              const nlohmann::json& item) {
  std::map<std::uint32_t, TreeKemVecMember> out;
  for (const auto& entry : item.at("leaves_private")) {
    const auto index = entry.at("index").get<std::uint32_t>();
    auto key = crypto::X25519SecretKey::from_bytes(treekem_vec_hex(entry.at("encryption_priv")));
    EXPECT_TRUE(key);
    TreeKemPrivate state(LeafIndex(index), std::move(*key));
    for (const auto& secret : entry.at("path_secrets")) {
      const auto set =
          state.set_path_secret(tree, NodeIndex(secret.at("node").get<std::uint32_t>()),
                                treekem_vec_hex(secret.at("path_secret")));
      EXPECT_TRUE(set) << set.error().describe();
    }
    const auto consistent = state.check_consistent(tree);
    EXPECT_TRUE(consistent) << "leaf " << index << ": " << consistent.error().describe();
    out.emplace(index,
                TreeKemVecMember{std::move(state), treekem_vec_hex(entry.at("signature_priv"))});
  }
  return out;
}

GroupContext treekem_vec_context(const nlohmann::json& item) {
  GroupContext context;
  context.cipher_suite = item.at("cipher_suite").get<std::uint16_t>();
  context.group_id = treekem_vec_hex(item.at("group_id"));
  context.epoch = item.at("epoch").get<std::uint64_t>();
  context.confirmed_transcript_hash = treekem_vec_hex(item.at("confirmed_transcript_hash"));
  return context;
}

// `tree` with `path` from `sender` merged, and the serialized provisional context for it.
std::pair<PublicTree, Bytes> treekem_vec_merge(const PublicTree& tree, GroupContext context,
                                               LeafIndex sender, const UpdatePath& path) {
  PublicTree merged = tree;
  const auto applied = merged.merge_update_path(sender, path);
  EXPECT_TRUE(applied) << applied.error().describe();
  const auto linked = verify_parent_hashes(merged);
  EXPECT_TRUE(linked) << linked.error().describe();
  context.tree_hash = merged.root_hash().value();
  return {std::move(merged), serialize(context).value()};
}

// Every member but `sender` processes `path` and must reach `commit_secret` (and, when
// given, its own entry of `path_secrets`).
int treekem_vec_process(const std::map<std::uint32_t, TreeKemVecMember>& members,
                        const PublicTree& merged, ByteView context, LeafIndex sender,
                        const UpdatePath& path, ByteView commit_secret,
                        const nlohmann::json* path_secrets) {
  int processed = 0;
  for (const auto& [index, member] : members) {
    if (index == sender.value()) continue;
    TreeKemPrivate state = member.state.clone();
    const auto got = state.decap(merged, sender, path, context, {});
    EXPECT_TRUE(got) << "leaf " << index << ": " << got.error().describe();
    if (!got) continue;
    ++processed;
    EXPECT_EQ(to_bytes(got->commit_secret.view()), to_bytes(commit_secret)) << "leaf " << index;
    if (path_secrets) {
      EXPECT_EQ(to_bytes(got->path_secret.view()), treekem_vec_hex((*path_secrets)[index]))
          << "leaf " << index;
    }
    const auto consistent = state.check_consistent(merged);
    EXPECT_TRUE(consistent) << "leaf " << index << ": " << consistent.error().describe();
  }
  return processed;
}

// A fresh UpdatePath from `sender`, then every other member processes it.
void treekem_vec_new_path(const PublicTree& tree, const GroupContext& context,
                          const std::map<std::uint32_t, TreeKemVecMember>& members,
                          LeafIndex sender, std::uint64_t seed) {
  const TreeKemVecMember& committer = members.at(sender.value());
  const auto signer = crypto::Ed25519SecretKey::from_seed(committer.signature_priv);
  ASSERT_TRUE(signer);
  PublicTree after = tree;
  TreeKemPrivate state = committer.state.clone();
  bulwark::testing::SeededRng rng(seed);
  const auto made = state.encap(after, *tree.leaf(sender), *signer, context, {}, rng);
  ASSERT_TRUE(made) << made.error().describe();
  EXPECT_TRUE(state.check_consistent(after));
  EXPECT_TRUE(verify_parent_hashes(after));
  const auto leaves = LeafValidator::create(tree, context.group_id, {});
  ASSERT_TRUE(leaves);
  const auto leaf_ok = leaves->check_new_leaf(made->path.leaf_node, LeafNodeSource::commit, sender);
  EXPECT_TRUE(leaf_ok) << leaf_ok.error().describe();

  auto [merged, bytes] = treekem_vec_merge(tree, context, sender, made->path);
  EXPECT_EQ(merged.root_hash().value(), after.root_hash().value());
  EXPECT_EQ(bytes, made->group_context);
  EXPECT_EQ(treekem_vec_process(members, merged, bytes, sender, made->path,
                                made->commit_secret.view(), nullptr),
            static_cast<int>(members.size()) - 1);
}

TEST(MlsTreeKemVectorsTest, EveryMemberDerivesTheCommitSecret) {
  int run = 0;
  for (const auto& item : treekem_vec_cases()) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    SCOPED_TRACE("suite " + std::to_string(id) + ", case " + std::to_string(run));
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    const auto wire = deserialize_ratchet_tree(treekem_vec_hex(item.at("ratchet_tree")));
    ASSERT_TRUE(wire);
    const auto tree = PublicTree::from_wire(*suite, *wire);
    ASSERT_TRUE(tree) << tree.error().describe();
    const auto members = treekem_vec_members(*tree, item);
    const GroupContext context = treekem_vec_context(item);
    for (const auto& entry : item.at("update_paths")) {
      const LeafIndex sender(entry.at("sender").get<std::uint32_t>());
      SCOPED_TRACE("sender " + sender.to_string());
      const auto path = decode_all(treekem_vec_hex(entry.at("update_path")), decode_update_path);
      ASSERT_TRUE(path);
      auto [merged, bytes] = treekem_vec_merge(*tree, context, sender, *path);
      EXPECT_EQ(merged.root_hash().value(), treekem_vec_hex(entry.at("tree_hash_after")));
      const auto& secrets = entry.at("path_secrets");
      // Every non-blank leaf has a private state, and each processes the path.
      EXPECT_EQ(members.size(), tree->member_count());
      EXPECT_EQ(treekem_vec_process(members, merged, bytes, sender, *path,
                                    treekem_vec_hex(entry.at("commit_secret")), &secrets),
                static_cast<int>(members.size()) - 1);
      treekem_vec_new_path(*tree, context, members, sender, 1000u * run + sender.value());
    }
    ++run;
  }
  EXPECT_EQ(run, 22);
}

TEST(MlsTreeKemVectorsTest, OtherSuitesAreSkipped) {
  const auto counts = vectors::count_suites(treekem_vec_cases());
  EXPECT_EQ(counts.run, 22);
  EXPECT_EQ(counts.skipped, 55);
  GTEST_SKIP() << counts.skipped << " treekem cases skipped: " << counts.reasons;
}

}  // namespace
}  // namespace bulwark::protocol::mls
