// A message accepted by the server survives a clean restart (SIGTERM, then a new process on the
// same data directory and port) and is delivered exactly once.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

TEST(ServerRestartTest, ServerRestartBetweenSendAndReceiveDeliversExactlyOnce) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));

  CliResult sent = send_message(alice, bob.phone, "survives the restart");
  ASSERT_EQ(sent.exit_code(), 0) << sent.describe();

  const std::uint16_t port = server.port();
  ExitStatus stopped = server.stop();
  ASSERT_TRUE(stopped.exited && stopped.code == 0) << stopped.describe() << "\n"
                                                   << server.log_text();
  server.restart();
  ASSERT_EQ(server.port(), port);

  // The clients use the server URL saved at registration: same port, same certificate.
  auto first = receive_messages(bob, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0]["body"], "survives the restart");
  EXPECT_EQ(first[0]["from"], alice.phone);
  EXPECT_TRUE(receive_messages(bob, 0).empty());

  // And the restarted server keeps serving both directions.
  CliResult reply = send_message(bob, alice.phone, "after the restart");
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  auto at_alice = receive_messages(alice, 1);
  ASSERT_EQ(at_alice.size(), 1u);
  EXPECT_EQ(at_alice[0]["body"], "after the restart");

  ExitStatus final_stop = server.stop();
  EXPECT_TRUE(final_stop.exited && final_stop.code == 0) << final_stop.describe();
}

// Message franking's stamping keys (docs/FRANKING.md) are files beside the database, made on
// first start and kept across restarts; none of their bytes is in the database.
TEST(ServerRestartTest, FrankingKeysLiveOutsideTheDatabaseAndSurviveARestart) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  ASSERT_EQ(server.stop().code, 0) << server.log_text();
  const auto dir = server.data_dir() / "franking";
  const std::string signing = read_file(dir / "signing.key");
  ASSERT_EQ(signing.size(), 32u);
  std::vector<std::string> epoch_keys;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("epoch-")) epoch_keys.push_back(read_file(entry.path()));
  }
  ASSERT_EQ(epoch_keys.size(), 1u);
  EXPECT_EQ(epoch_keys[0].size(), 32u);
  EXPECT_NE(server.log_text().find("message franking"), std::string::npos);

  server.restart();
  ASSERT_EQ(server.stop().code, 0) << server.log_text();
  EXPECT_EQ(read_file(dir / "signing.key"), signing);
  const std::string database = read_file(server.data_dir() / "bulwark.db");
  for (const std::string& secret : {signing, epoch_keys[0]})
    EXPECT_EQ(database.find(secret), std::string::npos);
}

}  // namespace
}  // namespace bulwark::e2e
