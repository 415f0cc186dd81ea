#include "kt/log_tree.h"

#include <bit>

#include "kt/detail/proof_paths.h"

namespace bulwark::kt {

void LogTree::append(const Hash& leaf) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  // Each time a level gains its second, fourth, ... node, a complete subtree one level up
  // has just been finished.
  for (std::size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (level + 1 == levels_.size()) levels_.emplace_back();
    const auto& nodes = levels_[level];
    levels_[level + 1].push_back(node_hash(nodes[nodes.size() - 2], nodes.back()));
  }
}

const Hash& LogTree::leaf(std::uint64_t index) const {
  if (index >= size()) contract_violation("kt::LogTree::leaf: index outside the tree");
  return levels_[0][index];
}

Hash LogTree::range_root(std::uint64_t start, std::uint64_t count) const {
  if (std::has_single_bit(count)) {
    const auto level = static_cast<std::size_t>(std::countr_zero(count));
    if (start % count != 0) contract_violation("kt::LogTree: unaligned complete subtree");
    return levels_[level][start >> level];
  }
  const std::uint64_t k = detail::split_point(count);
  return node_hash(range_root(start, k), range_root(start + k, count - k));
}

Hash LogTree::root(std::uint64_t tree_size) const {
  if (tree_size > size()) contract_violation("kt::LogTree::root: size beyond the tree");
  if (tree_size == 0) return empty_root();
  return range_root(0, tree_size);
}

std::vector<Hash> LogTree::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const {
  if (index >= tree_size || tree_size > size()) {
    contract_violation("kt::LogTree::inclusion_proof: index or size outside the tree");
  }
  std::vector<Hash> proof;
  const auto ranges = [this](std::uint64_t start, std::uint64_t count) {
    return range_root(start, count);
  };
  detail::append_inclusion_path(ranges, 0, tree_size, index, proof);
  return proof;
}

std::vector<Hash> LogTree::consistency_proof(std::uint64_t old_size,
                                             std::uint64_t new_size) const {
  if (old_size == 0 || old_size > new_size || new_size > size()) {
    contract_violation("kt::LogTree::consistency_proof: sizes outside 0 < old <= new <= size");
  }
  std::vector<Hash> proof;
  const auto ranges = [this](std::uint64_t start, std::uint64_t count) {
    return range_root(start, count);
  };
  detail::append_subproof(ranges, 0, new_size, old_size, true, proof);
  return proof;
}

}  // namespace bulwark::kt
