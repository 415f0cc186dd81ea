// [cluster] in the server's configuration (server/config.h): the bus choice, the NATS URL and
// the node id, with their defaults and their refusals.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/config.h"

namespace bulwark::server {
namespace {

Result<ServerConfig> load_cluster(const std::string& text) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("bulwark-cluster-config-" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".toml");
  std::ofstream(file) << text;
  auto config = load_config(file);
  std::filesystem::remove(file);
  return config;
}

TEST(ClusterConfigTest, TheDefaultIsTheLocalBus) {
  const auto config = load_cluster("");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->bus, "local");
  EXPECT_EQ(config->nats_url, "nats://127.0.0.1:4222");
  EXPECT_EQ(config->node_id, "");
}

TEST(ClusterConfigTest, EveryClusterKeyOverridesItsDefault) {
  const auto config = load_cluster(R"(
[store]
backend = "postgres"
postgres = "host=10.0.0.9 dbname=bulwark"
[cluster]
bus = "nats"
nats_url = "nats://10.0.0.1:4222,nats://10.0.0.2:4222"
node_id = "eu-1.node_2"
)");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->bus, "nats");
  EXPECT_EQ(config->nats_url, "nats://10.0.0.1:4222,nats://10.0.0.2:4222");
  EXPECT_EQ(config->node_id, "eu-1.node_2");
}

// Embedded or cluster: a NATS bus joins nodes sharing one database, which SQLite is not.
TEST(ClusterConfigTest, ANatsBusOverTheEmbeddedSqliteStoreIsRefused) {
  const auto config = load_cluster("[cluster]\nbus = \"nats\"\n");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().context.find("cluster.bus"), std::string::npos);
  EXPECT_NE(config.error().context.find("postgres"), std::string::npos);
}

TEST(ClusterConfigTest, AnUnknownBusABadNodeIdAndAnUnknownKeyAreRefusedByName) {
  const auto bus = load_cluster("[cluster]\nbus = \"kafka\"\n");
  ASSERT_FALSE(bus);
  EXPECT_NE(bus.error().context.find("cluster.bus"), std::string::npos);
  const auto node = load_cluster("[cluster]\nnode_id = \"a b\"\n");
  ASSERT_FALSE(node);
  EXPECT_NE(node.error().context.find("cluster.node_id"), std::string::npos);
  EXPECT_FALSE(load_cluster("[cluster]\nnode_id = \"\"\n"));
  EXPECT_FALSE(load_cluster("[cluster]\nnode_id = \"" + std::string(129, 'n') + "\"\n"));
  EXPECT_FALSE(load_cluster("[cluster]\nnats_url = \"\"\n"));
  const auto typo = load_cluster("[cluster]\nnats = \"nats://x\"\n");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().context.find("nats"), std::string::npos);
}

TEST(ClusterConfigTest, NodeIdsAreLettersDigitsDotsUnderscoresAndDashes) {
  EXPECT_TRUE(valid_node_id("host-1234"));
  EXPECT_TRUE(valid_node_id(std::string(128, 'x')));
  EXPECT_FALSE(valid_node_id(""));
  EXPECT_FALSE(valid_node_id("bulwark.*"));
  EXPECT_FALSE(valid_node_id("a>b"));
  EXPECT_FALSE(valid_node_id(std::string(129, 'x')));
}

}  // namespace
}  // namespace bulwark::server
