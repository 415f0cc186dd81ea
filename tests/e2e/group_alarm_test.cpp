// A malicious operator replays an old MLS commit to a member (issue 9): `bulwark receive`
// prints the refused commit flagged, warns on stderr and exits with code 4, and the member's
// group state is unchanged; `bulwark group chat` warns the same way and exits with code 4 at
// its end. The replay is a real edit of the stopped server's database: the commit envelope
// queued for Bob is copied aside, and queued again once Bob has applied it.
#include <gtest/gtest.h>

#include "support/db_edit.h"
#include "support/groups.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto alarm_chat_timeout = std::chrono::seconds(30);

// Queues the kept commit envelopes again, under new ids and later sequence numbers (`round`
// keeps each replay's numbers apart).
std::string requeue_kept_commits(int round) {
  return "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, source_device,"
         " envelope_type, content, server_timestamp_ms, client_timestamp_ms, expires_at_ms,"
         " group_id, group_epoch, shared_content) SELECT seq + " +
         std::to_string(round * 1000000) +
         ", randomblob(16), account_id, device_id, source_account, source_device, envelope_type,"
         " body, server_timestamp_ms, client_timestamp_ms, expires_at_ms, group_id, group_epoch,"
         " NULL FROM kept";
}

std::size_t member_count(const Account& account, const std::string& name) {
  CliResult members = group(account, {"members", name});
  require(members.exit_code() == 0, "group members failed", members.describe());
  auto lines = members.of_type("group_members");
  require(lines.size() == 1, "group members printed no roster", members.describe());
  return lines[0]["members"].size();
}

TEST(GroupAlarmTest, AReplayedCommitMakesReceiveWarnAndExitFourAndChangesNothing) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(87));
  Account bob = register_account(tmp, server, "bob", test_phone(88));
  Account carol = register_account(tmp, server, "carol", test_phone(89));
  const std::string bob_id = account_id_of(bob);
  create_group(alice, "Replay");
  CliResult bob_added = group(alice, {"add", "Replay", bob.phone});
  ASSERT_EQ(bob_added.exit_code(), 0) << bob_added.describe();
  ASSERT_EQ(events_of_type(receive_group_events(bob, 1), "group_joined").size(), 1u);
  CliResult carol_added = group(alice, {"add", "Replay", carol.phone});
  ASSERT_EQ(carol_added.exit_code(), 0) << carol_added.describe();

  // The operator keeps a copy of the commit (envelope type 4, MLS_COMMIT) queued for Bob...
  const auto db = server.data_dir() / "bulwark.db";
  ASSERT_EQ(server.stop().code, 0);
  std::string bob_hex = bob_id;
  std::erase(bob_hex, '-');
  edit_database(db,
                "CREATE TABLE kept AS SELECT e.*, COALESCE(s.content, e.content) AS body"
                " FROM envelopes e LEFT JOIN shared_contents s ON s.id = e.shared_content"
                " WHERE e.envelope_type = 4 AND e.account_id = X'" +
                    bob_hex + "'");
  ASSERT_EQ(query_database(db, "SELECT COUNT(*) FROM kept"), "1");
  server.restart();
  ASSERT_EQ(events_of_type(receive_group_events(bob, 1), "group_roster").size(), 1u);
  ASSERT_EQ(member_count(bob, "Replay"), 3u);

  // ...and queues it again once Bob has applied it.
  ASSERT_EQ(server.stop().code, 0);
  edit_database(db, requeue_kept_commits(1));
  server.restart();
  CliResult replayed = bob.cli.run({"receive", "--timeout", "2"});
  EXPECT_EQ(replayed.exit_code(), 4) << replayed.describe();
  auto problems = replayed.of_type("group_problem");
  ASSERT_EQ(problems.size(), 1u) << replayed.describe();
  EXPECT_EQ(problems[0]["group"], "Replay");
  EXPECT_NE(problems[0].value("detail", "").find("replayed commit for epoch"), std::string::npos)
      << replayed.describe();
  EXPECT_TRUE(replayed.of_type("group_fork").empty()) << replayed.describe();
  EXPECT_NE(replayed.err.find("bulwark: WARNING: ! [Replay] refused: replayed commit"),
            std::string::npos)
      << replayed.describe();
  EXPECT_EQ(member_count(bob, "Replay"), 3u) << "the state is unchanged";
  // Reported once: the next receive is quiet again.
  CliResult after = bob.cli.run({"receive", "--timeout", "1"});
  EXPECT_EQ(after.exit_code(), 0) << after.describe();

  // Replayed again while Bob chats in the group: the chat warns and ends with exit code 4.
  ASSERT_EQ(server.stop().code, 0);
  edit_database(db, requeue_kept_commits(2));
  server.restart();
  auto chat = bob.cli.start({"group", "chat", "Replay"}, /*stdin_pipe=*/true);
  EXPECT_TRUE(poll_until(alarm_chat_timeout,
                         [&] {
                           return chat->err().find("bulwark: WARNING: ! [Replay] refused") !=
                                      std::string::npos ||
                                  chat->process().try_wait().has_value();
                         }))
      << chat->out() << chat->err();
  chat->process().close_stdin();
  CliResult chat_ended = chat->finish(alarm_chat_timeout);
  EXPECT_EQ(chat_ended.exit_code(), 4) << chat_ended.describe();
  EXPECT_EQ(chat_ended.of_type("group_problem").size(), 1u) << chat_ended.describe();
  EXPECT_EQ(member_count(bob, "Replay"), 3u);
}

}  // namespace
}  // namespace bulwark::e2e
