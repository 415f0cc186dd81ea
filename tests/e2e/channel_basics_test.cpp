// Channels with real processes: the owner creates a channel and posts; a subscriber reads every
// entry verified; the owner edits and deletes; the subscriber's cursor shows only what is new;
// and a subscriber connected in the daemon gets a new post pushed, verified.
#include <gtest/gtest.h>

#include <csignal>

#include "support/channels.h"
#include "support/unix_line_client.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

TEST(ChannelBasicsTest, OwnerPostsEditsAndDeletesAndASubscriberReadsItAllVerified) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(60));
  Account bob = register_account(tmp, server, "bob", test_phone(61));

  nlohmann::json created = create_channel(alice, "Free_Press",
                                          {"--title", "Free Press", "--description", "news"});
  EXPECT_EQ(created["handle"], "free_press") << created.dump();
  EXPECT_EQ(created["owner"], true) << created.dump();
  EXPECT_EQ(created["private"], false) << created.dump();
  EXPECT_FALSE(created.contains("invite_link")) << created.dump();
  EXPECT_EQ(post_to(alice, "free_press", "first post"), 2u);
  EXPECT_EQ(post_to(alice, "@free_press", "second post"), 3u);

  CliResult subscribed = channel(bob, {"subscribe", "free_press"});
  ASSERT_EQ(subscribed.exit_code(), 0) << subscribed.describe();
  ASSERT_EQ(subscribed.of_type("subscribed").size(), 1u) << subscribed.describe();
  EXPECT_EQ(subscribed.of_type("subscribed")[0]["title"], "Free Press");

  CliResult read = channel(bob, {"read", "free_press"});
  ASSERT_EQ(read.exit_code(), 0) << read.describe();
  auto entries = entries_of(read);
  ASSERT_EQ(entries.size(), 3u) << read.describe();
  EXPECT_EQ(entry(entries, 1)["kind"], "create");
  EXPECT_EQ(entry(entries, 2)["text"], "first post");
  EXPECT_EQ(entry(entries, 3)["text"], "second post");
  for (const auto& line : entries) {
    EXPECT_EQ(line["verified"], true) << line.dump();
  }
  EXPECT_EQ(entry(entries, 2)["signed_by"], "owner");
  ASSERT_EQ(read.of_type("channel_page").size(), 1u) << read.describe();
  EXPECT_EQ(read.of_type("channel_page")[0]["cursor"], 3) << read.describe();

  CliResult edited = channel(alice, {"edit", "free_press", "2", "-m", "first post, corrected"});
  ASSERT_EQ(edited.exit_code(), 0) << edited.describe();
  EXPECT_EQ(edited.of_type("channel_appended")[0]["seq"], 4) << edited.describe();
  CliResult deleted = channel(alice, {"delete", "free_press", "3"});
  ASSERT_EQ(deleted.exit_code(), 0) << deleted.describe();
  EXPECT_EQ(deleted.of_type("channel_appended")[0]["seq"], 5) << deleted.describe();

  // Only what is new since Bob's cursor: the edit and the removal.
  CliResult fresh = channel(bob, {"read", "free_press", "--new"});
  ASSERT_EQ(fresh.exit_code(), 0) << fresh.describe();
  auto news = entries_of(fresh);
  ASSERT_EQ(news.size(), 2u) << fresh.describe();
  EXPECT_EQ(entry(news, 4)["kind"], "edit");
  EXPECT_EQ(entry(news, 4)["target"], 2);
  EXPECT_EQ(entry(news, 4)["text"], "first post, corrected");
  EXPECT_EQ(entry(news, 5)["kind"], "remove");
  EXPECT_EQ(entry(news, 5)["target"], 3);

  // From the start: the removed post is gone from the server, its removal verified.
  CliResult all = channel(bob, {"read", "free_press", "--after", "0"});
  ASSERT_EQ(all.exit_code(), 0) << all.describe();
  auto everything = entries_of(all);
  ASSERT_EQ(everything.size(), 5u) << all.describe();
  EXPECT_EQ(entry(everything, 3)["kind"], "removed");
  EXPECT_EQ(entry(everything, 3)["deleted_by"], 5);
  EXPECT_EQ(entry(everything, 3)["verified"], true);
  EXPECT_FALSE(entry(everything, 3).contains("text"));

  CliResult info = channel(bob, {"info", "free_press"});
  ASSERT_EQ(info.exit_code(), 0) << info.describe();
  ASSERT_EQ(info.of_type("channel").size(), 1u) << info.describe();
  EXPECT_EQ(info.of_type("channel")[0]["subscribed"], true) << info.describe();
  EXPECT_EQ(info.of_type("channel")[0]["owner"], false) << info.describe();
  EXPECT_EQ(info.of_type("channel")[0]["last_seq"], 5) << info.describe();

  // Bob is no owner or admin.
  CliResult refused = channel(bob, {"post", "free_press", "-m", "let me in"});
  EXPECT_EQ(refused.exit_code(), 1) << refused.describe();
  EXPECT_NE(error_message(refused).find("you are not an owner or admin of @free_press"), std::string::npos)
      << refused.describe();

  CliResult left = channel(bob, {"unsubscribe", "free_press"});
  ASSERT_EQ(left.exit_code(), 0) << left.describe();
  CliResult after = channel(bob, {"info", "free_press"});
  ASSERT_EQ(after.exit_code(), 0) << after.describe();
  EXPECT_EQ(after.of_type("channel")[0]["subscribed"], false) << after.describe();
}

