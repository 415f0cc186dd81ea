// The RFC 6962 / 9162 Merkle tree (kt/merkle.h) against the transparency-dev/merkle probes
// in ../shared/vectors/merkle/ (every happy path verifies, every mutation is refused) and
// against proofs it generates itself over trees of every size up to 64.
#include "kt/merkle.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/base64.h"
#include "support/vectors.h"

namespace bulwark::kt {
namespace {

using bulwark::testing::hex;
using bulwark::testing::load_json;
using bulwark::testing::shared_vector_path;
using nlohmann::json;

std::vector<std::filesystem::path> probe_files(const char* kind) {
  std::vector<std::filesystem::path> files;
  const auto root = shared_vector_path(std::string("merkle/") + kind);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A probe's hash: base64 that may decode to any length (the probes also mutate lengths).
Result<Hash> probe_hash(const json& value) {
  const Bytes bytes = BULWARK_TRY(crypto::base64_decode(value.get<std::string>()));
  return to_hash(bytes);
}

Result<std::vector<Hash>> probe_proof(const json& value) {
  std::vector<Hash> proof;
  if (value.is_null()) return proof;
  for (const json& element : value) proof.push_back(BULWARK_TRY(probe_hash(element)));
  return proof;
}

Result<std::uint64_t> probe_size(const json& value) {
  const auto n = value.get<std::int64_t>();
  if (n < 0) return fail(Errc::invalid_argument, "negative size");
  return static_cast<std::uint64_t>(n);
}

Result<void> run_inclusion_probe(const json& probe) {
  const std::uint64_t index = BULWARK_TRY(probe_size(probe.at("leafIdx")));
  const std::uint64_t size = BULWARK_TRY(probe_size(probe.at("treeSize")));
  const Hash root = BULWARK_TRY(probe_hash(probe.at("root")));
  const Hash leaf = BULWARK_TRY(probe_hash(probe.at("leafHash")));
  const std::vector<Hash> proof = BULWARK_TRY(probe_proof(probe.at("proof")));
  return verify_inclusion(index, size, leaf, proof, root);
}

Result<void> run_consistency_probe(const json& probe) {
  const std::uint64_t size1 = BULWARK_TRY(probe_size(probe.at("size1")));
  const std::uint64_t size2 = BULWARK_TRY(probe_size(probe.at("size2")));
  const Hash root1 = BULWARK_TRY(probe_hash(probe.at("root1")));
  const Hash root2 = BULWARK_TRY(probe_hash(probe.at("root2")));
  const std::vector<Hash> proof = BULWARK_TRY(probe_proof(probe.at("proof")));
  return verify_consistency(size1, size2, root1, root2, proof);
}

// One probe passes upstream only because its verifier compares equal-size roots as bytes of
// any length: two identical 12-byte "roots". Here a root that is not a SHA-256 hash never
// reaches the verifier (to_hash refuses it), which is stricter, and the only divergence.
constexpr std::string_view stricter_than_upstream =
    "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json";

struct ProbeCounts {
  int valid = 0;     // probes that must verify, and did
  int stricter = 0;  // the divergence above, refused at decoding
};

// Runs every probe of `kind` (98 of each) and expects its verdict.
ProbeCounts expect_probe_verdicts(const char* kind, Result<void> (*run)(const json&)) {
  const auto files = probe_files(kind);
  EXPECT_EQ(files.size(), 98u);
  ProbeCounts counts;
  for (const auto& file : files) {
    const json probe = load_json(file);
    const bool want_error = probe.at("wantErr").get<bool>();
    const Result<void> verified = run(probe);
    if (file.string().ends_with(stricter_than_upstream)) {
      EXPECT_FALSE(want_error);
      EXPECT_FALSE(verified);
      if (!verified) {
        EXPECT_EQ(verified.error().code, Errc::invalid_length);
      }
      ++counts.stricter;
      continue;
    }
    EXPECT_EQ(verified.has_value(), !want_error) << file;
    counts.valid += want_error ? 0 : 1;
  }
  return counts;
}

TEST(MerkleVectorsTest, EveryInclusionProbeVerifiesExactlyWhenItShould) {
  const ProbeCounts counts = expect_probe_verdicts("inclusion", run_inclusion_probe);
  EXPECT_EQ(counts.stricter, 0);
  EXPECT_GT(counts.valid, 0);
}

TEST(MerkleVectorsTest, EveryConsistencyProbeVerifiesExactlyWhenItShould) {
  const ProbeCounts counts = expect_probe_verdicts("consistency", run_consistency_probe);
  EXPECT_EQ(counts.stricter, 1);
  EXPECT_GT(counts.valid, 0);
}

TEST(MerkleVectorsTest, ReferenceTreeLeafHashesAndRootsMatch) {
  const json tree = load_json(shared_vector_path("merkle/rfc6962_reference_tree.json"));
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < tree.at("leaves_hex").size(); ++i) {
    const Hash leaf = leaf_hash(hex(tree.at("leaves_hex")[i].get<std::string>()));
    const std::string want = tree.at("leaf_hashes_hex")[i].get<std::string>();
    EXPECT_EQ(Bytes(leaf.begin(), leaf.end()), hex(want));
    leaves.push_back(leaf);
  }
  ASSERT_EQ(leaves.size(), 8u);
  const json& roots = tree.at("roots_hex");
  ASSERT_EQ(roots.size(), 9u);
  for (std::size_t size = 0; size <= 8; ++size) {
    const Hash root = root_of(std::span<const Hash>(leaves).first(size));
    const std::string want = roots.at(std::to_string(size)).get<std::string>();
    EXPECT_EQ(Bytes(root.begin(), root.end()), hex(want)) << size;
  }
}

std::vector<Hash> merkle_leaves(std::size_t n) {
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string data = "leaf " + std::to_string(i);
    leaves.push_back(leaf_hash(as_bytes(data)));
  }
  return leaves;
}

Hash flipped(Hash hash, std::size_t bit) {
  hash[bit / 8] ^= std::byte{static_cast<unsigned char>(1u << (bit % 8))};
  return hash;
}

// Every leaf of every tree up to 64 leaves: its generated proof verifies, and no neighbouring
// index, flipped leaf or proof hash, proof one hash shorter or longer, or the next tree (its
// size with its root: a size is only ever claimed together with its root) does.
TEST(MerkleProofTest, GeneratedInclusionProofsVerifyAndEveryTamperingIsRefused) {
  const std::vector<Hash> all = merkle_leaves(65);
  for (std::uint64_t size = 1; size < all.size(); ++size) {
    const auto leaves = std::span<const Hash>(all).first(size);
    const Hash root = root_of(leaves);
    const Hash next_root = root_of(std::span<const Hash>(all).first(size + 1));
    for (std::uint64_t index = 0; index < size; ++index) {
      std::vector<Hash> proof = inclusion_proof(leaves, index);
      ASSERT_TRUE(verify_inclusion(index, size, leaves[index], proof, root)) << size << "/" << index;
      if (index + 1 < size) {
        EXPECT_FALSE(verify_inclusion(index + 1, size, leaves[index], proof, root));
      }
      EXPECT_FALSE(verify_inclusion(index, size + 1, leaves[index], proof, next_root));
      EXPECT_FALSE(verify_inclusion(index, size, flipped(leaves[index], 5), proof, root));
      for (std::size_t i = 0; i < proof.size(); ++i) {
        std::vector<Hash> bad = proof;
        bad[i] = flipped(bad[i], 200);
        EXPECT_FALSE(verify_inclusion(index, size, leaves[index], bad, root));
      }
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      EXPECT_FALSE(verify_inclusion(index, size, leaves[index], longer, root));
      if (!proof.empty()) {
        proof.pop_back();
        EXPECT_FALSE(verify_inclusion(index, size, leaves[index], proof, root));
      }
    }
  }
}

TEST(MerkleProofTest, GeneratedConsistencyProofsVerifyAndEveryTamperingIsRefused) {
  const std::vector<Hash> all = merkle_leaves(65);
  auto root_at = [&](std::uint64_t n) { return root_of(std::span<const Hash>(all).first(n)); };
  for (std::uint64_t size = 1; size < all.size(); ++size) {
    const auto leaves = std::span<const Hash>(all).first(size);
    const Hash root = root_of(leaves);
    for (std::uint64_t old_size = 1; old_size <= size; ++old_size) {
      const Hash old_root = root_of(leaves.first(old_size));
      std::vector<Hash> proof = consistency_proof(leaves, old_size);
      ASSERT_TRUE(verify_consistency(old_size, size, old_root, root, proof))
          << old_size << "->" << size;
      EXPECT_FALSE(verify_consistency(old_size, size, flipped(old_root, 1), root, proof));
      EXPECT_FALSE(verify_consistency(old_size, size, old_root, flipped(root, 1), proof));
      if (old_size < size) {
        EXPECT_FALSE(verify_consistency(old_size + 1, size, root_at(old_size + 1), root, proof));
        EXPECT_FALSE(verify_consistency(old_size, size + 1, old_root, root_at(size + 1), proof));
      }
      for (std::size_t i = 0; i < proof.size(); ++i) {
        std::vector<Hash> bad = proof;
        bad[i] = flipped(bad[i], 100);
        EXPECT_FALSE(verify_consistency(old_size, size, old_root, root, bad));
      }
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      EXPECT_FALSE(verify_consistency(old_size, size, old_root, root, longer));
    }
  }
}

TEST(MerkleProofTest, BadSizesAreInvalidProofsNotCrashes) {
  const Hash h = leaf_hash(ByteView{});
  EXPECT_EQ(verify_inclusion(0, 0, h, {}, h).error().code, Errc::invalid_proof);
  EXPECT_EQ(verify_inclusion(5, 3, h, {}, h).error().code, Errc::invalid_proof);
  EXPECT_EQ(verify_consistency(0, 0, empty_root(), empty_root(), {}).error().code,
            Errc::invalid_proof);
  EXPECT_EQ(verify_consistency(4, 2, h, h, {}).error().code, Errc::invalid_proof);
  EXPECT_EQ(to_hash(Bytes(31)).error().code, Errc::invalid_length);
  EXPECT_EQ(to_hash(Bytes(33)).error().code, Errc::invalid_length);
  const std::uint64_t huge = ~std::uint64_t{0};
  EXPECT_FALSE(verify_inclusion(huge - 1, huge, h, std::vector<Hash>(64, h), h));
}

}  // namespace
}  // namespace bulwark::kt
