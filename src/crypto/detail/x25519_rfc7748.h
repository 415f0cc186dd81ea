// Test-only: RFC 7748's decodeUCoordinate, which accepts any 32 bytes (top bit masked, u
// reduced mod p). Its own test vectors need it; product code must not use it, because it gives
// one key several encodings that compare unequal (a key-change check could be fooled).
// Other modules cannot include crypto/detail/ (tests/lint/check_source_rules.sh).
#pragma once

#include "crypto/x25519.h"

namespace bulwark::crypto::detail {

[[nodiscard]] Result<X25519PublicKey> x25519_public_key_rfc7748(ByteView bytes);

}  // namespace bulwark::crypto::detail
