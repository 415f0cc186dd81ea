#include "server/kt_keys.h"

#include <sys/stat.h>

#include "server/secret_file.h"

namespace bulwark::server {

Result<KtKeys> load_or_create_kt_keys(const std::filesystem::path& dir, Rng& rng) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(Errc::storage, "cannot create " + dir.string());
  ::chmod(dir.c_str(), 0700);
  const SecretBytes log_seed = BULWARK_TRY(load_or_create_secret_file(dir / "log.key", rng));
  const SecretBytes vrf_seed = BULWARK_TRY(load_or_create_secret_file(dir / "vrf.key", rng));
  auto log_key = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(log_seed.view()));
  auto vrf_key = BULWARK_TRY(crypto::VrfSecretKey::from_seed(vrf_seed.view()));
  return KtKeys{std::move(log_key), std::move(vrf_key)};
}

}  // namespace bulwark::server
