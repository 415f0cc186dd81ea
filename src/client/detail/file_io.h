// Internal: the POSIX file handling of the client store (key and salt files, the directory
// lock, the database file's mode). Errors name paths and modes, never file contents.
#pragma once

#include <filesystem>
#include <string>
#include <utility>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::client::detail {

// Owns a file descriptor; closing it releases any flock held through it.
class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// "<what> <path>: <strerror(errno)>" as Errc::storage.
[[nodiscard]] Error io_error(std::string_view what, const std::filesystem::path& path);

// Creates `path` with mode 0600 and writes `contents`, flushed to disk; Errc::conflict if it
// already exists (O_EXCL: two processes racing cannot both create it).
[[nodiscard]] Result<void> create_private_file(const std::filesystem::path& path,
                                               ByteView contents);
// Reads a whole regular file of at most `max_bytes` into a SecretBytes; `require_private`
// refuses a file with any group or other permission bit. Errc::not_found when absent.
[[nodiscard]] Result<SecretBytes> read_small_file(const std::filesystem::path& path,
                                                  std::size_t max_bytes, bool require_private);

// Creates the data directory (0700) when absent.
[[nodiscard]] Result<void> ensure_private_dir(const std::filesystem::path& dir);
// Creates an empty `path` with 0600 when absent, and sets 0600 on an existing one, so that
// SQLite (which gives its journal the database's mode) never makes a readable file.
[[nodiscard]] Result<void> ensure_private_file(const std::filesystem::path& path);

// An exclusive advisory lock (flock) on a lock file, held while this object lives.
class DirLock {
 public:
  // Errc::conflict "another bulwark process is using DIR" when another holder has it.
  [[nodiscard]] static Result<DirLock> acquire(const std::filesystem::path& dir);

 private:
  explicit DirLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace bulwark::client::detail
