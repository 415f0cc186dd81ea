// Password hashing for keys derived from passphrases: Argon2id (libsodium crypto_pwhash) with
// its "moderate" limits (256 MiB, 3 passes), used by the client to open its local database.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t pwhash_salt_bytes = 16;

enum class PwhashStrength {
  moderate,     // production: 256 MiB, 3 passes
  interactive,  // tests: 64 MiB, 2 passes
};

// Errc::invalid_length for a wrong salt size; Errc::internal if the memory cannot be had.
[[nodiscard]] Result<SecretBytes> pwhash_argon2id(std::string_view passphrase, ByteView salt,
                                                  std::size_t out_bytes,
                                                  PwhashStrength strength = PwhashStrength::moderate);

}  // namespace bulwark::crypto
