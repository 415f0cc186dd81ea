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

}  // namespace
}  // namespace bulwark::e2e
