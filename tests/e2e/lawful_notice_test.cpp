// `bulwark notices lawful` with real processes (issue 8, docs/CLI.md "Lawful requests"): an
// account no order named is told so, and its client pins the disclosure log's key on that first
// call; a server that comes back signing its log with another key is refused loudly (exit 4).
// A released order's notice, after its gag date, is tested end to end at the service level
// (tests/server/lawful_notices_test.cpp) and by the client's checks
// (tests/client/lawful_notices_test.cpp); the operator workflow is tests/e2e/lawful_test.cpp's.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

TEST(LawfulNoticeTest, NoDisclosureIsSaidPlainlyAndAnotherLogKeyLaterIsRefused) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));

  const CliResult none = alice.cli.run({"notices", "lawful"});
  ASSERT_EQ(none.exit_code(), 0) << none.describe();
  const auto counts = none.of_type("lawful_notices");
  ASSERT_EQ(counts.size(), 1u) << none.describe();
  EXPECT_EQ(counts[0]["count"], 0);
  const CliResult text = alice.cli.run({"--output", "text", "notices", "lawful"});
  ASSERT_EQ(text.exit_code(), 0) << text.describe();
  EXPECT_EQ(text.out, "No disclosure of your data has been made public to you.\n");
  // The moderation notices sit in the same group.
  const CliResult moderation = alice.cli.run({"notices", "moderation"});
  ASSERT_EQ(moderation.exit_code(), 0) << moderation.describe();
  EXPECT_EQ(moderation.of_type("moderation_notices").size(), 1u) << moderation.describe();

  // The operator (or whoever holds the server) replaces the log's key while the log is empty:
  // the server starts, signing with the new key, and the client that pinned the old one says so.
  ASSERT_EQ(server.stop().code, 0) << server.log_text();
  ASSERT_TRUE(std::filesystem::remove(server.data_dir() / "lawful" / "log.key"));
  server.restart();
  const CliResult changed = alice.cli.run({"notices", "lawful"});
  EXPECT_EQ(changed.exit_code(), 4) << changed.describe();
  EXPECT_NE(changed.err.find("DISCLOSURE LOG KEY CHANGED"), std::string::npos)
      << changed.describe();
  EXPECT_TRUE(changed.of_type("lawful_notices").empty()) << changed.describe();
}

}  // namespace
}  // namespace bulwark::e2e
