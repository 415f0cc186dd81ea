#include "server/code_sender.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "server/webhook_sender.h"

namespace bulwark::server {
namespace {

class LogSender final : public CodeSender {
 public:
  Result<void> send(std::string_view e164, std::string_view code) override {
    spdlog::info("verification code for {}: {}", e164, code);
    return {};
  }
  std::string describe() const override { return "printed on this console"; }
};

// Closes a POSIX descriptor on every path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  // Closes now, reporting the error a deferred write may surface only here.
  [[nodiscard]] bool close() noexcept {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

class FileSender final : public CodeSender {
 public:
  explicit FileSender(std::filesystem::path path) : path_(std::move(path)) {}

  // One write(2) per line on an O_APPEND descriptor: concurrent senders (threads or processes)
  // never interleave within a line, and a reader sees whole lines only.
  Result<void> send(std::string_view e164, std::string_view code) override {
    std::error_code ec;
    if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
    if (ec) return failure("cannot create its directory", ec.value());
    FileDescriptor file(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (file.get() < 0) return failure("cannot open", errno);
    const std::string line = code_json(e164, code) + "\n";
    std::size_t written = 0;
    while (written < line.size()) {
      const ssize_t n = ::write(file.get(), line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return failure("cannot write", errno);
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(file.get()) != 0) return failure("cannot sync", errno);
    if (!file.close()) return failure("cannot close", errno);
    return {};
  }
  std::string describe() const override { return "file " + path_.string(); }

 private:
  [[nodiscard]] tl::unexpected<Error> failure(std::string_view what, int error) const {
    return fail(Errc::storage, "code file " + path_.string() + ": " + std::string(what) + ": " +
                                   std::strerror(error));
  }

  std::filesystem::path path_;
};

}  // namespace

std::string code_json(std::string_view e164, std::string_view code) {
  // ordered_json keeps "phone" before "code"; invalid UTF-8 is replaced, not thrown.
  const nlohmann::ordered_json object{{"phone", e164}, {"code", code}};
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::unique_ptr<CodeSender>> make_code_sender(std::string_view setting) {
  if (setting == "log") return std::make_unique<LogSender>();
  if (setting.starts_with("file:")) {
    const std::string_view path = setting.substr(5);
    if (path.empty()) return fail(Errc::invalid_argument, "verification file: needs a path");
    return std::make_unique<FileSender>(std::filesystem::path(path));
  }
  if (setting.starts_with("webhook:")) {
    auto url = BULWARK_TRY(parse_webhook_url(setting.substr(8)));
    return std::make_unique<WebhookSender>(std::move(url));
  }
  return fail(Errc::invalid_argument, "verification must be log, file:PATH or webhook:URL");
}

}  // namespace bulwark::server
