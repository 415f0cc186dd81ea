// Commitments and VRF inputs (kt/commitment.h), known answers computed with Python's hmac
// module from the draft's CommitmentValue encoding.
#include "kt/commitment.h"

#include <string>

#include <gtest/gtest.h>

#include "kt/log_entry.h"
#include "support/vectors.h"

namespace bulwark::kt {
namespace {

using bulwark::testing::hex;

Opening counting_opening() {
  Opening opening{};
  for (std::size_t i = 0; i < opening.size(); ++i) opening[i] = static_cast<std::byte>(i);
  return opening;
}

TEST(CommitmentTest, MatchesTheKnownAnswer) {
  const auto c = commitment(counting_opening(), as_bytes("alice"), 3, as_bytes("identity+devices"));
  ASSERT_TRUE(c);
  EXPECT_EQ(to_bytes(*c), hex("91beca4c2ae23a7c2f28c7cc106f1b254f10714bd44f0f03c1a07e17faa62beb"));
}

TEST(CommitmentTest, BindsEveryInput) {
  const Opening opening = counting_opening();
  const Hash base = commitment(opening, as_bytes("alice"), 3, as_bytes("v")).value();
  Opening other = opening;
  other[0] ^= std::byte{1};
  EXPECT_NE(commitment(other, as_bytes("alice"), 3, as_bytes("v")).value(), base);
  EXPECT_NE(commitment(opening, as_bytes("alicf"), 3, as_bytes("v")).value(), base);
  EXPECT_NE(commitment(opening, as_bytes("alice"), 4, as_bytes("v")).value(), base);
  EXPECT_NE(commitment(opening, as_bytes("alice"), 3, as_bytes("w")).value(), base);
}

TEST(CommitmentTest, VrfInputIsLengthPrefixedLabelAndVersion) {
  EXPECT_EQ(vrf_input(as_bytes("ab"), 258).value(), hex("02616200000102"));
  EXPECT_EQ(vrf_input(ByteView{}, 0).value(), hex("0000000000"));
}

TEST(CommitmentTest, OversizeLabelOrValueIsRefused) {
  const std::string long_label(256, 'x');
  EXPECT_EQ(vrf_input(as_bytes(long_label), 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(commitment(Opening{}, as_bytes(long_label), 0, {}).error().code,
            Errc::invalid_argument);
  const Bytes big(max_kt_value_bytes + 1);
  EXPECT_EQ(commitment(Opening{}, as_bytes("a"), 0, big).error().code, Errc::invalid_argument);
  EXPECT_TRUE(commitment(Opening{}, as_bytes(std::string(255, 'x')), 0,
                         Bytes(max_kt_value_bytes)));
}

TEST(LogEntryTest, LeafIsTheRfc6962HashOfTimestampAndRoot) {
  EXPECT_EQ(to_bytes(log_entry_leaf(LogEntry{1234567890123, Hash{}})),
            hex("d3dd1ea27e116ff3e3ac61419f8291659ee93b503b4882dd4d6268af4346457f"));
}

}  // namespace
}  // namespace bulwark::kt
