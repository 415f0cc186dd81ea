// Message bodies never reach the disk in plaintext: not in the server's database (with its WAL
// and shared-memory files), not in the server's log at its most verbose level, and not in the
// clients' SQLCipher databases.
#include <gtest/gtest.h>

#include <vector>

#include "support/accounts.h"

namespace bulwark::e2e {
namespace {

namespace fs = std::filesystem;

// Each body is distinctive and long enough that no accidental match is possible.
std::vector<std::string> canary_bodies() {
  return {"canary-7f3a91-alpha: the eagle lands at midnight",
          "canary-7f3a91-bravo: 4111 1111 1111 1111 exp 12/29",
          "canary-7f3a91-charlie: correct horse battery staple",
          "canary-7f3a91-delta: reply from bob"};
}

// The files under `dir` (recursively) that contain `needle`.
std::vector<std::string> files_containing(const fs::path& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    if (read_file(entry.path()).find(needle) != std::string::npos)
      found.push_back(entry.path().string());
  }
  return found;
}

// The server database's files as they are now; the main file must exist (it is what we check).
std::vector<std::pair<std::string, std::string>> server_db_files(const ServerProcess& server) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* name : {"bulwark.db", "bulwark.db-wal", "bulwark.db-shm"}) {
    fs::path path = server.data_dir() / name;
    if (fs::exists(path)) files.emplace_back(name, read_file(path));
  }
  return files;
}

void expect_no_body_in_server_files(const ServerProcess& server, const std::string& when) {
  auto files = server_db_files(server);
  ASSERT_FALSE(files.empty()) << "no bulwark.db in " << server.data_dir();
  ASSERT_EQ(files[0].first, "bulwark.db");
  // Positive control: this is the server's SQLite database, read whole.
  ASSERT_EQ(files[0].second.rfind("SQLite format 3", 0), 0u) << "bulwark.db is not an SQLite file";
  std::string log = server.log_text();
  ASSERT_FALSE(log.empty());
  for (const std::string& body : canary_bodies()) {
    for (const auto& [name, bytes] : files) {
      EXPECT_EQ(bytes.find(body), std::string::npos)
          << when << ": " << name << " holds \"" << body << "\"";
    }
    EXPECT_EQ(log.find(body), std::string::npos)
        << when << ": the server log holds \"" << body << "\"";
  }
}

TEST(NoPlaintextAtRestTest, MessageBodiesAreNeverStoredOrLoggedInPlaintext) {
  TempDir tmp;
  ServerOptions options;
  options.log_level = "trace";
  ServerProcess server(tmp.path() / "srv", options);
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));
  const auto bodies = canary_bodies();

  for (std::size_t i = 0; i < 2; ++i) {
    CliResult sent = send_message(alice, bob.phone, bodies[i]);
    ASSERT_EQ(sent.exit_code(), 0) << sent.describe();
  }
  // Alice's last message goes through stdin, the other way a body enters the client.
  CliResult piped = alice.cli.run({"send", "--to", bob.phone}, RunOptions{bodies[2] + "\n"});
  ASSERT_EQ(piped.exit_code(), 0) << piped.describe();
  // Queued on the server, not yet delivered.
  expect_no_body_in_server_files(server, "while queued");

  auto at_bob = receive_messages(bob, 3);
  ASSERT_EQ(at_bob.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(at_bob[i]["body"], bodies[i]);
  CliResult reply = send_message(bob, alice.phone, bodies[3]);
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  auto at_alice = receive_messages(alice, 1);
  ASSERT_EQ(at_alice.size(), 1u);
  EXPECT_EQ(at_alice[0]["body"], bodies[3]);

  // After delivery and a clean stop (which checkpoints the WAL into the main file).
  ExitStatus stopped = server.stop();
  EXPECT_TRUE(stopped.exited && stopped.code == 0) << stopped.describe();
  expect_no_body_in_server_files(server, "after delivery and stop");

  // The clients hold the bodies (they were received), but only inside SQLCipher: no file of
  // either device has a body, or even SQLite's plaintext header, in the clear.
  for (const Account* account : {&alice, &bob}) {
    std::vector<std::string> databases;
    for (const auto& entry : fs::recursive_directory_iterator(account->cli.data_dir())) {
      if (entry.is_regular_file() && entry.path().filename() == "client.db") {
        databases.push_back(entry.path().string());
      }
    }
    ASSERT_EQ(databases.size(), 1u) << "expected one client.db under " << account->cli.data_dir();
    for (const std::string& body : bodies) {
      EXPECT_EQ(files_containing(account->cli.data_dir(), body), std::vector<std::string>{})
          << account->phone << "'s device stores \"" << body << "\" in plaintext";
    }
    EXPECT_EQ(files_containing(account->cli.data_dir(), "SQLite format 3"),
              std::vector<std::string>{})
        << account->phone << "'s device has an unencrypted SQLite file";
  }
}

}  // namespace
}  // namespace bulwark::e2e
