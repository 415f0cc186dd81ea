// Channel helpers for the e2e tests: `bulwark channel ...` for an account, and what it printed.
// Setup steps (create, post, subscribe expected to work) throw std::runtime_error with the
// command's output when they fail; the behaviour under test is asserted in the tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/accounts.h"

namespace bulwark::e2e {

// `bulwark channel ARGS...`.
[[nodiscard]] CliResult channel(const Account& account, const std::vector<std::string>& args);
// `channel create HANDLE [extra...]`, expected to succeed: its "channel_created" line.
nlohmann::json create_channel(const Account& owner, const std::string& handle,
                              const std::vector<std::string>& extra = {});
// `channel post HANDLE -m TEXT`, expected to succeed: the seq it got.
std::uint64_t post_to(const Account& account, const std::string& handle, const std::string& text);
// `channel read HANDLE ARGS...` (whatever its exit code): the "channel_entry" lines.
[[nodiscard]] std::vector<nlohmann::json> entries_of(const CliResult& read);
// The entry with `seq` among `entries` (throws when absent).
[[nodiscard]] nlohmann::json entry(const std::vector<nlohmann::json>& entries, std::uint64_t seq);
// The single "error" line of a failed command ("" message when there is none).
[[nodiscard]] std::string error_message(const CliResult& result);

// The server's SQLite database (edited with support/db_edit.h while the server is stopped).
[[nodiscard]] std::filesystem::path server_database(const ServerProcess& server);
// What a compromised operator can do: flips one letter of `text` inside the stored entry of
// post `seq` (the server must be stopped; support/db_edit.h).
void rewrite_post(const ServerProcess& server, std::uint64_t seq, const std::string& text);
// Rows in the server's channel_entries table; the server must be stopped (it locks its
// database while it runs).
[[nodiscard]] int stored_channel_entries(const ServerProcess& server);

}  // namespace bulwark::e2e
