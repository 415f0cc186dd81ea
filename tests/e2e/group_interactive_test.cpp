// `bulwark group send GROUP` with the text on stdin, and `bulwark group chat GROUP` (issue 9):
// the body comes from stdin as for `send`, with the same bound and errors; in a chat, lines
// typed by one member appear in another member's chat and the other way round, and a roster
// change made meanwhile by a third member is printed in both chats with who made it.
#include <gtest/gtest.h>

#include "support/channels.h"
#include "support/groups.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto group_chat_timeout = std::chrono::seconds(30);

// The complete JSON lines a running chat printed so far.
std::vector<nlohmann::json> group_chat_lines(const CliProcess& chat) {
  std::vector<nlohmann::json> lines;
  const std::string out = chat.out();
  std::size_t start = 0;
  for (std::size_t end = out.find('\n'); end != std::string::npos; end = out.find('\n', start)) {
    auto line = nlohmann::json::parse(out.substr(start, end - start), nullptr, false);
    if (line.is_object()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// The first line of `type` for which `matches` holds, once the chat printed it (or nothing
// after group_chat_timeout, or when the chat exited).
template <class Matches>
std::optional<nlohmann::json> await_chat_line(CliProcess& chat, const std::string& type,
                                              Matches matches) {
  std::optional<nlohmann::json> found;
  (void)poll_until(group_chat_timeout, [&] {
    for (const auto& line : group_chat_lines(chat)) {
      if (line.value("type", "") == type && matches(line)) {
        found = line;
        return true;
      }
    }
    return chat.process().try_wait().has_value();
  });
  return found;
}

std::optional<nlohmann::json> await_chat_body(CliProcess& chat, const std::string& type,
                                              const std::string& body) {
  return await_chat_line(
      chat, type, [&](const nlohmann::json& line) { return line.value("body", "") == body; });
}

TEST(GroupInteractiveTest, GroupSendReadsTheTextFromStdinWithSendsBoundAndErrors) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(81));
  Account bob = register_account(tmp, server, "bob", test_phone(82));
  const std::string alice_id = account_id_of(alice);
  create_group(alice, "Family");
  CliResult added = group(alice, {"add", "Family", bob.phone});
  ASSERT_EQ(added.exit_code(), 0) << added.describe();

  // Two lines on stdin make one message; only the final newline is dropped, as for `send`.
  CliResult piped =
      alice.cli.run({"group", "send", "Family"}, RunOptions{"piped to the family\nsecond line\n"});
  ASSERT_EQ(piped.exit_code(), 0) << piped.describe();
  ASSERT_EQ(piped.of_type("group_sent").size(), 1u) << piped.describe();
  EXPECT_EQ(piped.of_type("group_sent")[0]["devices"], 1) << piped.describe();

  // Nothing on stdin, and a body over 64 KiB: refused with exit code 1, nothing sent.
  CliResult empty = alice.cli.run({"group", "send", "Family"}, RunOptions{""});
  EXPECT_EQ(empty.exit_code(), 1) << empty.describe();
  EXPECT_NE(error_message(empty).find("give -m TEXT or a body on stdin"), std::string::npos)
      << empty.describe();
  CliResult huge =
      alice.cli.run({"group", "send", "Family"}, RunOptions{std::string(70 * 1024, 'x')});
  EXPECT_EQ(huge.exit_code(), 1) << huge.describe();
  EXPECT_NE(error_message(huge).find("over 64 KiB"), std::string::npos) << huge.describe();
  // `send` says the same of the same body.
  CliResult huge_direct =
      alice.cli.run({"send", "--to", bob.phone}, RunOptions{std::string(70 * 1024, 'x')});
  EXPECT_EQ(huge_direct.exit_code(), 1) << huge_direct.describe();
  EXPECT_NE(error_message(huge_direct).find("over 64 KiB"), std::string::npos)
      << huge_direct.describe();

  // Bob gets exactly the piped message.
  auto messages = events_of_type(receive_group_events(bob, 2), "group_message");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["body"], "piped to the family\nsecond line");
  EXPECT_EQ(messages[0]["from_account"], alice_id);
}

