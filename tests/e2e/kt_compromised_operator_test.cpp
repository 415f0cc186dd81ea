// Issue 5's compromised-operator tests (1) and (2), with real processes: the operator writes
// straight into the server's database, bypassing the API, and key transparency catches it.
//  (1) an extra device for Bob: Alice refuses to encrypt to it, and Bob's own client alerts;
//  (2) another identity key served for Bob: refused by a new contact, with an alert.
#include <gtest/gtest.h>

#include "support/channels.h"
#include "support/db_edit.h"
#include "support/kt.h"

namespace bulwark::e2e {
namespace {

// A device row for Bob that his identity key never signed: device 1's keys copied (the
// operator cannot sign new ones), a registration id and authentication key of its own.
void add_ghost_device(const ServerProcess& server, const std::string& phone) {
  edit_database(server_database(server),
                "INSERT INTO devices (account_id, device_id, registration_id, auth_key, name, "
                "created_at_ms, signed_pre_key_id, signed_pre_key, signed_pre_key_signature) "
                "SELECT d.account_id, 2, 4242, zeroblob(32), 'lawful access', d.created_at_ms, "
                "d.signed_pre_key_id, d.signed_pre_key, d.signed_pre_key_signature "
                "FROM devices d JOIN accounts a ON a.id = d.account_id "
                "WHERE a.phone = '" + phone + "' AND d.device_id = 1;"
                // The last-resort Kyber key has its own table (store migration 15).
                "INSERT INTO last_resort_kyber_keys (account_id, device_id, key_id, public_key, "
                "signature) SELECT k.account_id, 2, k.key_id, k.public_key, k.signature "
                "FROM last_resort_kyber_keys k JOIN accounts a ON a.id = k.account_id "
                "WHERE a.phone = '" + phone + "' AND k.device_id = 1;"
                "UPDATE accounts SET next_device_id = 3 WHERE phone = '" + phone + "';");
}

TEST(CompromisedOperatorTest, ExtraDeviceWrittenIntoTheDatabaseIsRefusedAndBobIsAlerted) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", kt_server_options());
  Account alice = register_account(tmp, server, "alice", test_phone(30));
  Account bob = register_account(tmp, server, "bob", test_phone(31));
  CliResult before = send_message(alice, bob.phone, "before");
  ASSERT_EQ(before.exit_code(), 0) << before.describe();
  ASSERT_EQ(receive_messages(bob, 1).size(), 1u);

  ASSERT_EQ(server.stop().code, 0);
  add_ghost_device(server, bob.phone);
  server.restart();

  CliResult refused = send_message(alice, bob.phone, "for Bob's eyes only");
  EXPECT_TRUE(alerted(refused, "ghost_device")) << refused.describe();
  EXPECT_TRUE(refused.of_type("sent").empty()) << refused.describe();
  EXPECT_NE(refused.err.find("never signed"), std::string::npos) << refused.describe();

  // Bob's own device sees it on its next connect, whatever the command.
  CliResult monitor = keys_verify(bob);
  EXPECT_TRUE(alerted(monitor, "ghost_device")) << monitor.describe();
  ASSERT_EQ(kt_alerts(monitor).size(), 1u) << monitor.describe();
  EXPECT_NE(kt_alerts(monitor)[0].value("message", "").find("device 2"), std::string::npos)
      << monitor.describe();
  CliResult receive = bob.cli.run({"receive", "--timeout", "1"});
  EXPECT_TRUE(alerted(receive, "ghost_device")) << receive.describe();
  // Nothing reached the ghost, and nothing new reached Bob either.
  EXPECT_TRUE(receive.of_type("message").empty()) << receive.describe();
  // Alice's own account is fine: her monitoring finds nothing.
  CliResult alice_keys = keys_verify(alice);
  EXPECT_EQ(alice_keys.exit_code(), 0) << alice_keys.describe();
  EXPECT_TRUE(kt_alerts(alice_keys).empty()) << alice_keys.describe();
}

TEST(CompromisedOperatorTest, AnotherIdentityKeyServedForBobIsRejected) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", kt_server_options());
  Account bob = register_account(tmp, server, "bob", test_phone(32));
  Account carol = register_account(tmp, server, "carol", test_phone(33));

  // The operator swaps the identity key it serves for Bob: a key it holds the secret of.
  ASSERT_EQ(server.stop().code, 0);
  edit_database(server_database(server),
                "UPDATE accounts SET identity_key = X'05" + std::string(64, '1') +
                    "' WHERE phone = '" + bob.phone + "';");
  server.restart();

  // Carol has never talked to Bob: nothing to compare with but the log.
  CliResult refused = send_message(carol, bob.phone, "hello Bob");
  EXPECT_TRUE(alerted(refused, "key_mismatch")) << refused.describe();
  EXPECT_TRUE(refused.of_type("sent").empty()) << refused.describe();
  CliResult number = carol.cli.run({"safety-number", bob.phone});
  EXPECT_TRUE(alerted(number, "key_mismatch")) << number.describe();
  EXPECT_TRUE(number.of_type("safety_number").empty())
      << "no safety number for a key the log does not show\n" << number.describe();
}

}  // namespace
}  // namespace bulwark::e2e
