#include "server/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::server {
namespace {

// /metrics carries the timing histograms: the store's (batch durations, syncs, queue waits), handed
// in with the gauges, and the I/O loop's lag, observed into the metrics themselves.
TEST(MetricsTest, RenderIncludesStoreAndLoopLagHistograms) {
  Metrics metrics;
  metrics.observe_loop_lag(0.0004);
  metrics.observe_loop_lag(0.03);
  EXPECT_EQ(metrics.loop_lag().count(), 2u);
  Metrics::Gauges gauges;
  gauges.store_batch_durations.observe(0.002);
  gauges.store_queue_waits.observe(0.015);
  gauges.store_sync_durations.observe(0.004);
  gauges.store_failed = true;
  const std::string out = metrics.render(gauges);
  EXPECT_NE(out.find("# TYPE bulwark_io_loop_lag_seconds histogram\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_io_loop_lag_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_io_loop_lag_seconds_bucket{le=\"0.05\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_io_loop_lag_seconds_count 2\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_bucket{le=\"0.002\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_batch_seconds_count 1\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_queue_wait_seconds_bucket{le=\"0.01\"} 0\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_queue_wait_seconds_bucket{le=\"0.02\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_sync_seconds_bucket{le=\"0.002\"} 0\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_sync_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("bulwark_store_failed 1\n"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::server
