// The server's key-transparency keys: the Ed25519 key that signs checkpoints and the VRF key
// that turns account ids into search keys. Secrets, so they live in files of their own
// (DATA_DIR/kt/log.key and vrf.key, 32-byte seeds, owner-only), never in the database, and
// are generated on first start. Losing them means starting a new log: clients that pinned
// the old keys then refuse the new one, loudly, which is the point.
#pragma once

#include <filesystem>

#include "common/result.h"
#include "common/rng.h"
#include "crypto/ed25519.h"
#include "crypto/vrf.h"

namespace bulwark::server {

struct KtKeys {
  crypto::Ed25519SecretKey log_key;
  crypto::VrfSecretKey vrf_key;
};

// Reads the keys in `dir`, creating any missing one from `rng`. Errc::storage when a file
// cannot be read or written, Errc::invalid_length when one is not a 32-byte seed.
[[nodiscard]] Result<KtKeys> load_or_create_kt_keys(const std::filesystem::path& dir, Rng& rng);

}  // namespace bulwark::server
