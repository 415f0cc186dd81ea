// Private channels with real processes: found and followed only with the invite the owner
// hands on (as a link or a bare code); the server keeps only the invite's hash.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/channels.h"

namespace bulwark::e2e {
namespace {

// Unpadded base64url (RFC 4648 §5), as invite codes are written.
std::string from_base64url(const std::string& text) {
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const std::size_t value = alphabet.find(c);
    if (value == std::string::npos) return "";
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

TEST(ChannelPrivateTest, APrivateChannelIsFollowedOnlyWithItsInvite) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(67));
  Account bob = register_account(tmp, server, "bob", test_phone(68));
  Account carol = register_account(tmp, server, "carol", test_phone(69));

  nlohmann::json created = create_channel(alice, "inner_circle", {"--private"});
  ASSERT_TRUE(created.contains("invite_link")) << created.dump();
  const std::string link = created["invite_link"];
  const std::string prefix = "bulwark:channel/inner_circle?invite=";
  ASSERT_EQ(link.rfind(prefix, 0), 0u) << link;
  const std::string code = link.substr(prefix.size());
  EXPECT_EQ(created["private"], true);
  EXPECT_EQ(post_to(alice, "inner_circle", "members only"), 2u);

  // Without the invite the channel is not there for Bob.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"info", "inner_circle"}, {"subscribe", "inner_circle"},
        {"read", "inner_circle"}}) {
    CliResult refused = channel(bob, args);
    EXPECT_EQ(refused.exit_code(), 1) << refused.describe();
    EXPECT_NE(error_message(refused).find("no channel @inner_circle"), std::string::npos)
        << refused.describe();
    EXPECT_EQ(refused.out.find("members only"), std::string::npos) << refused.describe();
  }
  // A well-formed invite that is not this channel's.
  std::string wrong = code;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  CliResult wrong_invite = channel(bob, {"subscribe", "inner_circle", "--invite", wrong});
  EXPECT_EQ(wrong_invite.exit_code(), 1) << wrong_invite.describe();
  // A link for another channel is refused before anything is sent.
  CliResult other = channel(bob, {"subscribe", "outer_circle", "--invite", link});
  EXPECT_EQ(other.exit_code(), 1) << other.describe();
  EXPECT_NE(error_message(other).find("for @inner_circle"), std::string::npos) << other.describe();

  CliResult with_link = channel(bob, {"subscribe", "inner_circle", "--invite", link});
  ASSERT_EQ(with_link.exit_code(), 0) << with_link.describe();
  CliResult read = channel(bob, {"read", "inner_circle"});
  ASSERT_EQ(read.exit_code(), 0) << read.describe();
  EXPECT_EQ(entry(entries_of(read), 2)["text"], "members only") << read.describe();
  EXPECT_EQ(entry(entries_of(read), 2)["verified"], true) << read.describe();

  CliResult with_code = channel(carol, {"subscribe", "inner_circle", "--invite", code});
  ASSERT_EQ(with_code.exit_code(), 0) << with_code.describe();
  CliResult carol_reads = channel(carol, {"read", "inner_circle"});
  ASSERT_EQ(carol_reads.exit_code(), 0) << carol_reads.describe();
  EXPECT_EQ(entry(entries_of(carol_reads), 2)["text"], "members only");

  // The owner sees the link again; a subscriber does not.
  CliResult owner_info = channel(alice, {"info", "inner_circle"});
  ASSERT_EQ(owner_info.exit_code(), 0) << owner_info.describe();
  EXPECT_EQ(owner_info.of_type("channel")[0]["invite_link"], link) << owner_info.describe();
  CliResult bob_info = channel(bob, {"info", "inner_circle"});
  ASSERT_EQ(bob_info.exit_code(), 0) << bob_info.describe();
  EXPECT_FALSE(bob_info.of_type("channel")[0].contains("invite_link")) << bob_info.describe();

  // The server saw the secret when Bob and Carol subscribed, but kept only its hash.
  ASSERT_EQ(server.stop().code, 0);
  const std::string secret = from_base64url(code);
  ASSERT_EQ(secret.size(), 32u);
  for (const auto& file : std::filesystem::directory_iterator(server.data_dir())) {
    if (file.path().filename().string().rfind("bulwark.db", 0) != 0) continue;
    EXPECT_EQ(file_bytes(file.path()).find(secret), std::string::npos) << file.path();
  }
  EXPECT_EQ(server.log_text().find(code), std::string::npos);
}

}  // namespace
}  // namespace bulwark::e2e
