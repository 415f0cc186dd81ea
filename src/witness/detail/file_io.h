// Internal: the POSIX file handling of the witness (its state file and key file). Writes are
// durable when they return: data and the directory entry are fsynced. Errors name paths,
// never file contents.
#pragma once

#include <cstddef>
#include <filesystem>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::witness::detail {

// Reads a whole regular file of at most `max_bytes`. `require_private` refuses a file with
// any group or other permission bit. Errc::not_found when absent, Errc::storage otherwise.
[[nodiscard]] Result<SecretBytes> read_small_file(const std::filesystem::path& path,
                                                  std::size_t max_bytes, bool require_private);

// Creates `path` with mode 0600 holding `contents`; Errc::conflict if it exists (O_EXCL).
[[nodiscard]] Result<void> create_private_file(const std::filesystem::path& path,
                                               ByteView contents);

// Replaces `path` with `contents` (mode 0600) so that a crash leaves either the old file or
// the new one: write "<path>.tmp", fsync it, rename it over `path`, fsync the directory.
[[nodiscard]] Result<void> replace_file_atomically(const std::filesystem::path& path,
                                                   ByteView contents);

// Creates the directory (0700) when absent.
[[nodiscard]] Result<void> ensure_private_dir(const std::filesystem::path& dir);

}  // namespace bulwark::witness::detail
