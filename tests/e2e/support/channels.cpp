#include "support/channels.h"

#include <stdexcept>

#include "support/db_edit.h"

namespace bulwark::e2e {

CliResult channel(const Account& account, const std::vector<std::string>& args) {
  std::vector<std::string> full{"channel"};
  full.insert(full.end(), args.begin(), args.end());
  return account.cli.run(full);
}

nlohmann::json create_channel(const Account& owner, const std::string& handle,
                              const std::vector<std::string>& extra) {
  std::vector<std::string> args{"create", handle};
  args.insert(args.end(), extra.begin(), extra.end());
  CliResult created = channel(owner, args);
  require(created.exit_code() == 0, "channel create " + handle + " failed", created.describe());
  auto lines = created.of_type("channel_created");
  require(lines.size() == 1, "channel create printed no channel_created", created.describe());
  return lines[0];
}

std::uint64_t post_to(const Account& account, const std::string& handle, const std::string& text) {
  CliResult posted = channel(account, {"post", handle, "-m", text});
  require(posted.exit_code() == 0, "channel post to " + handle + " failed", posted.describe());
  auto lines = posted.of_type("channel_appended");
  require(lines.size() == 1, "channel post printed no channel_appended", posted.describe());
  return lines[0].value("seq", std::uint64_t{0});
}

std::vector<nlohmann::json> entries_of(const CliResult& read) { return read.of_type("channel_entry"); }

nlohmann::json entry(const std::vector<nlohmann::json>& entries, std::uint64_t seq) {
  for (const auto& line : entries)
    if (line.value("seq", std::uint64_t{0}) == seq) return line;
  throw std::runtime_error("no entry #" + std::to_string(seq) + " was printed");
}

std::string error_message(const CliResult& result) {
  auto errors = result.of_type("error");
  return errors.size() == 1 ? errors[0].value("message", "") : "";
}

std::filesystem::path server_database(const ServerProcess& server) {
  return server.data_dir() / "bulwark.db";
}

namespace {

std::string hex_of(const std::string& text) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0x0f]);
  }
  return out;
}

}  // namespace

void rewrite_post(const ServerProcess& server, std::uint64_t seq, const std::string& text) {
  // The store keys an entry by its channel's log_number << 32 | seq (store/sql/channels.cpp);
  // the test servers hold a single channel where this is used.
  const std::string where = " WHERE (key & 4294967295) = " + std::to_string(seq) + " AND kind = 2";
  std::string blob = query_database(server_database(server), "SELECT hex(entry) FROM channel_log" + where);
  const std::size_t at = blob.find(hex_of(text));
  require(at != std::string::npos && at % 2 == 0, "the post's text is not in its stored entry", blob);
  blob[at + 1] = blob[at + 1] == '1' ? '2' : '1';  // the first letter's low nibble
  edit_database(server_database(server), "UPDATE channel_log SET entry = X'" + blob + "'" + where);
}

int stored_channel_entries(const ServerProcess& server) {
  return std::stoi(query_database(server_database(server), "SELECT count(*) FROM channel_log"));
}

}  // namespace bulwark::e2e
