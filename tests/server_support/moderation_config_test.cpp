// The [moderation] section of bulwark-server's config (server/config.h): moderators with their
// public keys, policy rules compiled at load, and clear errors naming what is wrong.
#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "server/config.h"
#include "support/seeded_rng.h"

namespace bulwark::server {
namespace {

class ModerationConfigTest : public ::testing::Test {
 protected:
  Result<ServerConfig> load(const std::string& text) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("bulwark-moderation-config-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(file) << text;
    auto config = load_config(file);
    std::filesystem::remove(file);
    return config;
  }
  std::string key() {
    bulwark::testing::SeededRng rng(7);
    return crypto::base64_encode(crypto::ed25519_keypair(rng).public_key.bytes());
  }
};

TEST_F(ModerationConfigTest, ModeratorsAndRulesAreRead) {
  const auto config = load("[moderation]\nhide_reason = \"pending review\"\n"
                           "[[moderation.moderator]]\nname = \"alice\"\nkey = \"" + key() + "\"\n"
                           "[[moderation.rule]]\nname = \"r1\"\nkind = \"regex\"\n"
                           "patterns = [\"scam[0-9]+\"]\ncategory = \"spam\"\naction = \"hide\"\n");
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->moderators.size(), 1u);
  EXPECT_EQ(config->moderators[0].name, "alice");
  EXPECT_EQ(config->moderators[0].public_key.size(), 32u);
  ASSERT_EQ(config->moderation_rules.size(), 1u);
  EXPECT_EQ(config->moderation_rules[0].effect, moderation::RuleEffect::hide);
  EXPECT_EQ(config->moderation_rules[0].category, moderation::Category::spam);
  EXPECT_EQ(config->moderation_hide_reason, "pending review");
}

TEST_F(ModerationConfigTest, BadEntriesAreErrorsNamingThem) {
  auto bad_key = load("[[moderation.moderator]]\nname = \"alice\"\nkey = \"not base64\"\n");
  ASSERT_FALSE(bad_key);
  EXPECT_NE(bad_key.error().context.find("alice"), std::string::npos);
  auto twice = load("[[moderation.moderator]]\nname = \"a\"\nkey = \"" + key() +
                    "\"\n[[moderation.moderator]]\nname = \"a\"\nkey = \"" + key() + "\"\n");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().context.find("twice"), std::string::npos);
  // One key under two names could decide an appeal against its own decision.
  auto same_key = load("[[moderation.moderator]]\nname = \"a\"\nkey = \"" + key() +
                       "\"\n[[moderation.moderator]]\nname = \"b\"\nkey = \"" + key() + "\"\n");
  ASSERT_FALSE(same_key);
  EXPECT_NE(same_key.error().context.find("same key"), std::string::npos);
  auto regex = load("[[moderation.rule]]\nname = \"broken\"\nkind = \"regex\"\npatterns = [\"(\"]\n"
                    "category = \"spam\"\n");
  ASSERT_FALSE(regex);
  EXPECT_NE(regex.error().context.find("broken"), std::string::npos);
  auto category = load("[[moderation.rule]]\nname = \"r\"\nkind = \"keywords\"\npatterns = [\"x\"]\n"
                       "category = \"gore\"\n");
  ASSERT_FALSE(category);
  EXPECT_NE(category.error().context.find("gore"), std::string::npos);
  EXPECT_FALSE(load("[[moderation.rule]]\nname = \"r\"\nkind = \"glob\"\npatterns = [\"x\"]\ncategory = \"spam\"\n"));
  EXPECT_FALSE(load("[moderation]\nunknown = 1\n"));
}

}  // namespace
}  // namespace bulwark::server
