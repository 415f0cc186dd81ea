// XEdDSA: Ed25519-compatible signatures made with an X25519 key pair (Signal's XEdDSA
// specification, in libsignal's variant).
//
// libsignal does not negate the scalar to force the Edwards sign bit to zero, as the XEdDSA
// paper does; it signs with a = k mod L and stores the sign bit of A = aB in bit 7 of the
// signature's last byte (free, since S < 2^253). Verification converts the Montgomery key
// u to Edwards y = (u - 1) / (u + 1), takes the sign bit from the signature, clears it, and
// verifies an ordinary Ed25519 signature. Signatures are randomised with 64 bytes from Rng.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"

namespace bulwark::crypto {

inline constexpr std::size_t xeddsa_signature_bytes = 64;
using XEdDsaSignature = std::array<std::byte, xeddsa_signature_bytes>;

[[nodiscard]] XEdDsaSignature xeddsa_sign(const X25519SecretKey& secret, ByteView message,
                                          Rng& rng);

// Errc::auth_failed unless `signature` is a valid XEdDSA signature of `message` by `key`.
[[nodiscard]] Result<void> xeddsa_verify(const X25519PublicKey& key, ByteView message,
                                         ByteView signature);

// The Ed25519 public key that corresponds to Montgomery key `key` with Edwards sign bit
// `sign_bit` (0 or 1): the key a standard Ed25519 verifier checks an XEdDSA signature with,
// after bit 7 of the signature's last byte is cleared.
[[nodiscard]] Result<Ed25519PublicKey> xeddsa_edwards_public_key(const X25519PublicKey& key,
                                                                 std::uint8_t sign_bit);

}  // namespace bulwark::crypto
