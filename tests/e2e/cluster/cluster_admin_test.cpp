// Signed admin requests on a cluster (docs/MODERATION.md "Admin protocol"): a moderator's
// request accepted by one node is a replay on every other, because the accepted signatures are
// kept in the shared database, not in a node's memory. Two real nodes on one PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "cluster/cluster_processes.h"
#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "moderation/request_auth.h"
#include "support/https_get.h"
#include "support/temp_dir.h"

namespace bulwark::e2e {
namespace {

std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

HttpResult signed_queue_request(const ServerProcess& node, const crypto::Ed25519SecretKey& key,
                                std::int64_t time_ms) {
  const std::string target = "/admin/moderation/queue";
  auto signature = moderation::sign_request(key, "GET", target, time_ms, {}).value();
  return https_request(node.port(), node.ca_file(), "GET", target,
                       {{"X-Bulwark-Moderator", "alice"},
                        {"X-Bulwark-Time", std::to_string(time_ms)},
                        {"X-Bulwark-Signature", crypto::base64_encode(signature)}},
                       "");
}

TEST(ClusterAdminTest, ASignedAdminRequestAcceptedByOneNodeIsAReplayOnAnother) {
  TempDir tmp;
  const auto key = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x41})).value();
  const std::string moderator = "[[moderation.moderator]]\nname = \"alice\"\nkey = \"" +
                                crypto::base64_encode(key.public_key().bytes()) + "\"\n";
  ClusterProcesses cluster(tmp.path(), ClusterOptions{.nodes = 2, .extra_config = moderator});

  const std::int64_t signed_at = wall_clock_ms();
  const HttpResult first = signed_queue_request(cluster.node(0), key, signed_at);
  ASSERT_EQ(first.status, 200) << first.error << first.body;
  const HttpResult elsewhere = signed_queue_request(cluster.node(1), key, signed_at);
  EXPECT_EQ(elsewhere.status, 401) << elsewhere.body;
  EXPECT_NE(elsewhere.body.find("replayed request"), std::string::npos) << elsewhere.body;
  // A fresh signature is accepted by either node.
  const HttpResult fresh = signed_queue_request(cluster.node(1), key, signed_at + 1);
  EXPECT_EQ(fresh.status, 200) << fresh.body;
}

}  // namespace
}  // namespace bulwark::e2e
