// Issue 5's compromised-operator test (4): the operator truncates or rewrites the log's
// history in the database. A rewritten entry stops the server at start; a truncated log that
// grows again is caught on the next consistency check by clients and by the witness.
#include <gtest/gtest.h>

#include "support/channels.h"
#include "support/db_edit.h"
#include "support/kt.h"
#include "support/witness_process.h"

namespace bulwark::e2e {
namespace {

TEST(HistoryTest, TruncatedHistoryIsDetectedOnTheNextConsistencyCheck) {
  TempDir tmp;
  WitnessProcess witness(tmp.path() / "w1", "w1.test");
  // Clients require no cosignature here, so that the truncated log reaches them at all.
  ServerProcess server(tmp.path() / "srv", kt_server_options({witness.keygen()}, 0));
  const std::string log_key = log_vkey_from(server.log_text());
  Account alice = register_account(tmp, server, "alice", test_phone(50));
  const std::uint64_t published = checkpoint_size(server);
  wait_for_log_beyond(server, published + 5);
  CliResult seen = keys_verify(alice);
  ASSERT_EQ(seen.exit_code(), 0) << seen.describe();
  const auto seen_size = seen.of_type("keys").at(0).at("checkpoint").at("size").get<std::uint64_t>();
  ASSERT_EQ(witness.run_once(server.port(), log_key, server.ca_file()).code, 0)
      << witness.log_text();

  // Cut the log back to just after Alice's record was published, then let it grow again.
  ASSERT_EQ(server.stop().code, 0);
  const std::uint64_t keep = published + 1;
  edit_database(server_database(server),
                "DELETE FROM kt_cosignatures; DELETE FROM kt_versions WHERE entry >= " +
                    std::to_string(keep) + "; DELETE FROM kt_entries WHERE idx >= " +
                    std::to_string(keep) + ";");
  server.restart();
  wait_for_log_beyond(server, seen_size + 2);

  CliResult after = keys_verify(alice);
  EXPECT_TRUE(alerted(after, "log_inconsistent")) << after.describe();
  const ExitStatus witnessed = witness.run_once(server.port(), log_key, server.ca_file());
  EXPECT_EQ(witnessed.code, 5) << witness.log_text();
}

TEST(HistoryTest, RewrittenHistoryStopsTheServerAtStart) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", kt_server_options());
  Account alice = register_account(tmp, server, "alice", test_phone(51));
  wait_for_log_beyond(server, checkpoint_size(server) + 1);
  ASSERT_EQ(server.stop().code, 0);
  // Alice's published record, changed in place: a different device list for her account.
  edit_database(server_database(server),
                "UPDATE kt_versions SET value = zeroblob(length(value)) WHERE version = 0;");
  EXPECT_THROW(server.restart(), std::runtime_error);
  EXPECT_NE(server.log_text().find("does not verify"), std::string::npos) << server.log_text();
}

}  // namespace
}  // namespace bulwark::e2e
