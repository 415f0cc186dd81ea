#include "client/detail/file_io.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bulwark::client::detail {
namespace {

constexpr mode_t private_mode = 0600;

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Result<void> write_all(int fd, ByteView bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return tl::unexpected(io_error("cannot write", path));
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
  return {};
}

Result<std::size_t> read_all(int fd, MutableByteView out, const std::filesystem::path& path) {
  std::size_t total = 0;
  while (total < out.size()) {
    const ssize_t got = ::read(fd, out.data() + total, out.size() - total);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return tl::unexpected(io_error("cannot read", path));
    if (got == 0) break;
    total += static_cast<std::size_t>(got);
  }
  return total;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Error io_error(std::string_view what, const std::filesystem::path& path) {
  const int saved = errno;
  return Error{Errc::storage,
               std::string(what) + " " + path.string() + ": " + std::strerror(saved)};
}

Result<void> create_private_file(const std::filesystem::path& path, ByteView contents) {
  UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, private_mode));
  if (!fd.valid()) {
    if (errno == EEXIST) return fail(Errc::conflict, path.string() + " already exists");
    return tl::unexpected(io_error("cannot create", path));
  }
  // The umask can only narrow 0600, but a chmod makes the mode not depend on it at all.
  if (::fchmod(fd.get(), private_mode) != 0) return tl::unexpected(io_error("cannot chmod", path));
  BULWARK_TRY(write_all(fd.get(), contents, path));
  if (::fsync(fd.get()) != 0) return tl::unexpected(io_error("cannot sync", path));
  return {};
}

Result<SecretBytes> read_small_file(const std::filesystem::path& path, std::size_t max_bytes,
                                    bool require_private) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) {
    if (errno == ENOENT) return fail(Errc::not_found, "no file at " + path.string());
    return tl::unexpected(io_error("cannot open", path));
  }
  struct stat info {};
  // fstat on the opened descriptor: the checked file is the file read.
  if (::fstat(fd.get(), &info) != 0) return tl::unexpected(io_error("cannot stat", path));
  if (!S_ISREG(info.st_mode))
    return fail(Errc::invalid_argument, path.string() + " is not a regular file");
  if (require_private && (info.st_mode & 077) != 0)
    return fail(Errc::invalid_argument, path.string() + " has mode " + octal_mode(info.st_mode) +
                                            ": group and others must have no access (chmod 600 " +
                                            path.string() + ")");
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes)
    return fail(Errc::invalid_length,
                path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  SecretBytes buffer(static_cast<std::size_t>(info.st_size));
  const std::size_t got = BULWARK_TRY(read_all(fd.get(), buffer.writable(), path));
  if (got != buffer.size()) return fail(Errc::storage, path.string() + " changed while read");
  return buffer;
}

Result<void> ensure_private_dir(const std::filesystem::path& dir) {
  // Parents get the default mode (like mkdir -p); only the data directory itself is private.
  // A failure here shows up as mkdir's error below.
  std::error_code ignored;
  if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ignored);
  if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) return tl::unexpected(io_error("cannot stat", dir));
    if (!S_ISDIR(info.st_mode))
      return fail(Errc::invalid_argument, dir.string() + " is not a directory");
    return {};
  }
  return tl::unexpected(io_error("cannot create directory", dir));
}

Result<void> ensure_private_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, private_mode));
  if (!fd.valid()) return tl::unexpected(io_error("cannot open", path));
  if (::fchmod(fd.get(), private_mode) != 0) return tl::unexpected(io_error("cannot chmod", path));
  return {};
}

Result<DirLock> DirLock::acquire(const std::filesystem::path& dir) {
  const auto path = dir / "client.lock";
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, private_mode));
  if (!fd.valid()) return tl::unexpected(io_error("cannot open lock file", path));
  // flock locks belong to the open file description, so a second open() in this same process
  // conflicts too, as another process would.
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK)
      return fail(Errc::conflict, "another bulwark process is using " + dir.string());
    return tl::unexpected(io_error("cannot lock", path));
  }
  return DirLock(std::move(fd));
}

}  // namespace bulwark::client::detail
