// The ratchet tree against the official vectors: tree-validation (resolutions, every node's
// tree hash, parent hashes, leaf signatures and the whole joiner check, suites 1 and 3) and
// tree-operations (Add, Update and Remove applied to a tree, suite 1). Other suites are
// counted and reported as skipped.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/mls/messages/proposals.h"
#include "protocol/mls/tree/parent_hash.h"
#include "protocol/mls/tree/public_tree.h"
#include "protocol/mls/tree/tree_validation.h"
#include "protocol/mls/vector_suites.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

Bytes tree_vectors_hex(const nlohmann::json& value) {
  return bulwark::testing::hex(value.get<std::string>());
}

nlohmann::json tree_vectors_load(const char* name) {
  return bulwark::testing::load_json(bulwark::testing::shared_vector_path(name));
}

PublicTree tree_vectors_tree(const CipherSuite& suite, const nlohmann::json& hex_tree) {
  const auto wire = deserialize_ratchet_tree(tree_vectors_hex(hex_tree));
  EXPECT_TRUE(wire) << wire.error().describe();
  auto tree = PublicTree::from_wire(suite, *wire);
  EXPECT_TRUE(tree) << tree.error().describe();
  return std::move(*tree);
}

// The first node whose resolution or tree hash differs from the vector, or "".
std::string tree_vectors_node_mismatch(const PublicTree& tree, const nlohmann::json& item) {
  const auto& resolutions = item.at("resolutions");
  const auto& hashes = item.at("tree_hashes");
  if (resolutions.size() != tree.node_width() || hashes.size() != tree.node_width()) {
    return "node count";
  }
  for (std::uint32_t i = 0; i < tree.node_width(); ++i) {
    std::vector<std::uint32_t> got;
    for (NodeIndex n : tree.resolution(NodeIndex(i))) got.push_back(n.value());
    if (got != resolutions[i].get<std::vector<std::uint32_t>>()) {
      return "resolution of node " + std::to_string(i);
    }
    const auto hash = tree.tree_hash(NodeIndex(i));
    if (!hash || *hash != tree_vectors_hex(hashes[i]))
      return "tree hash of node " + std::to_string(i);
  }
  return "";
}

TEST(MlsTreeVectorsTest, TreeValidationMatchesResolutionsHashesAndSignatures) {
  int run = 0;
  for (const auto& item : tree_vectors_load("mls/tree-validation.json")) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    SCOPED_TRACE("suite " + std::to_string(id) + ", case " + std::to_string(run));
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    const PublicTree tree = tree_vectors_tree(*suite, item.at("tree"));
    EXPECT_EQ(tree_vectors_node_mismatch(tree, item), "");
    const auto parent_hashes = verify_parent_hashes(tree);
    EXPECT_TRUE(parent_hashes) << parent_hashes.error().describe();

    GroupContext context;
    context.cipher_suite = id;
    context.group_id = tree_vectors_hex(item.at("group_id"));
    context.tree_hash = *tree.root_hash();
    const auto valid = validate_tree(tree, context);
    EXPECT_TRUE(valid) << valid.error().describe();
    // The wire form survives the round trip.
    EXPECT_EQ(serialize(tree.to_wire()).value(), tree_vectors_hex(item.at("tree")));
    ++run;
  }
  EXPECT_EQ(run, 28);
}

TEST(MlsTreeVectorsTest, TreeValidationOtherSuitesAreSkipped) {
  const auto counts = vectors::count_suites(tree_vectors_load("mls/tree-validation.json"));
  EXPECT_EQ(counts.run, 28);
  EXPECT_EQ(counts.skipped, 70);
  GTEST_SKIP() << counts.skipped << " tree-validation cases skipped: " << counts.reasons;
}

// Applies an Add, Update or Remove proposal from `sender` the way a commit does.
Result<void> tree_vectors_apply(PublicTree& tree, const Proposal& proposal, LeafIndex sender) {
  if (const auto* add = std::get_if<Add>(&proposal.body)) {
    BULWARK_TRY(tree.add_leaf(add->key_package.leaf_node));
    return {};
  }
  if (const auto* update = std::get_if<Update>(&proposal.body)) {
    return tree.update_leaf(sender, update->leaf_node);
  }
  if (const auto* remove = std::get_if<Remove>(&proposal.body)) {
    return tree.remove_leaf(LeafIndex(remove->removed));
  }
  return fail(Errc::invalid_argument, "not a tree proposal");
}

TEST(MlsTreeVectorsTest, TreeOperationsProduceTheTreeAfter) {
  int run = 0;
  for (const auto& item : tree_vectors_load("mls/tree-operations.json")) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    SCOPED_TRACE("case " + std::to_string(run));
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    PublicTree tree = tree_vectors_tree(*suite, item.at("tree_before"));
    EXPECT_EQ(tree.root_hash().value(), tree_vectors_hex(item.at("tree_hash_before")));
    const auto proposal = deserialize_proposal(tree_vectors_hex(item.at("proposal")));
    ASSERT_TRUE(proposal);
    const auto applied = tree_vectors_apply(
        tree, *proposal, LeafIndex(item.at("proposal_sender").get<std::uint32_t>()));
    ASSERT_TRUE(applied) << applied.error().describe();
    EXPECT_EQ(serialize(tree.to_wire()).value(), tree_vectors_hex(item.at("tree_after")));
    EXPECT_EQ(tree.root_hash().value(), tree_vectors_hex(item.at("tree_hash_after")));
    // The cached hash equals one computed from scratch.
    const PublicTree fresh = tree_vectors_tree(*suite, item.at("tree_after"));
    EXPECT_EQ(fresh.root_hash().value(), tree.root_hash().value());
    ++run;
  }
  EXPECT_EQ(run, 5);
}

}  // namespace
}  // namespace bulwark::protocol::mls
