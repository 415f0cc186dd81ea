#include "server/health.h"

#include <gtest/gtest.h>

namespace bulwark::server {
namespace {

// /healthz turns 503 while the server stops and once its store has failed, so that a load
// balancer stops sending traffic that could only be refused.
TEST(HealthTest, StoppingOrAFailedStoreIsUnhealthy) {
  EXPECT_TRUE(health(false, false).healthy);
  EXPECT_EQ(health(false, false).body, "ok\n");
  EXPECT_FALSE(health(true, false).healthy);
  EXPECT_EQ(health(true, false).body, "stopping\n");
  EXPECT_FALSE(health(false, true).healthy);
  EXPECT_EQ(health(false, true).body, "store failed, restart needed\n");
  EXPECT_FALSE(health(true, true).healthy);
}

}  // namespace
}  // namespace bulwark::server
