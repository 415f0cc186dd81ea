// MLS array-tree math: the official tree-math vectors (every node of every tree, every
// relation, null where the relation does not exist), plus the paths and common ancestors
// the vectors do not list, checked against the relations they do.
#include "protocol/mls/tree_math.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

// "first mismatch" text for one relation of one tree, or empty when every node matches.
template <class Relation>
std::string tree_math_check(const nlohmann::json& expected, std::uint32_t n_nodes, const char* name,
                            Relation relation) {
  if (expected.size() != n_nodes) return std::string(name) + ": wrong array length";
  for (std::uint32_t i = 0; i < n_nodes; ++i) {
    const std::optional<NodeIndex> got = relation(NodeIndex(i));
    const auto& want = expected[i];
    const bool same = want.is_null() ? !got.has_value()
                                     : got.has_value() && got->value() == want.get<std::uint32_t>();
    if (!same) {
      return std::string(name) + "[" + std::to_string(i) + "]: got " +
             (got ? got->to_string() : "null") + ", want " + want.dump();
    }
  }
  return {};
}

TEST(MlsTreeMathTest, OfficialVectorsMatchEveryNodeAndRelation) {
  const auto cases =
      bulwark::testing::load_json(bulwark::testing::shared_vector_path("mls/tree-math.json"));
  ASSERT_EQ(cases.size(), 10u);
  for (const auto& item : cases) {
    const auto n = item.at("n_leaves").get<std::uint32_t>();
    const auto n_nodes = item.at("n_nodes").get<std::uint32_t>();
    SCOPED_TRACE("n_leaves " + std::to_string(n));
    EXPECT_EQ(node_width(n), n_nodes);
    EXPECT_EQ(root(n).value(), item.at("root").get<std::uint32_t>());
    EXPECT_EQ(
        tree_math_check(item.at("left"), n_nodes, "left", [](NodeIndex x) { return left(x); }), "");
    EXPECT_EQ(
        tree_math_check(item.at("right"), n_nodes, "right", [](NodeIndex x) { return right(x); }),
        "");
    EXPECT_EQ(tree_math_check(item.at("parent"), n_nodes, "parent",
                              [n](NodeIndex x) { return parent(x, n); }),
              "");
    EXPECT_EQ(tree_math_check(item.at("sibling"), n_nodes, "sibling",
                              [n](NodeIndex x) { return sibling(x, n); }),
              "");
    // Beyond the tree every relation that needs the tree is undefined.
    EXPECT_FALSE(in_tree(NodeIndex(n_nodes), n));
    EXPECT_FALSE(parent(NodeIndex(n_nodes), n));
    EXPECT_FALSE(sibling(NodeIndex(n_nodes), n));
    EXPECT_FALSE(direct_path(NodeIndex(n_nodes), n));
    EXPECT_FALSE(copath(NodeIndex(n_nodes), n));
  }
}

TEST(MlsTreeMathTest, LeafAndNodeIndicesConvert) {
  EXPECT_EQ(to_node(LeafIndex(0)), NodeIndex(0));
  EXPECT_EQ(to_node(LeafIndex(5)), NodeIndex(10));
  EXPECT_EQ(to_leaf(NodeIndex(10)), LeafIndex(5));
  EXPECT_FALSE(to_leaf(NodeIndex(7)));
  EXPECT_TRUE(is_leaf(NodeIndex(4)));
  EXPECT_EQ(level(NodeIndex(7)), 3u);
  std::unordered_set<LeafIndex> seen{LeafIndex(1), LeafIndex(1), LeafIndex(2)};
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_LT(NodeIndex(1), NodeIndex(2));
}

TEST(MlsTreeMathTest, LeafCountsArePowersOfTwo) {
  EXPECT_TRUE(valid_leaf_count(1));
  EXPECT_TRUE(valid_leaf_count(max_tree_leaves));
  EXPECT_FALSE(valid_leaf_count(0));
  EXPECT_FALSE(valid_leaf_count(3));
  EXPECT_EQ(full_leaf_count(3), 4u);
  EXPECT_EQ(full_leaf_count(8), 8u);
  EXPECT_EQ(node_width(max_tree_leaves), 0xfffffffFu);
  EXPECT_DEATH((void)root(6), "power of two");
}

TEST(MlsTreeMathTest, DirectPathAndCopathFollowTheParents) {
  // RFC 9420 §4.1's eight-leaf picture: leaf A (node 0) has direct path 1, 3, 7 and copath
  // 2, 5, 11 (B, CD, EFGH).
  EXPECT_EQ(*direct_path(NodeIndex(0), 8),
            (std::vector<NodeIndex>{NodeIndex(1), NodeIndex(3), NodeIndex(7)}));
  EXPECT_EQ(*copath(NodeIndex(0), 8),
            (std::vector<NodeIndex>{NodeIndex(2), NodeIndex(5), NodeIndex(11)}));
  EXPECT_TRUE(direct_path(NodeIndex(7), 8)->empty());
  EXPECT_TRUE(copath(NodeIndex(7), 8)->empty());
  EXPECT_TRUE(direct_path(NodeIndex(0), 1)->empty());
  for (std::uint32_t n : {1u, 2u, 16u, 64u}) {
    for (std::uint32_t x = 0; x < node_width(n); ++x) {
      const auto path = *direct_path(NodeIndex(x), n);
      const auto co = *copath(NodeIndex(x), n);
      ASSERT_EQ(path.size(), co.size());
      NodeIndex child(x);
      for (std::size_t i = 0; i < path.size(); ++i) {
        ASSERT_EQ(parent(child, n), path[i]);
        ASSERT_EQ(sibling(child, n), co[i]);
        child = path[i];
      }
      if (!path.empty()) {
        EXPECT_EQ(path.back(), root(n));
      }
    }
  }
}

TEST(MlsTreeMathTest, CommonAncestorIsTheLowestSharedNode) {
  EXPECT_EQ(common_ancestor(NodeIndex(0), NodeIndex(2), 8), NodeIndex(1));
  EXPECT_EQ(common_ancestor(NodeIndex(0), NodeIndex(4), 8), NodeIndex(3));
  EXPECT_EQ(common_ancestor(NodeIndex(2), NodeIndex(14), 8), NodeIndex(7));
  EXPECT_EQ(common_ancestor(NodeIndex(4), NodeIndex(4), 8), NodeIndex(4));
  EXPECT_EQ(common_ancestor(NodeIndex(5), NodeIndex(4), 8), NodeIndex(5));
  EXPECT_EQ(common_ancestor(NodeIndex(3), NodeIndex(12), 8), NodeIndex(7));
  EXPECT_FALSE(common_ancestor(NodeIndex(0), NodeIndex(15), 8));
  // Exhaustively: the answer is on both direct paths (or is the node) and nothing lower is.
  constexpr std::uint32_t n = 16;
  for (std::uint32_t a = 0; a < node_width(n); ++a) {
    for (std::uint32_t b = 0; b < node_width(n); ++b) {
      auto up_a = *direct_path(NodeIndex(a), n);
      auto up_b = *direct_path(NodeIndex(b), n);
      up_a.insert(up_a.begin(), NodeIndex(a));
      up_b.insert(up_b.begin(), NodeIndex(b));
      std::optional<NodeIndex> lowest;
      for (NodeIndex x : up_a) {
        if (std::find(up_b.begin(), up_b.end(), x) != up_b.end()) {
          lowest = x;
          break;
        }
      }
      ASSERT_EQ(common_ancestor(NodeIndex(a), NodeIndex(b), n), lowest) << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace bulwark::protocol::mls
