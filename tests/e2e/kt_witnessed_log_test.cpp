// Key transparency with a witness, end to end: the server serves a checkpoint only once the
// witness cosigned it, clients verify every contact's keys and their own against cosigned
// checkpoints, and `keys verify` / `safety-number` show the checkpoint.
#include <gtest/gtest.h>

#include "support/kt.h"
#include "support/witness_process.h"

namespace bulwark::e2e {
namespace {

TEST(WitnessedLogTest, KeysAreServedOnlyWhenCosignedAndVerifiedEverywhere) {
  TempDir tmp;
  WitnessProcess witness(tmp.path() / "w1", "w1.test");
  ServerProcess server(tmp.path() / "srv", kt_server_options({witness.keygen()}, 1));
  const std::string log_key = log_vkey_from(server.log_text());
  witness.start(server.port(), log_key, server.ca_file());
  Account alice = register_account(tmp, server, "alice", test_phone(60));
  Account bob = register_account(tmp, server, "bob", test_phone(61));

  CliResult sent = send_message(alice, bob.phone, "witnessed");
  ASSERT_EQ(sent.exit_code(), 0) << sent.describe();
  ASSERT_EQ(receive_messages(bob, 1).size(), 1u);

  CliResult keys = keys_verify(alice);
  ASSERT_EQ(keys.exit_code(), 0) << keys.describe();
  const auto report = keys.of_type("keys").at(0);
  EXPECT_EQ(report.at("version"), 0) << report.dump();
  EXPECT_EQ(report.at("devices"), nlohmann::json::array({1})) << report.dump();
  EXPECT_EQ(report.at("checkpoint").at("cosigned_by"), nlohmann::json::array({"w1.test"}));

  CliResult number = alice.cli.run({"safety-number", bob.phone});
  ASSERT_EQ(number.exit_code(), 0) << number.describe();
  const auto safety = number.of_type("safety_number").at(0);
  EXPECT_EQ(safety.at("checkpoint").at("origin"), report.at("checkpoint").at("origin"));
  EXPECT_EQ(safety.at("checkpoint").at("cosigned_by"), nlohmann::json::array({"w1.test"}));
  EXPECT_EQ(safety.at("checkpoint").at("root").get<std::string>().size(), 64u);

  // Without the witness nothing new is served: Carol's keys are published in the log but
  // never cosigned, so nobody may use them.
  witness.stop();
  Account carol = register_account(tmp, server, "carol", test_phone(62));
  CliResult unwitnessed = send_message(alice, carol.phone, "too early");
  EXPECT_NE(unwitnessed.exit_code(), 0) << unwitnessed.describe();
  EXPECT_TRUE(unwitnessed.of_type("sent").empty()) << unwitnessed.describe();
  EXPECT_NE(unwitnessed.err.find("transparency log"), std::string::npos) << unwitnessed.describe();
  // The witness back: the log catches up, and so does Alice.
  witness.start(server.port(), log_key, server.ca_file());
  CliResult later = send_message(alice, carol.phone, "now");
  EXPECT_EQ(later.exit_code(), 0) << later.describe();
}

// A user need not take the server's word for which witnesses count: registering with
// `--kt-witness` pins her own. Here the operator serves checkpoints nobody cosigned (quorum 0,
// and the witness is not running);
// Alice, who requires the witness, refuses them (an "unwitnessed" alert, exit 4) while Bob,
// who pinned the server's choice, accepts them. Once the operator requires the witness too,
// Alice's checks pass.
TEST(WitnessedLogTest, AClientsOwnWitnessRequirementOverridesTheServers) {
  TempDir tmp;
  WitnessProcess witness(tmp.path() / "w1", "w1.test");
  const std::string witness_key = witness.keygen();
  ServerProcess server(tmp.path() / "srv", kt_server_options({witness_key}, 0));
  const std::string log_key = log_vkey_from(server.log_text());
  Account bob = register_account(tmp, server, "bob", test_phone(63));
  Account alice = new_device(tmp, "alice", test_phone(64));
  CliResult asked = alice.cli.run({"--server", server.url(), "--ca-file", server.ca_file().string(),
                                   "register", alice.phone});
  ASSERT_EQ(asked.exit_code(), 0) << asked.describe();
  CliResult verified = alice.cli.run({"verify", server.next_code(alice.phone), "--kt-witness",
                                      witness_key, "--kt-quorum", "1"});
  ASSERT_EQ(verified.exit_code(), 0) << verified.describe();

  CliResult unwitnessed = send_message(alice, bob.phone, "not yet");
  EXPECT_TRUE(alerted(unwitnessed, "unwitnessed")) << unwitnessed.describe();
  EXPECT_TRUE(unwitnessed.of_type("sent").empty()) << unwitnessed.describe();
  CliResult bob_keys = keys_verify(bob);
  EXPECT_EQ(bob_keys.exit_code(), 0) << bob_keys.describe();

  ASSERT_EQ(server.stop().code, 0);
  write_file(tmp.path() / "srv" / "server.toml",
             *kt_server_options({witness_key}, 1).config_toml);
  server.restart();
  witness.start(server.port(), log_key, server.ca_file());
  CliResult witnessed = send_message(alice, bob.phone, "witnessed");
  EXPECT_EQ(witnessed.exit_code(), 0) << witnessed.describe();

  // A quorum above the witnesses given is refused before anything is registered.
  Account carol = new_device(tmp, "carol", test_phone(65));
  ASSERT_EQ(carol.cli.run({"--server", server.url(), "--ca-file", server.ca_file().string(),
                           "register", carol.phone}).exit_code(), 0);
  CliResult bad = carol.cli.run({"verify", server.next_code(carol.phone), "--kt-witness",
                                 witness_key, "--kt-quorum", "2"});
  EXPECT_EQ(bad.exit_code(), 1) << bad.describe();
}

}  // namespace
}  // namespace bulwark::e2e
