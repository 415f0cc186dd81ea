// Edits a stopped server's SQLite database directly, bypassing the API: what a compromised
// operator (or whoever holds the disk) can do. Throws std::runtime_error on any SQL error.
#pragma once

#include <filesystem>
#include <string>

namespace bulwark::e2e {

void edit_database(const std::filesystem::path& db_file, const std::string& sql);
// The first column of the first row of `sql`, as text ("" when there is no row).
[[nodiscard]] std::string query_database(const std::filesystem::path& db_file,
                                         const std::string& sql);

}  // namespace bulwark::e2e
