// Abuse reports from encrypted chats, with real processes (docs/FRANKING.md): a recipient
// reports a message with one message of context through the real CLI; the server verifies the
// proof and queues it; a moderator reads exactly the revealed messages and suspends the proven
// sender; and nothing of the chat that was not reported is ever in the server's database or
// logs.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/accounts.h"
#include "support/admin.h"

namespace bulwark::e2e {
namespace {

// Every byte the server wrote under its data directory: the database, its WAL and every log.
std::string everything_the_server_wrote(const ServerProcess& server) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(server.data_dir())) {
    if (entry.is_regular_file()) all += read_file(entry.path());
  }
  return all + server.log_text();
}

TEST(FrankingReportE2ETest, ARecipientProvesAbuseAndNothingUnreportedReachesTheServer) {
  TempDir tmp;
  const Moderator moderator = make_moderator(tmp, "mona");
  ServerProcess server(tmp.path() / "srv", ServerOptions{moderator_toml(moderator), "debug", 2});
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));

  const std::string unreported = "private-unreported-d41d8cd98f";
  const std::string context = "abuse-context-7f3a2b";
  const std::string abuse = "abuse-reported-9c2e4d";
  for (const std::string& text : {unreported, context, abuse}) {
    CliResult sent = send_message(alice, bob.phone, text);
    ASSERT_EQ(sent.exit_code(), 0) << sent.describe();
  }
  auto received = receive_messages(bob, 3);
  ASSERT_EQ(received.size(), 3u);
  ASSERT_EQ(received[2]["body"], abuse);
  const std::string abuse_id = received[2]["id"].get<std::string>();

  // Before any report: no text of the chat is anywhere on the server.
  {
    const std::string written = everything_the_server_wrote(server);
    for (const std::string& text : {unreported, context, abuse})
      EXPECT_EQ(written.find(text), std::string::npos) << text << " reached the server";
  }

  CliResult report = bob.cli.run({"report", "--message", abuse_id, "--reason", "hate", "--context", "1",
                                  "-m", "threats after I blocked them"});
  ASSERT_EQ(report.exit_code(), 0) << report.describe();
  auto reported = report.of_type("reported");
  ASSERT_EQ(reported.size(), 1u) << report.describe();
  EXPECT_EQ(reported[0]["revealed_messages"], 2) << "the reported message and one before it";
  EXPECT_EQ(server.metric("bulwark_message_reports_verified_total"), 1);
  EXPECT_EQ(server.metric("bulwark_message_reports_forged_total"), 0);
  const std::string case_id = std::to_string(reported[0]["case"].get<std::uint64_t>());

  // The moderator sees the two revealed messages, in order, and nothing else of the chat.
  CliResult shown = moderate(moderator, server, {"show", case_id});
  ASSERT_EQ(shown.exit_code(), 0) << shown.describe();
  const std::string content = shown.of_type("moderation_case").at(0)["content"].get<std::string>();
  EXPECT_NE(content.find(context), std::string::npos) << content;
  EXPECT_NE(content.find(abuse), std::string::npos) << content;
  EXPECT_LT(content.find(context), content.find(abuse)) << content;
  EXPECT_EQ(shown.out.find(unreported), std::string::npos) << shown.describe();
  CliResult suspended = moderate(moderator, server, {"act", case_id, "--action", "suspend-account",
                                                     "--reason", "threats (rules 3.1)"});
  ASSERT_EQ(suspended.exit_code(), 0) << suspended.describe();
  // The proven sender - not whoever the reporter might have named - is the one suspended.
  CliResult blocked = send_message(alice, bob.phone, "one more");
  EXPECT_NE(blocked.exit_code(), 0) << blocked.describe();
  EXPECT_NE(blocked.describe().find("suspended"), std::string::npos) << blocked.describe();
  EXPECT_EQ(send_message(bob, alice.phone, "bob is not suspended").exit_code(), 0);

  // Bad input gets a clear error, never a crash: an unknown message, an unknown category.
  CliResult unknown = bob.cli.run({"report", "--message", std::string(32, '0'), "--reason", "spam"});
  EXPECT_NE(unknown.exit_code(), 0);
  EXPECT_NE(unknown.describe().find("no received message"), std::string::npos) << unknown.describe();
  CliResult bad_reason = bob.cli.run({"report", "--message", abuse_id, "--reason", "rudeness"});
  EXPECT_NE(bad_reason.exit_code(), 0);
  // Alice cannot report her own message to Bob as if she had received it: she holds no opening.
  CliResult not_hers = alice.cli.run({"report", "--message", abuse_id, "--reason", "spam"});
  EXPECT_NE(not_hers.exit_code(), 0);

  // After the report the unreported message is still nowhere on the server.
  const std::string written = everything_the_server_wrote(server);
  EXPECT_EQ(written.find(unreported), std::string::npos) << "an unreported message reached the server";
}

}  // namespace
}  // namespace bulwark::e2e
