// TempDir: a fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in
// it on destruction. Paths stay short: UNIX socket paths must fit in sun_path (108 bytes).
// Set BULWARK_E2E_KEEP=1 to keep the directory for a post-mortem (its path is printed).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace bulwark::e2e {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  // path() / name, created as a directory (0700).
  [[nodiscard]] std::filesystem::path subdir(std::string_view name) const;

 private:
  std::filesystem::path path_;
};

// The whole file; empty when it does not exist. Throws std::runtime_error on a read error.
[[nodiscard]] std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, std::string_view content);

}  // namespace bulwark::e2e
