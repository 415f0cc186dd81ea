#include "server/kt_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <iterator>

#include "common/secret_bytes.h"

namespace bulwark::server {
namespace {

constexpr std::size_t seed_bytes = 32;

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
  std::array<char, seed_bytes + 1> buffer{};
  in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (in.gcount() != static_cast<std::streamsize>(seed_bytes)) {
    return fail(Errc::invalid_length, path.string() + " is not a 32-byte key");
  }
  SecretBytes seed(seed_bytes);
  std::copy_n(reinterpret_cast<const std::byte*>(buffer.data()), seed_bytes, seed.writable().begin());
  std::fill(buffer.begin(), buffer.end(), '\0');
  return seed;
}

Result<SecretBytes> load_or_create_seed(const std::filesystem::path& path, Rng& rng) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    SecretBytes seed(seed_bytes);
    rng.fill(seed.writable());
    BULWARK_TRY(write_seed(path, seed));
  }
  return read_seed(path);
}

}  // namespace

Result<KtKeys> load_or_create_kt_keys(const std::filesystem::path& dir, Rng& rng) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(Errc::storage, "cannot create " + dir.string());
  ::chmod(dir.c_str(), 0700);
  const SecretBytes log_seed = BULWARK_TRY(load_or_create_seed(dir / "log.key", rng));
  const SecretBytes vrf_seed = BULWARK_TRY(load_or_create_seed(dir / "vrf.key", rng));
  auto log_key = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(log_seed.view()));
  auto vrf_key = BULWARK_TRY(crypto::VrfSecretKey::from_seed(vrf_seed.view()));
  return KtKeys{std::move(log_key), std::move(vrf_key)};
}

}  // namespace bulwark::server
