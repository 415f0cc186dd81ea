// UnixLineClient: a client of a line-oriented UNIX stream socket (the bulwark daemon's
// JSON-RPC), with bounded reads. Failures throw std::runtime_error.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace bulwark::e2e {

class UnixLineClient {
 public:
  explicit UnixLineClient(const std::filesystem::path& socket_path);
  ~UnixLineClient();
  UnixLineClient(const UnixLineClient&) = delete;
  UnixLineClient& operator=(const UnixLineClient&) = delete;

  void write_line(std::string_view line);
  // The next line without its '\n'; throws on timeout or when the peer closes first.
  [[nodiscard]] std::string read_line(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

}  // namespace bulwark::e2e
