#include "server/duration_histogram.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::server {
namespace {

// Buckets are cumulative and inclusive of their bound; +Inf and _count are every observation.
TEST(DurationHistogramTest, CountsCumulativelyAndRendersPrometheusLines) {
  DurationHistogram histogram;
  histogram.observe(0.0002);  // a quiet commit
  histogram.observe(0.001);   // exactly on a bound: counted in it
  histogram.observe(0.03);
  histogram.observe(5.0);  // beyond every bound: only +Inf
  EXPECT_EQ(histogram.count(), 4u);
  EXPECT_DOUBLE_EQ(histogram.sum_seconds(), 5.0312);
  EXPECT_EQ(histogram.at_most(0), 2u);  // <= 1 ms
  EXPECT_EQ(histogram.at_most(4), 2u);  // <= 20 ms
  EXPECT_EQ(histogram.at_most(5), 3u);  // <= 50 ms
  EXPECT_EQ(histogram.at_most(DurationHistogram::bounds.size() - 1), 3u);

  std::string out;
  histogram.render(out, "store_batch_seconds", "help text");
  EXPECT_NE(out.find("# TYPE bulwark_store_batch_seconds histogram\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_bucket{le=\"0.001\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_bucket{le=\"0.05\"} 3\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_bucket{le=\"1\"} 3\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_bucket{le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_count 4\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_sum 5.031200\n"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::server
