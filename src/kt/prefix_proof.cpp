#include "kt/prefix_proof.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "crypto/hash.h"

namespace bulwark::kt {
namespace {

constexpr std::byte leaf_prefix{0x02};
constexpr std::byte parent_prefix{0x03};

Error proof_error(const char* what) {
  return Error{Errc::invalid_proof, std::string("prefix proof: ") + what};
}

bool same_prefix(const Hash& a, const Hash& b, std::size_t bits) {
  for (std::size_t i = 0; i < bits; ++i) {
    if (key_bit(a, i) != key_bit(b, i)) return false;
  }
  return true;
}

// Rebuilds the root from the lookups sorted by key: the recursion follows the keys' bits
// down the tree, takes each subtree no key enters from `elements` (left to right), and
// hashes each key's terminal node from its result.
class RootBuilder {
 public:
  RootBuilder(std::span<const PrefixLookup> lookups, const PrefixProof& proof)
      : lookups_(lookups), proof_(proof), order_(lookups.size()) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
      return lookups_[a].key < lookups_[b].key;
    });
  }

  Result<Hash> root() {
    for (std::size_t i = 1; i < order_.size(); ++i) {
      if (key(i - 1) == key(i)) return tl::unexpected(proof_error("the same key twice"));
    }
    const Hash root = BULWARK_TRY(subtree(0, 0, order_.size()));
    if (next_element_ != proof_.elements.size()) {
      return tl::unexpected(proof_error("elements left over"));
    }
    return root;
  }

 private:
  const Hash& key(std::size_t sorted) const { return lookups_[order_[sorted]].key; }
  const PrefixSearchResult& result(std::size_t sorted) const {
    return proof_.results[order_[sorted]];
  }
  const PrefixLookup& lookup(std::size_t sorted) const { return lookups_[order_[sorted]]; }

  Result<Hash> subtree(std::size_t depth, std::size_t lo, std::size_t hi) {
    bool any_end_here = false;
    bool all_end_here = true;
    for (std::size_t i = lo; i < hi; ++i) {
      if (result(i).depth < depth) return tl::unexpected(proof_error("a result above its path"));
      const bool here = result(i).depth == depth;
      any_end_here = any_end_here || here;
      all_end_here = all_end_here && here;
    }
    if (any_end_here) {
      if (!all_end_here) return tl::unexpected(proof_error("keys disagree on a shared node"));
      return terminal(depth, lo, hi);
    }
    if (depth == max_prefix_depth) return tl::unexpected(proof_error("deeper than 256 bits"));
    std::size_t mid = lo;
    while (mid < hi && !key_bit(key(mid), depth)) ++mid;
    const Hash left = BULWARK_TRY(child(depth + 1, lo, mid));
    const Hash right = BULWARK_TRY(child(depth + 1, mid, hi));
    return prefix_parent_value(left, right);
  }

  Result<Hash> child(std::size_t depth, std::size_t lo, std::size_t hi) {
    if (lo < hi) return subtree(depth, lo, hi);
    if (next_element_ == proof_.elements.size()) {
      return tl::unexpected(proof_error("elements missing"));
    }
    return proof_.elements[next_element_++];
  }

  // Several keys can end at one node (a leaf for one of them, or for none): each result
  // gives that node's value, and they must all give the same.
  Result<Hash> terminal(std::size_t depth, std::size_t lo, std::size_t hi) {
    const Hash value = BULWARK_TRY(terminal_value(depth, lo));
    for (std::size_t i = lo + 1; i < hi; ++i) {
      if (BULWARK_TRY(terminal_value(depth, i)) != value) {
        return tl::unexpected(proof_error("keys disagree on a shared node"));
      }
    }
    return value;
  }

  Result<Hash> terminal_value(std::size_t depth, std::size_t i) const {
    const PrefixSearchResult& result = this->result(i);
    const PrefixLookup& expected = lookup(i);
    switch (result.type) {
      case PrefixResultType::inclusion:
        if (result.leaf) return tl::unexpected(proof_error("malformed inclusion"));
        if (!expected.commitment) return tl::unexpected(proof_error("unexpected inclusion"));
        return prefix_leaf_value(PrefixLeaf{expected.key, *expected.commitment});
      case PrefixResultType::non_inclusion_leaf:
        if (!result.leaf) return tl::unexpected(proof_error("malformed non-inclusion"));
        if (expected.commitment) return tl::unexpected(proof_error("unexpected non-inclusion"));
        if (result.leaf->vrf_output == expected.key ||
            !same_prefix(result.leaf->vrf_output, expected.key, depth)) {
          return tl::unexpected(proof_error("a leaf off the key's path"));
        }
        return prefix_leaf_value(*result.leaf);
      case PrefixResultType::non_inclusion_parent:
        if (result.leaf) return tl::unexpected(proof_error("malformed non-inclusion"));
        if (expected.commitment) return tl::unexpected(proof_error("unexpected non-inclusion"));
        return prefix_stand_in();
    }
    return tl::unexpected(proof_error("unknown result type"));
  }

  std::span<const PrefixLookup> lookups_;
  const PrefixProof& proof_;
  std::vector<std::size_t> order_;
  std::size_t next_element_ = 0;
};

}  // namespace

Hash prefix_leaf_value(const PrefixLeaf& leaf) {
  return crypto::sha256({ByteView(&leaf_prefix, 1), leaf.vrf_output, leaf.commitment});
}

Hash prefix_parent_value(const Hash& left, const Hash& right) {
  return crypto::sha256({ByteView(&parent_prefix, 1), left, right});
}

const Hash& prefix_stand_in() {
  static const Hash zeros{};
  return zeros;
}

bool key_bit(const Hash& key, std::size_t index) {
  if (index >= max_prefix_depth) contract_violation("kt::key_bit: index beyond 256 bits");
  return ((std::to_integer<unsigned>(key[index / 8]) >> (7 - index % 8)) & 1u) != 0;
}

Result<Hash> prefix_root_from_proof(std::span<const PrefixLookup> lookups,
                                    const PrefixProof& proof) {
  if (lookups.empty() || lookups.size() > max_prefix_proof_keys) {
    return tl::unexpected(proof_error("not 1 to 255 keys"));
  }
  if (proof.results.size() != lookups.size()) {
    return tl::unexpected(proof_error("one result per key expected"));
  }
  if (proof.elements.size() > (lookups.size() + 1) * max_prefix_depth) {
    return tl::unexpected(proof_error("too many elements"));
  }
  return RootBuilder(lookups, proof).root();
}

}  // namespace bulwark::kt
