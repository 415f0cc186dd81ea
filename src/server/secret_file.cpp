#include "server/secret_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <string>

namespace bulwark::server {
namespace {

// Creates `path` owner-only with `seed`, durable before it is used: O_EXCL so that two
// starting servers never both write one.
Result<void> write_seed(const std::filesystem::path& path, const SecretBytes& seed) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::storage, "cannot create " + path.string());
  const auto bytes = seed.view();
  const bool written =
      ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return fail(Errc::storage, "cannot write " + path.string());
  return {};
}

Result<SecretBytes> read_seed(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::storage, "cannot read " + path.string());
  std::array<char, secret_file_bytes + 1> buffer{};
  in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (in.gcount() != static_cast<std::streamsize>(secret_file_bytes)) {
    return fail(Errc::invalid_length, path.string() + " is not a 32-byte key");
  }
  SecretBytes seed(secret_file_bytes);
  std::copy_n(reinterpret_cast<const std::byte*>(buffer.data()), secret_file_bytes,
              seed.writable().begin());
  std::fill(buffer.begin(), buffer.end(), '\0');
  return seed;
}

}  // namespace

Result<SecretBytes> load_or_create_secret_file(const std::filesystem::path& path, Rng& rng) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    // Written whole under a name of its own, then linked into place: link(2) fails with EEXIST
    // rather than replace a file another process linked first, and a reader never sees it
    // half written.
    SecretBytes seed(secret_file_bytes);
    rng.fill(seed.writable());
    std::array<std::byte, 8> tag{};
    rng.fill(tag);
    std::string suffix = ".new-";
    for (const std::byte b : tag) suffix += "0123456789abcdef"[std::to_integer<int>(b) & 0xf];
    std::filesystem::path temporary = path;
    temporary += suffix;
    BULWARK_TRY(write_seed(temporary, seed));
    const int linked = ::link(temporary.c_str(), path.c_str());
    const int link_error = errno;
    std::filesystem::remove(temporary, error);
    if (linked != 0 && link_error != EEXIST) {
      return fail(Errc::storage, "cannot create " + path.string());
    }
  }
  return read_seed(path);
}

Result<SecretBytes> read_secret_file(const std::filesystem::path& path) { return read_seed(path); }

Result<void> write_secret_file(const std::filesystem::path& path, const SecretBytes& secret) {
  return write_seed(path, secret);
}

Result<void> destroy_secret_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return {};  // destroyed already
  if (fd < 0) return fail(Errc::storage, "cannot open " + path.string() + " to destroy it");
  const std::array<char, secret_file_bytes> zeros{};
  const bool wiped =
      ::write(fd, zeros.data(), zeros.size()) == static_cast<ssize_t>(zeros.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  std::error_code error;
  std::filesystem::remove(path, error);
  if (!wiped || error) return fail(Errc::storage, "cannot destroy " + path.string());
  return {};
}

}  // namespace bulwark::server