TEST(GroupInteractiveTest, LinesTypedInAGroupChatReachTheOtherChatAndRosterChangesShowWho) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(83));
  Account bob = register_account(tmp, server, "bob", test_phone(84));
  Account carol = register_account(tmp, server, "carol", test_phone(85));
  Account dave = register_account(tmp, server, "dave", test_phone(86));
  const std::string alice_id = account_id_of(alice);
  const std::string bob_id = account_id_of(bob);
  const std::string carol_id = account_id_of(carol);
  const std::string dave_id = account_id_of(dave);
  create_group(alice, "Family");
  for (const Account* peer : {&bob, &carol}) {
    CliResult added = group(alice, {"add", "Family", peer->phone});
    ASSERT_EQ(added.exit_code(), 0) << added.describe();
  }
  ASSERT_EQ(events_of_type(receive_group_events(bob, 2), "group_joined").size(), 1u);
  ASSERT_EQ(events_of_type(receive_group_events(carol, 1), "group_joined").size(), 1u);

  // An unknown group is refused at once.
  CliResult unknown = alice.cli.run({"group", "chat", "NoSuchGroup"}, RunOptions{""});
  EXPECT_EQ(unknown.exit_code(), 1) << unknown.describe();
  EXPECT_NE(error_message(unknown).find("NoSuchGroup"), std::string::npos) << unknown.describe();

  auto alice_chat = alice.cli.start({"group", "chat", "Family"}, /*stdin_pipe=*/true);
  auto bob_chat = bob.cli.start({"group", "chat", "Family"}, /*stdin_pipe=*/true);

  // Alice types; Bob's chat prints it, and Alice's says it was sent to both other devices.
  alice_chat->process().write_stdin("hello from alice's chat\n\n", group_chat_timeout);
  auto sent = await_chat_body(*alice_chat, "group_sent", "hello from alice's chat");
  ASSERT_TRUE(sent) << alice_chat->out() << alice_chat->err();
  EXPECT_EQ((*sent)["devices"], 2);
  auto at_bob = await_chat_body(*bob_chat, "group_message", "hello from alice's chat");
  ASSERT_TRUE(at_bob) << bob_chat->out() << bob_chat->err();
  EXPECT_EQ((*at_bob)["from_account"], alice_id);
  EXPECT_EQ((*at_bob)["group"], "Family");

  // And the other way round.
  bob_chat->process().write_stdin("bob answers\n", group_chat_timeout);
  auto at_alice = await_chat_body(*alice_chat, "group_message", "bob answers");
  ASSERT_TRUE(at_alice) << alice_chat->out() << alice_chat->err();
  EXPECT_EQ((*at_alice)["from_account"], bob_id);

  // Carol, not chatting, adds Dave before reading anything: the two lines queued for her are
  // read first (a commit ends their epoch), and both chats print the change with Carol as its
  // author.
  CliResult added_dave = group(carol, {"add", "Family", dave.phone});
  ASSERT_EQ(added_dave.exit_code(), 0) << added_dave.describe();
  auto at_carol = events_of_type(receive_group_events(carol, 2), "group_message");
  ASSERT_EQ(at_carol.size(), 2u) << "the empty line typed after the first was not sent";
  EXPECT_EQ(at_carol[0]["body"], "hello from alice's chat");
  EXPECT_EQ(at_carol[1]["body"], "bob answers");
  auto dave_added = [&](const nlohmann::json& line) {
    return line.contains("changes") && line["changes"].size() == 1 &&
           line["changes"][0].value("kind", "") == "added" &&
           line["changes"][0]["subject"].value("account", "") == dave_id;
  };
  for (CliProcess* chat : {alice_chat.get(), bob_chat.get()}) {
    auto roster = await_chat_line(*chat, "group_roster", dave_added);
    ASSERT_TRUE(roster) << chat->out() << chat->err();
    EXPECT_EQ((*roster)["changes"][0]["by"]["account"], carol_id) << roster->dump();
    EXPECT_EQ((*roster)["changes"][0]["by"]["you"], false) << roster->dump();
  }

  // A line typed after the change reaches Dave too: the chat follows the roster.
  alice_chat->process().write_stdin("welcome dave\n", group_chat_timeout);
  auto to_dave = await_chat_body(*alice_chat, "group_sent", "welcome dave");
  ASSERT_TRUE(to_dave) << alice_chat->out() << alice_chat->err();
  EXPECT_EQ((*to_dave)["devices"], 3);
  ASSERT_TRUE(await_chat_body(*bob_chat, "group_message", "welcome dave"))
      << bob_chat->out() << bob_chat->err();
  auto at_dave = events_of_type(receive_group_events(dave, 2), "group_message");
  ASSERT_EQ(at_dave.size(), 1u);
  EXPECT_EQ(at_dave[0]["body"], "welcome dave");

  // End of input ends each chat with exit code 0.
  for (auto* chat : {alice_chat.get(), bob_chat.get()}) {
    chat->process().close_stdin();
    CliResult ended = chat->finish(group_chat_timeout);
    EXPECT_EQ(ended.exit_code(), 0) << ended.describe();
    EXPECT_NE(ended.err.find("chatting in Family (3 devices)"), std::string::npos)
        << ended.describe();
  }
  auto carol_last = events_of_type(receive_group_events(carol, 1), "group_message");
  ASSERT_EQ(carol_last.size(), 1u);
  EXPECT_EQ(carol_last[0]["body"], "welcome dave");
}

}  // namespace
}  // namespace bulwark::e2e