// The next "receive" notification whose event is a channel entry (each read bounded).
nlohmann::json next_channel_notification(UnixLineClient& program) {
  for (int lines = 0; lines < 100; ++lines) {
    auto line = nlohmann::json::parse(program.read_line(std::chrono::seconds(20)), nullptr, false);
    require(!line.is_discarded(), "the daemon wrote a line that is not JSON");
    if (line.value("method", "") == "receive" && line.contains("params") &&
        line["params"].is_object() && line["params"].value("type", "") == "channel_entry")
      return line;
  }
  return nullptr;
}

// With one I/O thread the server runs connections without strands and the fan-out delivers
// inline (server.cpp, channel_hub.h); with two, through each connection's strand.
class ChannelPushTest : public ::testing::TestWithParam<int> {};

TEST_P(ChannelPushTest, ASubscriberConnectedInTheDaemonGetsNewPostsPushedAndVerified) {
  TempDir tmp;
  ServerOptions options;
  options.threads = GetParam();
  ServerProcess server(tmp.path() / "srv", options);
  Account alice = register_account(tmp, server, "alice", test_phone(62));
  Account bob = register_account(tmp, server, "bob", test_phone(63));
  create_channel(alice, "daily_news");
  CliResult subscribed = channel(bob, {"subscribe", "daily_news"});
  ASSERT_EQ(subscribed.exit_code(), 0) << subscribed.describe();

  const auto socket = tmp.path() / "bob.sock";
  auto daemon = bob.cli.start({"daemon", "--socket", socket.string()});
  ASSERT_TRUE(poll_until(std::chrono::seconds(20), [&] {
    return daemon->out().find("\"type\":\"daemon\"") != std::string::npos ||
           daemon->process().try_wait().has_value();
  })) << daemon->err();
  UnixLineClient program(socket);
  // An answered call means the daemon is connected, so the server pushes to it.
  program.write_line(R"({"jsonrpc":"2.0","id":1,"method":"whoami"})");
  auto who = nlohmann::json::parse(program.read_line(std::chrono::seconds(20)), nullptr, false);
  ASSERT_TRUE(who.is_object() && who.contains("result")) << who.dump();

  EXPECT_EQ(post_to(alice, "daily_news", "breaking"), 2u);
  nlohmann::json pushed = next_channel_notification(program);
  ASSERT_FALSE(pushed.is_null()) << daemon->err();
  const nlohmann::json& params = pushed["params"];
  EXPECT_EQ(params["channel"], "daily_news") << pushed.dump();
  EXPECT_EQ(params["seq"], 2) << pushed.dump();
  EXPECT_EQ(params["text"], "breaking") << pushed.dump();
  EXPECT_EQ(params["verified"], true) << pushed.dump();
  daemon->process().send_signal(SIGTERM);
  CliResult stopped = daemon->finish(std::chrono::seconds(20));
  EXPECT_EQ(stopped.exit_code(), 0) << stopped.describe();
}

INSTANTIATE_TEST_SUITE_P(IoThreads, ChannelPushTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace bulwark::e2e
