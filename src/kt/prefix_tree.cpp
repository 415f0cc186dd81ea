#include "kt/prefix_tree.h"

#include <algorithm>
#include <numeric>
#include <thread>

namespace bulwark::kt {
namespace {

constexpr std::size_t parallel_rehash_leaves = 1 << 16;

std::size_t first_differing_bit(const Hash& a, const Hash& b, std::size_t from) {
  for (std::size_t i = from; i < max_prefix_depth; ++i) {
    if (key_bit(a, i) != key_bit(b, i)) return i;
  }
  contract_violation("kt::PrefixTree: equal keys have no differing bit");
}

}  // namespace

std::uint32_t PrefixTree::new_node(std::uint32_t leaf) {
  // Node indexes are 32-bit: about two billion leaves, far beyond one machine's memory.
  if (nodes_.size() >= none) contract_violation("kt::PrefixTree: node index space exhausted");
  nodes_.push_back(Node{.leaf = leaf});
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

Result<void> PrefixTree::insert(const Hash& key, const Hash& commitment) {
  // Find where the key would go first, so that a refused insert changes nothing.
  std::uint32_t node = root_;
  std::size_t depth = 0;
  while (node != none && nodes_[node].leaf == none) {
    node = nodes_[node].child[key_bit(key, depth) ? 1 : 0];
    ++depth;
  }
  if (node != none && leaves_[nodes_[node].leaf].vrf_output == key) {
    return fail(Errc::conflict, "prefix tree: the key is already in the tree");
  }

  leaves_.push_back(PrefixLeaf{key, commitment});
  const auto leaf = static_cast<std::uint32_t>(leaves_.size() - 1);
  if (root_ == none) {
    root_ = new_node(leaf);
    return {};
  }
  node = root_;
  for (depth = 0;; ++depth) {
    nodes_[node].dirty = true;
    if (nodes_[node].leaf != none) {
      split_leaf(node, depth, key);
      return {};
    }
    const int side = key_bit(key, depth) ? 1 : 0;
    const std::uint32_t next = nodes_[node].child[side];
    if (next == none) {
      const std::uint32_t added = new_node(leaf);
      nodes_[node].child[side] = added;
      return {};
    }
    node = next;
  }
}

// The leaf at `node` (depth `depth`) and the new key, stored as the last leaf, share a longer
// prefix: `node` becomes a parent, with a chain of parents down to the first bit where the two
// keys differ.
void PrefixTree::split_leaf(std::uint32_t node, std::size_t depth, const Hash& key) {
  const std::uint32_t old_leaf = nodes_[node].leaf;
  const Hash old_key = leaves_[old_leaf].vrf_output;
  const std::size_t differ = first_differing_bit(old_key, key, depth);
  nodes_[node].leaf = none;
  std::uint32_t parent = node;
  for (std::size_t d = depth; d < differ; ++d) {
    const std::uint32_t next = new_node(none);
    nodes_[parent].child[key_bit(key, d) ? 1 : 0] = next;
    parent = next;
  }
  const std::uint32_t old_node = new_node(old_leaf);
  const std::uint32_t new_leaf_node = new_node(static_cast<std::uint32_t>(leaves_.size() - 1));
  nodes_[parent].child[key_bit(old_key, differ) ? 1 : 0] = old_node;
  nodes_[parent].child[key_bit(key, differ) ? 1 : 0] = new_leaf_node;
}

std::optional<Hash> PrefixTree::find(const Hash& key) const {
  std::uint32_t node = root_;
  for (std::size_t depth = 0; node != none; ++depth) {
    if (nodes_[node].leaf != none) {
      const PrefixLeaf& leaf = leaves_[nodes_[node].leaf];
      if (leaf.vrf_output == key) return leaf.commitment;
      return std::nullopt;
    }
    node = nodes_[node].child[key_bit(key, depth) ? 1 : 0];
  }
  return std::nullopt;
}

const PrefixLeaf& PrefixTree::leaf_at(std::size_t index) const {
  if (index >= leaves_.size()) contract_violation("kt::PrefixTree::leaf_at: index beyond size");
  return leaves_[index];
}

const Hash& PrefixTree::rehash(std::uint32_t node) {
  if (nodes_[node].dirty) {
    if (nodes_[node].leaf != none) {
      nodes_[node].value = prefix_leaf_value(leaves_[nodes_[node].leaf]);
    } else {
      const auto child_value = [this](std::uint32_t child) {
        return child == none ? prefix_stand_in() : rehash(child);
      };
      const Hash left = child_value(nodes_[node].child[0]);
      nodes_[node].value = prefix_parent_value(left, child_value(nodes_[node].child[1]));
    }
    nodes_[node].dirty = false;
  }
  return nodes_[node].value;
}

Hash PrefixTree::root() {
  if (root_ == none) return prefix_stand_in();
  // A large batch dirties most of the tree, and rehashing it is mostly waiting for memory:
  // the root's two halves are disjoint, so the left one gets a second thread.
  const Node& top = nodes_[root_];
  if (top.dirty && top.leaf == none && leaves_.size() >= parallel_rehash_leaves &&
      top.child[0] != none && top.child[1] != none) {
    std::thread left([this, child = top.child[0]] { (void)rehash(child); });
    (void)rehash(top.child[1]);
    left.join();
  }
  return rehash(root_);
}

PrefixProof PrefixTree::prove(std::span<const Hash> keys) {
  if (keys.empty() || keys.size() > max_prefix_proof_keys) {
    contract_violation("kt::PrefixTree::prove: not 1 to 255 keys");
  }
  std::vector<std::size_t> order(keys.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return keys[a] < keys[b];
  });
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (keys[order[i - 1]] == keys[order[i]]) {
      contract_violation("kt::PrefixTree::prove: the same key twice");
    }
  }
  (void)root();
  PrefixProof proof;
  proof.results.resize(keys.size());
  prove_subtree(root_, 0, order, keys, proof);
  return proof;
}

void PrefixTree::prove_subtree(std::uint32_t node, std::size_t depth,
                               std::span<const std::size_t> order, std::span<const Hash> keys,
                               PrefixProof& proof) const {
  const auto depth16 = static_cast<std::uint16_t>(depth);
  if (node == none) {
    for (const std::size_t i : order) {
      proof.results[i] = PrefixSearchResult{PrefixResultType::non_inclusion_parent, {}, depth16};
    }
    return;
  }
  if (nodes_[node].leaf != none) {
    const PrefixLeaf& leaf = leaves_[nodes_[node].leaf];
    for (const std::size_t i : order) {
      proof.results[i] = keys[i] == leaf.vrf_output
                             ? PrefixSearchResult{PrefixResultType::inclusion, {}, depth16}
                             : PrefixSearchResult{PrefixResultType::non_inclusion_leaf, leaf,
                                                  depth16};
    }
    return;
  }
  const auto right_begin = std::find_if(order.begin(), order.end(), [&](std::size_t i) {
    return key_bit(keys[i], depth);
  });
  const auto split = static_cast<std::size_t>(right_begin - order.begin());
  const std::span<const std::size_t> sides[2] = {order.first(split), order.subspan(split)};
  for (int side = 0; side < 2; ++side) {
    const std::uint32_t child = nodes_[node].child[side];
    if (!sides[side].empty()) {
      prove_subtree(child, depth + 1, sides[side], keys, proof);
    } else {
      proof.elements.push_back(child == none ? prefix_stand_in() : nodes_[child].value);
    }
  }
}

}  // namespace bulwark::kt
