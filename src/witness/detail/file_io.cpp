#include "witness/detail/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace bulwark::witness::detail {
namespace {

class UniqueFd {
 public:
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  // Closes now, reporting the error close(2) may give for delayed writes.
  bool close() noexcept { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_;
};

Error io_error(std::string_view what, const std::filesystem::path& path) {
  return Error{Errc::storage, std::string(what) + " " + path.string() + ": " + std::strerror(errno)};
}

Result<void> write_all(int fd, ByteView contents, const std::filesystem::path& path) {
  while (!contents.empty()) {
    const ssize_t written = ::write(fd, contents.data(), contents.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return tl::unexpected(io_error("cannot write", path));
    contents = contents.subspan(static_cast<std::size_t>(written));
  }
  if (::fsync(fd) != 0) return tl::unexpected(io_error("cannot fsync", path));
  return {};
}

Result<void> sync_directory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) return tl::unexpected(io_error("cannot fsync", dir));
  return {};
}

std::filesystem::path parent_of(const std::filesystem::path& path) {
  const auto parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

}  // namespace

Result<SecretBytes> read_small_file(const std::filesystem::path& path, std::size_t max_bytes,
                                    bool require_private) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) {
    if (errno == ENOENT) return fail(Errc::not_found, path.string() + " does not exist");
    return tl::unexpected(io_error("cannot open", path));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return tl::unexpected(io_error("cannot stat", path));
  if (!S_ISREG(info.st_mode)) return fail(Errc::storage, path.string() + " is not a regular file");
  if (require_private && (info.st_mode & 077) != 0)
    return fail(Errc::storage, path.string() + " may be read by others: chmod 600 it");
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes)
    return fail(Errc::storage, path.string() + " is larger than " + std::to_string(max_bytes) +
                                   " bytes");
  SecretBytes contents(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t got = ::read(fd.get(), contents.writable().data() + done, contents.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return tl::unexpected(io_error("cannot read", path));
    if (got == 0) return fail(Errc::storage, path.string() + " shrank while being read");
    done += static_cast<std::size_t>(got);
  }
  return contents;
}

Result<void> create_private_file(const std::filesystem::path& path, ByteView contents) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) {
    if (errno == EEXIST) return fail(Errc::conflict, path.string() + " already exists");
    return tl::unexpected(io_error("cannot create", path));
  }
  BULWARK_TRY(write_all(fd.get(), contents, path));
  if (!fd.close()) return tl::unexpected(io_error("cannot close", path));
  return sync_directory(parent_of(path));
}

Result<void> replace_file_atomically(const std::filesystem::path& path, ByteView contents) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  UniqueFd fd(
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) return tl::unexpected(io_error("cannot create", temporary));
  BULWARK_TRY(write_all(fd.get(), contents, temporary));
  if (!fd.close()) return tl::unexpected(io_error("cannot close", temporary));
  if (::rename(temporary.c_str(), path.c_str()) != 0)
    return tl::unexpected(io_error("cannot rename over", path));
  return sync_directory(parent_of(path));
}

Result<void> ensure_private_dir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return tl::unexpected(io_error("cannot create directory", dir));
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    return fail(Errc::storage, dir.string() + " is not a directory");
  return {};
}

}  // namespace bulwark::witness::detail
