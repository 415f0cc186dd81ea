// Secret files: 32-byte keys the server keeps outside its database (DESIGN.md: secrets never
// reach the database), owner-only, generated on first start and durable before first use.
#pragma once

#include <filesystem>

#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"

namespace bulwark::server {

inline constexpr std::size_t secret_file_bytes = 32;

// Reads the 32 bytes in `path`, creating the file from `rng` when it does not exist.
// Errc::storage when it cannot be read or written, Errc::invalid_length when it is not 32 bytes.
// Safe for several processes sharing the directory (a cluster's nodes): the file appears
// whole or not at all, and when two create it at once both read the one that won.
[[nodiscard]] Result<SecretBytes> load_or_create_secret_file(const std::filesystem::path& path,
                                                             Rng& rng);

// Reads the 32 bytes in an existing `path` (Errc::storage when it is missing or unreadable,
// Errc::invalid_length when it is not 32 bytes).
[[nodiscard]] Result<SecretBytes> read_secret_file(const std::filesystem::path& path);

// Creates `path` owner-only with `secret`, durable before use. Errc::storage if it exists.
[[nodiscard]] Result<void> write_secret_file(const std::filesystem::path& path,
                                             const SecretBytes& secret);

// Overwrites `path` with zeros, syncs it and deletes it: a key destroyed on purpose should not
// survive in the file's old blocks (as far as the filesystem overwrites in place). A file that
// is already gone counts as destroyed.
[[nodiscard]] Result<void> destroy_secret_file(const std::filesystem::path& path);

}  // namespace bulwark::server
