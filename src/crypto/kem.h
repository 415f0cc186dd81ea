// Key encapsulation: ML-KEM-768 and ML-KEM-1024 (FIPS 203, final), and Kyber1024 round 3,
// the KEM libsignal's PQXDH uses (key type byte 0x08).
//
// Written by hand (no Debian package provides ML-KEM) and constant-time: no branch and no
// memory index depends on a secret (checked under valgrind, tests/crypto/ct/).
//
// Formats are FIPS 203's: the encapsulation key is ByteEncode12(t) || rho; the decapsulation
// key is ByteEncode12(s) || ek || H(ek) || z. Kyber1024 round 3 uses the same byte layouts and
// differs in three places: KeyGen derives (rho, sigma) = G(d) without the byte k; Encaps hashes
// its random message first (m = H(m)); the shared secret is SHAKE256(K || SHA3-256(c), 32), and
// implicit rejection gives SHAKE256(z || SHA3-256(c), 32).
//
// Input checks (FIPS 203 §7.2, §7.3): encapsulation keys of the wrong length or with a
// coefficient >= q are Errc::invalid_encoding/invalid_length; decapsulation keys of the wrong
// length or whose embedded H(ek) does not match are rejected; ciphertexts of the wrong length
// are Errc::invalid_length. A well-formed but forged ciphertext is not an error: it decapsulates
// to the implicit-rejection key, as the standard requires.
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto {

struct KemKeyPair {
  Bytes public_key;
  SecretBytes secret_key;
};

struct KemEncapsulation {
  Bytes ciphertext;
  SecretBytes shared_secret;
};

inline constexpr std::size_t kem_shared_secret_bytes = 32;
inline constexpr std::size_t kem_seed_bytes = 64;     // d || z
inline constexpr std::size_t kem_message_bytes = 32;  // m

// The same six operations for each parameter set, each in its own namespace:
//   keypair(rng)                        a fresh key pair
//   keypair_from_seed(d || z)           deterministic KeyGen (ML-KEM.KeyGen_internal)
//   check_public_key(ek)                the encapsulation-key check alone
//   encapsulate(ek, rng)                a fresh shared secret and its ciphertext
//   decapsulate(dk, c)                  the shared secret, or the implicit-rejection key
// Deterministic encapsulation (ML-KEM.Encaps_internal, which FIPS 203 §6 keeps away from
// applications) is test-only: crypto/detail/kem_internal.h.

// ML-KEM-768 (FIPS 203, security category 3).
namespace mlkem768 {
inline constexpr std::size_t public_key_bytes = 1184;
inline constexpr std::size_t secret_key_bytes = 2400;
inline constexpr std::size_t ciphertext_bytes = 1088;
[[nodiscard]] KemKeyPair keypair(Rng& rng);
[[nodiscard]] Result<KemKeyPair> keypair_from_seed(ByteView seed);
[[nodiscard]] Result<void> check_public_key(ByteView public_key);
[[nodiscard]] Result<KemEncapsulation> encapsulate(ByteView public_key, Rng& rng);
[[nodiscard]] Result<SecretBytes> decapsulate(const SecretBytes& secret_key, ByteView ciphertext);
}  // namespace mlkem768

// ML-KEM-1024 (FIPS 203, security category 5).
namespace mlkem1024 {
inline constexpr std::size_t public_key_bytes = 1568;
inline constexpr std::size_t secret_key_bytes = 3168;
inline constexpr std::size_t ciphertext_bytes = 1568;
[[nodiscard]] KemKeyPair keypair(Rng& rng);
[[nodiscard]] Result<KemKeyPair> keypair_from_seed(ByteView seed);
[[nodiscard]] Result<void> check_public_key(ByteView public_key);
[[nodiscard]] Result<KemEncapsulation> encapsulate(ByteView public_key, Rng& rng);
[[nodiscard]] Result<SecretBytes> decapsulate(const SecretBytes& secret_key, ByteView ciphertext);
}  // namespace mlkem1024

// Kyber1024 round 3 (libsignal PQXDH).
namespace kyber1024 {
inline constexpr std::size_t public_key_bytes = 1568;
inline constexpr std::size_t secret_key_bytes = 3168;
inline constexpr std::size_t ciphertext_bytes = 1568;
[[nodiscard]] KemKeyPair keypair(Rng& rng);
[[nodiscard]] Result<KemKeyPair> keypair_from_seed(ByteView seed);
[[nodiscard]] Result<void> check_public_key(ByteView public_key);
[[nodiscard]] Result<KemEncapsulation> encapsulate(ByteView public_key, Rng& rng);
[[nodiscard]] Result<SecretBytes> decapsulate(const SecretBytes& secret_key, ByteView ciphertext);
// libsignal's serialisation prefixes Kyber1024 keys and ciphertexts with this type byte.
inline constexpr std::byte key_type{0x08};
}  // namespace kyber1024

}  // namespace bulwark::crypto
