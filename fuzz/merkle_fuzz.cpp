// Merkle proof verification (kt/merkle.h) on hostile input. Two halves:
//  - raw: sizes, index, hashes and proofs read straight from the input; it must never crash;
//  - mutated: a valid inclusion and consistency proof over a tree of up to 64 leaves, with the
//    input XORed into its hashes; exact oracle: accepted if and only if nothing changed.
#include "fuzz_target.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "kt/merkle.h"

namespace {

using bulwark::ByteView;
using bulwark::kt::Hash;

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return v;
  }
  std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  Hash hash() {
    Hash h{};
    for (auto& b : h) b = std::byte{byte()};
    return h;
  }
  [[nodiscard]] bool done() const { return at_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

void raw(Input& in) {
  const std::uint64_t a = in.u64();
  const std::uint64_t b = in.u64();
  const Hash x = in.hash();
  const Hash y = in.hash();
  std::vector<Hash> proof;
  while (!in.done() && proof.size() < 80) proof.push_back(in.hash());
  static_cast<void>(bulwark::kt::verify_inclusion(a, b, x, proof, y));
  static_cast<void>(bulwark::kt::verify_consistency(a, b, x, y, proof));
}

// Flips the bits the input names into `hash`; true when any changed.
bool mutate(Hash& hash, Input& in) {
  bool changed = false;
  for (auto& b : hash) {
    const std::uint8_t mask = in.byte();
    b ^= std::byte{mask};
    changed = changed || mask != 0;
  }
  return changed;
}

void mutated(Input& in) {
  std::vector<Hash> leaves;
  const std::size_t size = 1 + in.byte() % 64;
  for (std::size_t i = 0; i < size; ++i) {
    const std::string data = "leaf " + std::to_string(i);
    leaves.push_back(bulwark::kt::leaf_hash(bulwark::as_bytes(data)));
  }
  const std::uint64_t index = in.byte() % size;
  const std::uint64_t old_size = 1 + in.byte() % size;
  Hash root = bulwark::kt::root_of(leaves);
  Hash leaf = leaves[index];
  std::vector<Hash> proof = bulwark::kt::inclusion_proof(leaves, index);
  bool changed = mutate(leaf, in);
  // A one-leaf tree's root is its leaf: the same flips in both would still match, rightly.
  if (size > 1) changed = mutate(root, in) || changed;
  for (Hash& h : proof) changed = mutate(h, in) || changed;
  if (bulwark::kt::verify_inclusion(index, size, leaf, proof, root).has_value() == changed) {
    std::abort();
  }
  Hash old_root = bulwark::kt::root_of(std::span<const Hash>(leaves).first(old_size));
  Hash new_root = bulwark::kt::root_of(leaves);
  std::vector<Hash> consistency = bulwark::kt::consistency_proof(leaves, old_size);
  // Equal sizes: equal roots, which the same flips in both would keep equal, rightly.
  changed = old_size < size && mutate(old_root, in);
  changed = mutate(new_root, in) || changed;
  for (Hash& h : consistency) changed = mutate(h, in) || changed;
  if (bulwark::kt::verify_consistency(old_size, size, old_root, new_root, consistency)
          .has_value() == changed) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Input in(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    raw(in);
  } else {
    mutated(in);
  }
  return 0;
}
