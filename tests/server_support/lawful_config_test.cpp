// The [lawful] section of bulwark-server's config (server/config.h): operators with their keys,
// how many must approve, the disclosure log's name and witnesses - and clear errors naming what
// is wrong, including a setup under which nothing could ever be released.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "server/config.h"
#include "support/seeded_rng.h"

namespace bulwark::server {
namespace {

class LawfulConfigTest : public ::testing::Test {
 protected:
  Result<ServerConfig> load(const std::string& text) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("bulwark-lawful-config-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(file) << text;
    auto config = load_config(file);
    std::filesystem::remove(file);
    return config;
  }
  std::string operator_key(std::uint64_t seed) {
    bulwark::testing::SeededRng rng(seed);
    return crypto::base64_encode(crypto::ed25519_keypair(rng).public_key.bytes());
  }
  std::string operator_entry(const std::string& name, std::uint64_t seed) {
    return "[[lawful.operator]]\nname = \"" + name + "\"\nkey = \"" + operator_key(seed) + "\"\n";
  }
  std::string refusal(const std::string& text) {
    auto config = load(text);
    EXPECT_FALSE(config) << text;
    return config ? "loaded" : config.error().context;
  }
};

TEST_F(LawfulConfigTest, DefaultsNeedTwoApprovalsAndHaveNoOperators) {
  const ServerConfig defaults;
  EXPECT_EQ(defaults.lawful_approvals, 2u);
  EXPECT_TRUE(defaults.lawful_operators.empty());
  EXPECT_EQ(defaults.lawful_origin, "localhost/bulwark-disclosure");
  EXPECT_FALSE(defaults.lawful_quorum);
}

TEST_F(LawfulConfigTest, OperatorsApprovalsAndTheLogAreRead) {
  const auto config = load(
      "[lawful]\napprovals = 2\nlog_origin = \"example.org/disclosure\"\n"
      "witnesses = [\"w1\"]\nquorum = 1\n" +
      operator_entry("alice", 1) + operator_entry("bob.legal", 2) + operator_entry("carol", 3));
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->lawful_operators.size(), 3u);
  EXPECT_EQ(config->lawful_operators[1].name, "bob.legal");
  EXPECT_EQ(config->lawful_operators[1].public_key.size(), 32u);
  EXPECT_EQ(config->lawful_approvals, 2u);
  EXPECT_EQ(config->lawful_origin, "example.org/disclosure");
  EXPECT_EQ(config->lawful_witnesses, std::vector<std::string>{"w1"});
  EXPECT_EQ(config->lawful_quorum, 1u);
}

TEST_F(LawfulConfigTest, BadEntriesAreErrorsNamingThem) {
  EXPECT_NE(refusal("[[lawful.operator]]\nname = \"alice\"\nkey = \"not base64\"\n").find("alice"),
            std::string::npos);
  EXPECT_NE(
      refusal("[[lawful.operator]]\nname = \"alice smith\"\nkey = \"" + operator_key(1) + "\"\n")
          .find("operator names"),
      std::string::npos);
  // M-of-N means M different people: no name twice, no key under two names.
  EXPECT_NE(refusal("[lawful]\napprovals = 1\nwitnesses = [\"w\"]\n" + operator_entry("a", 1) +
                    operator_entry("a", 2))
                .find("share"),
            std::string::npos);
  EXPECT_NE(refusal("[lawful]\napprovals = 1\nwitnesses = [\"w\"]\n" + operator_entry("a", 1) +
                    operator_entry("b", 1))
                .find("share"),
            std::string::npos);
  EXPECT_NE(refusal("[lawful]\napprovals = 0\n").find("lawful.approvals"), std::string::npos);
  EXPECT_NE(refusal("[lawful]\napprovals = 17\n").find("lawful.approvals"), std::string::npos);
  EXPECT_NE(refusal("[lawful]\nlog_origin = \"has space\"\n").find("lawful.log_origin"),
            std::string::npos);
  EXPECT_NE(refusal("[lawful]\nwitnesses = \"w1\"\n").find("lawful.witnesses"), std::string::npos);
  EXPECT_NE(refusal("[lawful]\nsecret_release = true\n").find("lawful.secret_release"),
            std::string::npos);
}

TEST_F(LawfulConfigTest, MoreApprovalsThanOperatorsIsRefused) {
  EXPECT_NE(refusal("[lawful]\napprovals = 3\nwitnesses = [\"w\"]\n" + operator_entry("a", 1) +
                    operator_entry("b", 2))
                .find("nothing could ever be released"),
            std::string::npos);
}

TEST_F(LawfulConfigTest, NothingMayBeReleasedUnwitnessed) {
  const std::string two = operator_entry("a", 1) + operator_entry("b", 2);
  EXPECT_NE(refusal("[lawful]\n" + two).find("at least one witness"), std::string::npos);
  EXPECT_NE(refusal("[lawful]\nwitnesses = [\"w\"]\nquorum = 0\n" + two).find("at least 1"),
            std::string::npos);
  EXPECT_NE(refusal("[lawful]\nwitnesses = [\"w\"]\nquorum = 2\n" + two).find("exceeds the number"),
            std::string::npos);
  EXPECT_NE(refusal("[lawful]\nwitnesses = [\"w\", \"w\"]\n" + two).find("twice"),
            std::string::npos);
  // Without operators the workflow is off, and no witness is needed.
  EXPECT_TRUE(load("[lawful]\napprovals = 2\n"));
}

}  // namespace
}  // namespace bulwark::server
