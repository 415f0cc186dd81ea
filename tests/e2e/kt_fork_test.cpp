// Issue 5's compromised-operator test (3): the operator shows two clients two different views
// of the log. Here it runs two servers from one copied database and key set, which then each
// publish their own entries: two histories under one log key.
//  - A witness that cosigned one view refuses the other, and then refuses everything.
//  - A client that saw one view and is then shown the other detects the fork: alert, exit 4.
#include <gtest/gtest.h>

#include "support/kt.h"
#include "support/wait.h"
#include "support/witness_process.h"

namespace bulwark::e2e {
namespace {

namespace fs = std::filesystem;

// Stops `server`, copies its data directory as the next server's (same keys, same log), and
// starts both again: from here on they publish different entries.
std::unique_ptr<ServerProcess> fork_server(const TempDir& tmp, ServerProcess& server,
                                           const ServerOptions& options) {
  require(server.stop().code == 0, "the server did not stop cleanly", server.log_text());
  fs::create_directories(tmp.path() / "fork");
  fs::copy(server.data_dir(), tmp.path() / "fork" / "server", fs::copy_options::recursive);
  server.restart();
  return std::make_unique<ServerProcess>(tmp.path() / "fork", options);
}

TEST(ForkTest, TheWitnessRefusesToCosignASecondViewOfTheLog) {
  TempDir tmp;
  WitnessProcess witness(tmp.path() / "w1", "w1.test");
  const ServerOptions options = kt_server_options({witness.keygen()}, 1);
  ServerProcess server(tmp.path() / "srv", options);
  const std::string log_key = log_vkey_from(server.log_text());
  Account alice = register_account(tmp, server, "alice", test_phone(40));
  ASSERT_EQ(witness.run_once(server.port(), log_key, server.ca_file()).code, 0)
      << witness.log_text();

  auto forked = fork_server(tmp, server, options);
  // Each now has entries the other does not: the same sizes, different roots.
  const std::uint64_t copied = checkpoint_size(*forked);
  wait_for_log_beyond(server, copied + 2);
  wait_for_log_beyond(*forked, copied + 2);

  // The witness follows the original server: it cosigns its newer checkpoints...
  const ExitStatus first = witness.run_once(server.port(), log_key, server.ca_file());
  ASSERT_EQ(first.code, 0) << witness.log_text();
  // ...and refuses the fork's, whose history differs from the one it cosigned (once the fork
  // is as long: a shorter one only fails to serve the entries the witness asks for).
  wait_for_log_beyond(*forked, checkpoint_size(server));
  const ExitStatus fork_round = witness.run_once(forked->port(), log_key, forked->ca_file());
  EXPECT_EQ(fork_round.code, 5) << witness.log_text();
  EXPECT_NE(witness.state_text().find("alarm"), std::string::npos) << witness.state_text();
  // Once it has seen two histories it cosigns nothing for this log, not even the first one.
  const ExitStatus after = witness.run_once(server.port(), log_key, server.ca_file());
  EXPECT_EQ(after.code, 5) << witness.log_text();

  // A client that accepted the witnessed view cannot be moved onto the fork: the fork has no
  // cosigned checkpoint that extends what it saw.
  CliResult witnessed = keys_verify(alice);
  ASSERT_EQ(witnessed.exit_code(), 0) << witnessed.describe();
  CliResult on_fork = keys_verify(alice, forked->url());
  EXPECT_TRUE(alerted(on_fork, "log_inconsistent")) << on_fork.describe();
}

TEST(ForkTest, ClientsShownTwoViewsDetectTheFork) {
  TempDir tmp;
  const ServerOptions options = kt_server_options();  // no witness to stop the operator
  ServerProcess server(tmp.path() / "srv", options);
  Account alice = register_account(tmp, server, "alice", test_phone(41));
  Account bob = register_account(tmp, server, "bob", test_phone(42));
  auto forked = fork_server(tmp, server, options);
  const std::uint64_t copied = checkpoint_size(*forked);
  wait_for_log_beyond(server, copied + 2);
  wait_for_log_beyond(*forked, copied + 2);

  // Alice is shown the original's history, Bob the fork's: each alone looks fine.
  CliResult alice_view = keys_verify(alice);
  ASSERT_EQ(alice_view.exit_code(), 0) << alice_view.describe();
  CliResult bob_view = keys_verify(bob, forked->url());
  ASSERT_EQ(bob_view.exit_code(), 0) << bob_view.describe();
  const auto alice_checkpoint = alice_view.of_type("keys").at(0).at("checkpoint");
  const auto bob_checkpoint = bob_view.of_type("keys").at(0).at("checkpoint");
  EXPECT_EQ(alice_checkpoint.at("origin"), bob_checkpoint.at("origin"));

  // The moment either is shown the other view, the log does not extend what it saw.
  wait_for_log_beyond(*forked, alice_checkpoint.at("size").get<std::uint64_t>());
  CliResult alice_on_fork = keys_verify(alice, forked->url());
  EXPECT_TRUE(alerted(alice_on_fork, "log_inconsistent")) << alice_on_fork.describe();
  wait_for_log_beyond(server, bob_checkpoint.at("size").get<std::uint64_t>());
  CliResult bob_on_original = keys_verify(bob, server.url());
  EXPECT_TRUE(alerted(bob_on_original, "log_inconsistent")) << bob_on_original.describe();
  // Sending, too, refuses keys proved only against a history the sender cannot accept.
  CliResult send = alice.cli.run({"--server", forked->url(), "send", "--to", bob.phone, "-m", "x"});
  EXPECT_EQ(send.exit_code(), 4) << send.describe();
  EXPECT_TRUE(send.of_type("sent").empty()) << send.describe();
}

}  // namespace
}  // namespace bulwark::e2e
