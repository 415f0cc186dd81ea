// The KT wire format (kt/wire.h): real proofs round-trip byte for byte, and every truncation,
// extension and out-of-range field is refused with an error.
#include "kt/wire.h"

#include <string>

#include <gtest/gtest.h>

#include "kt/directory.h"

namespace bulwark::kt {
namespace {

class FixedRng final : public Rng {
 public:
  void fill(MutableByteView out) override {
    for (auto& b : out) b = std::byte{0x5a};
  }
};

SearchProof sample_proof() {
  Directory directory{crypto::VrfSecretKey::from_seed(Bytes(32, std::byte{3})).value()};
  FixedRng rng;
  for (int v = 0; v < 5; ++v) {
    EXPECT_TRUE(directory.update(as_bytes("alice"), as_bytes("v" + std::to_string(v)), rng));
    EXPECT_TRUE(directory.update(as_bytes("bob" + std::to_string(v)), as_bytes("b"), rng));
    (void)directory.publish(1000 + static_cast<std::uint64_t>(v));
  }
  directory.serve_up_to(directory.size());
  return directory.search(as_bytes("alice"), 2).value();
}

TEST(KtWireTest, SearchProofRoundTrips) {
  const SearchProof proof = sample_proof();
  const Bytes encoded = encode_search_proof(proof).value();
  EXPECT_EQ(decode_search_proof(encoded).value(), proof);
  // The sizes a client downloads: well under the 6 KB target here.
  EXPECT_LT(encoded.size(), 6000u);
}

TEST(KtWireTest, EveryTruncationAndExtensionIsRefused) {
  const Bytes encoded = encode_search_proof(sample_proof()).value();
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode_search_proof(ByteView(encoded).first(n))) << n;
  }
  Bytes longer = encoded;
  longer.push_back(std::byte{0});
  EXPECT_EQ(decode_search_proof(longer).error().code, Errc::trailing_data);
}

TEST(KtWireTest, OutOfRangeFieldsAreRefused) {
  SearchProof proof = sample_proof();
  // The first ladder step's commitment flag sits right after its 80-byte VRF proof.
  const std::size_t flag_at = 8 + 4 + 16 + 4 + proof.value.size() + 1 + 80;
  Bytes bad_flag = encode_search_proof(proof).value();
  ASSERT_EQ(bad_flag[flag_at], static_cast<std::byte>(proof.ladder[0].commitment ? 1 : 0));
  bad_flag[flag_at] = std::byte{2};
  EXPECT_EQ(decode_search_proof(bad_flag).error().code, Errc::invalid_encoding);

  proof.prefix.results[0].depth = 257;
  EXPECT_EQ(decode_search_proof(encode_search_proof(proof).value()).error().code,
            Errc::invalid_encoding);

  SearchProof mislabelled = sample_proof();
  mislabelled.prefix.results[0].type = PrefixResultType::non_inclusion_leaf;
  mislabelled.prefix.results[0].leaf.reset();
  EXPECT_EQ(encode_search_proof(mislabelled).error().code, Errc::invalid_argument);

  SearchProof big = sample_proof();
  big.value.resize(max_kt_value_bytes + 1);
  EXPECT_EQ(encode_search_proof(big).error().code, Errc::invalid_argument);
}

TEST(KtWireTest, AuditEntryRoundTripsAndRefusesBadLengths) {
  AuditEntry entry{42, {PrefixLeaf{Hash{}, Hash{}}, PrefixLeaf{leaf_hash({}), empty_root()}}};
  const Bytes encoded = encode_audit_entry(entry).value();
  EXPECT_EQ(encoded.size(), 8u + 4u + 2u * 64u);
  EXPECT_EQ(decode_audit_entry(encoded).value(), entry);
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode_audit_entry(ByteView(encoded).first(n))) << n;
  }
  Bytes longer = encoded;
  longer.push_back(std::byte{0});
  EXPECT_EQ(decode_audit_entry(longer).error().code, Errc::trailing_data);
  Bytes huge_count = encoded;
  huge_count[8] = std::byte{0xff};  // claims billions of leaves: refused before allocating
  EXPECT_FALSE(decode_audit_entry(huge_count));
}

}  // namespace
}  // namespace bulwark::kt
