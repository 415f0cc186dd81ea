#include "witness/key_file.h"

#include "crypto/random.h"
#include "witness/detail/file_io.h"

namespace bulwark::witness {

Result<WitnessKey> load_or_create_witness_key(const std::filesystem::path& path) {
  auto seed = detail::read_small_file(path, crypto::ed25519_seed_bytes, true);
  if (seed) {
    if (seed->size() != crypto::ed25519_seed_bytes)
      return fail(Errc::invalid_length, path.string() + ": a witness key file holds 32 bytes");
    auto key = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(seed->view()));
    return WitnessKey{std::move(key), false};
  }
  if (seed.error().code != Errc::not_found) return tl::unexpected(seed.error());
  SecretBytes fresh(crypto::ed25519_seed_bytes);
  crypto::random_bytes(fresh.writable());
  BULWARK_TRY(detail::create_private_file(path, fresh.view()));
  auto key = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(fresh.view()));
  return WitnessKey{std::move(key), true};
}

}  // namespace bulwark::witness
