// A compromised operator (or whoever holds the server's disk) works straight on the database:
//  - it rewrites a post: its signature no longer verifies, and every client flags it, withholds
//    its text, warns and exits with 4, while the posts around it still verify;
//  - it replaces a channel by another one under the same handle (a new key): every client that
//    pinned the channel refuses it with a channel alert.
#include <gtest/gtest.h>

#include "support/channels.h"
#include "support/db_edit.h"

namespace bulwark::e2e {
namespace {

TEST(ChannelForgedPostTest, APostRewrittenInTheServersDatabaseIsFlaggedByClients) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(72));
  Account bob = register_account(tmp, server, "bob", test_phone(73));
  create_channel(alice, "the_record");
  EXPECT_EQ(post_to(alice, "the_record", "the vote passed 7 to 2"), 2u);
  EXPECT_EQ(post_to(alice, "the_record", "minutes follow"), 3u);
  CliResult subscribed = channel(bob, {"subscribe", "the_record"});
  ASSERT_EQ(subscribed.exit_code(), 0) << subscribed.describe();

  ASSERT_EQ(server.stop().code, 0);
  rewrite_post(server, 2, "passed");
  server.restart();

  for (const Account* reader : {&bob, &alice}) {
    CliResult read = channel(*reader, {"read", "the_record", "--after", "0"});
    EXPECT_EQ(read.exit_code(), 4) << read.describe();
    auto entries = entries_of(read);
    ASSERT_EQ(entries.size(), 3u) << read.describe();
    const nlohmann::json forged = entry(entries, 2);
    EXPECT_EQ(forged["verified"], false) << forged.dump();
    EXPECT_NE(forged.value("problem", "").find("signature"), std::string::npos) << forged.dump();
    EXPECT_FALSE(forged.contains("text")) << forged.dump();
    EXPECT_EQ(entry(entries, 1)["verified"], true);
    EXPECT_EQ(entry(entries, 3)["verified"], true);
    EXPECT_EQ(entry(entries, 3)["text"], "minutes follow");
    EXPECT_NE(read.err.find("WARNING"), std::string::npos) << read.describe();
    ASSERT_EQ(read.of_type("channel_page").size(), 1u) << read.describe();
    EXPECT_EQ(read.of_type("channel_page")[0]["verified"], false) << read.describe();
    EXPECT_EQ(read.of_type("channel_page")[0]["unverified"], 1) << read.describe();
    EXPECT_FALSE(read.of_type("channel_problem").empty()) << read.describe();
  }
  // In text mode the forged post's words are not shown at all.
  CliResult text = bob.cli.run({"--output", "text", "channel", "read", "the_record", "--after", "0"});
  EXPECT_EQ(text.exit_code(), 4) << text.describe();
  EXPECT_NE(text.out.find("NOT VERIFIED"), std::string::npos) << text.describe();
  EXPECT_EQ(text.out.find("vote"), std::string::npos) << text.describe();
  EXPECT_NE(text.out.find("minutes follow"), std::string::npos) << text.describe();
}

TEST(ChannelForgedPostTest, AChannelReplacedUnderItsHandleIsRefusedByClientsThatPinnedIt) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(74));
  Account bob = register_account(tmp, server, "bob", test_phone(75));
  Account mallory = register_account(tmp, server, "mallory", test_phone(76));
  create_channel(alice, "the_record");
  EXPECT_EQ(post_to(alice, "the_record", "the real record"), 2u);
  CliResult pinned = channel(bob, {"read", "the_record"});
  ASSERT_EQ(pinned.exit_code(), 0) << pinned.describe();

  // The operator drops Alice's channel; its own account takes the handle with a new key.
  ASSERT_EQ(server.stop().code, 0);
  const std::string id = "(SELECT id FROM channels WHERE handle = 'the_record')";
  edit_database(server_database(server),
                "DELETE FROM channel_log WHERE key >> 32 = (SELECT log_number FROM channels WHERE "
                "handle = 'the_record');"
                "DELETE FROM channel_subscriptions WHERE channel = " + id + ";"
                "DELETE FROM channels WHERE handle = 'the_record';");
  server.restart();
  create_channel(mallory, "the_record");
  EXPECT_EQ(post_to(mallory, "the_record", "the fake record"), 2u);

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"read", "the_record"}, {"info", "the_record"},
        {"subscribe", "the_record"}}) {
    CliResult refused = channel(bob, args);
    EXPECT_EQ(refused.exit_code(), 4) << refused.describe();
    EXPECT_NE(error_message(refused).find("CHANNEL KEY CHANGED"), std::string::npos)
        << refused.describe();
    EXPECT_NE(refused.err.find("CHANNEL ALERT"), std::string::npos) << refused.describe();
    EXPECT_EQ(refused.of_type("channel_alert").size(), 1u) << refused.describe();
    EXPECT_EQ(refused.out.find("fake"), std::string::npos) << refused.describe();
  }
  // Alice's own device refuses it too: it holds the key of the channel it created.
  CliResult owner = channel(alice, {"post", "the_record", "-m", "still mine?"});
  EXPECT_EQ(owner.exit_code(), 4) << owner.describe();
}

}  // namespace
}  // namespace bulwark::e2e
