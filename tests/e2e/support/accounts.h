// Accounts for e2e tests: one device directory per account under the test's TempDir, registered
// through the real CLI with the code read from the server's file sender. Setup steps throw
// std::runtime_error with the command's full output when they fail; GoogleTest reports that as
// the test's failure. The behaviour under test is asserted in the tests themselves.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace bulwark::e2e {

// A valid test number: +1 201 555 01NN (NN = 23..99).
[[nodiscard]] std::string test_phone(int nn);

struct Account {
  std::string phone;
  Cli cli;
};

// A device directory `name` under `tmp` with no account yet.
[[nodiscard]] Account new_device(const TempDir& tmp, const std::string& name,
                                 const std::string& phone);
// `register PHONE` (with --server and --ca-file) and `verify CODE`, both expected to succeed.
void register_device(Account& account, ServerProcess& server, bool discoverable);
[[nodiscard]] Account register_account(const TempDir& tmp, ServerProcess& server,
                                       const std::string& name, const std::string& phone,
                                       bool discoverable = true);

// `bulwark send --to PEER -m BODY`.
[[nodiscard]] CliResult send_message(const Account& from, const std::string& to,
                                     const std::string& body);
// `bulwark receive`, which must exit 0 and print only messages; returns them in order.
// With `expect` = N > 0: `receive --max-messages N --timeout 10`, which returns as soon as N
// arrived (and returns fewer after 10 quiet seconds), so a loaded machine cannot make it miss
// a message. With 0: `receive --timeout 1`, the check that nothing (more) is waiting.
[[nodiscard]] std::vector<nlohmann::json> receive_messages(const Account& account,
                                                           std::size_t expect);

// Throws std::runtime_error(what + details) unless `condition`.
void require(bool condition, const std::string& what, const std::string& details = "");

}  // namespace bulwark::e2e
