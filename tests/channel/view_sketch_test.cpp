#include "channel/view_sketch.h"

#include <gtest/gtest.h>

namespace bulwark::channel {
namespace {

const Bytes key(32, std::byte{0x42});
const Bytes channel(16, std::byte{0x01});

Bytes account(std::uint64_t n) {
  Bytes out(16, std::byte{0});
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<std::byte>(n >> (8 * i));
  return out;
}

TEST(ViewSketch, OneViewPerAccount) {
  ViewSketch sketch;
  EXPECT_EQ(sketch.estimate(), 0u);
  EXPECT_TRUE(sketch.add(viewer_hash(key, channel, 2, account(1))));
  EXPECT_FALSE(sketch.add(viewer_hash(key, channel, 2, account(1))));
  EXPECT_EQ(sketch.estimate(), 1u);
  for (std::uint64_t n = 2; n <= 10; ++n) sketch.add(viewer_hash(key, channel, 2, account(n)));
  for (std::uint64_t n = 1; n <= 10; ++n) sketch.add(viewer_hash(key, channel, 2, account(n)));
  EXPECT_EQ(sketch.estimate(), 10u);
}

TEST(ViewSketch, LargeCountsWithinAFewStandardErrors) {
  for (std::uint64_t count : {100u, 1000u, 100000u}) {
    ViewSketch sketch;
    for (std::uint64_t n = 0; n < count; ++n) sketch.add(viewer_hash(key, channel, 3, account(n)));
    const double error = std::abs(static_cast<double>(sketch.estimate()) - static_cast<double>(count)) /
                         static_cast<double>(count);
    EXPECT_LT(error, 0.2) << count << " -> " << sketch.estimate();
  }
}

TEST(ViewSketch, RoundTripsAndRefusesBadBytes) {
  ViewSketch sketch;
  for (std::uint64_t n = 0; n < 50; ++n) sketch.add(viewer_hash(key, channel, 4, account(n)));
  auto copy = ViewSketch::from_bytes(sketch.bytes()).value();
  EXPECT_EQ(copy.estimate(), sketch.estimate());
  EXPECT_EQ(ViewSketch::from_bytes(Bytes(255)).error().code, Errc::invalid_length);
  Bytes bad(256, std::byte{0});
  bad[7] = std::byte{200};
  EXPECT_EQ(ViewSketch::from_bytes(bad).error().code, Errc::invalid_encoding);
}

TEST(ViewSketch, TheHashDependsOnKeyPostAndAccount) {
  const auto base = viewer_hash(key, channel, 2, account(1));
  EXPECT_NE(base, viewer_hash(Bytes(32, std::byte{0x43}), channel, 2, account(1)));
  EXPECT_NE(base, viewer_hash(key, channel, 3, account(1)));
  EXPECT_NE(base, viewer_hash(key, channel, 2, account(2)));
}

}  // namespace
}  // namespace bulwark::channel
