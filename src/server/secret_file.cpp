#include "server/secret_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <array>
#include <fstream>

namespace bulwark::server {
namespace {

// Creates `path` owner-only with `seed`, durable before it is used: O_EXCL so that two
// starting servers never both write one.
Result<void> write_seed(const std::filesystem::path& path, const SecretBytes& seed) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::storage, "cannot create " + path.string());
  const auto bytes = seed.view();
  const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
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
    SecretBytes seed(secret_file_bytes);
    rng.fill(seed.writable());
    BULWARK_TRY(write_seed(path, seed));
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
  const bool wiped = ::write(fd, zeros.data(), zeros.size()) == static_cast<ssize_t>(zeros.size()) &&
                     ::fsync(fd) == 0;
  ::close(fd);
  std::error_code error;
  std::filesystem::remove(path, error);
  if (!wiped || error) return fail(Errc::storage, "cannot destroy " + path.string());
  return {};
}

}  // namespace bulwark::server
