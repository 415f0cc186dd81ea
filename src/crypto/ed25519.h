// Ed25519 signatures (RFC 8032, pure Ed25519), on libsodium.
//
// Verification is strict: a non-canonical S, a small-order R or public key, or a public key
// that is not a canonical point encoding fails, so no signature is malleable.
#pragma once

#include <array>
#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t ed25519_public_key_bytes = 32;
inline constexpr std::size_t ed25519_seed_bytes = 32;
inline constexpr std::size_t ed25519_signature_bytes = 64;

using Ed25519Signature = std::array<std::byte, ed25519_signature_bytes>;

class Ed25519SecretKey;

class Ed25519PublicKey {
 public:
  // 32 bytes that decode to a point of the prime-order subgroup, canonically encoded.
  [[nodiscard]] static Result<Ed25519PublicKey> from_bytes(ByteView bytes);

  [[nodiscard]] ByteView bytes() const noexcept { return view_of(bytes_); }
  friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;

 private:
  friend class Ed25519SecretKey;
  explicit Ed25519PublicKey(const std::array<std::byte, ed25519_public_key_bytes>& bytes)
      : bytes_(bytes) {}
  std::array<std::byte, ed25519_public_key_bytes> bytes_;
};

class Ed25519SecretKey {
 public:
  // The 32-byte RFC 8032 private key (seed).
  [[nodiscard]] static Result<Ed25519SecretKey> from_seed(ByteView seed);

  [[nodiscard]] const SecretBytes& seed() const noexcept { return seed_; }
  [[nodiscard]] Ed25519PublicKey public_key() const;
  // An independent copy. It copies the expanded key rather than re-deriving it from the seed
  // (a base-point multiplication): group states copy their signer on every transition.
  [[nodiscard]] Ed25519SecretKey clone() const;

 private:
  Ed25519SecretKey(SecretBytes seed, SecretBytes expanded)
      : seed_(std::move(seed)), expanded_(std::move(expanded)) {}
  friend Ed25519Signature ed25519_sign(const Ed25519SecretKey&, ByteView) noexcept;

  SecretBytes seed_;
  SecretBytes expanded_;  // libsodium's 64-byte form: seed || public key
};

struct Ed25519KeyPair {
  Ed25519SecretKey secret_key;
  Ed25519PublicKey public_key;
};

[[nodiscard]] Ed25519KeyPair ed25519_keypair(Rng& rng);

// Deterministic RFC 8032 signature over `message`.
[[nodiscard]] Ed25519Signature ed25519_sign(const Ed25519SecretKey& secret,
                                            ByteView message) noexcept;

// Errc::auth_failed unless `signature` is a valid signature of `message` under `key`.
[[nodiscard]] Result<void> ed25519_verify(const Ed25519PublicKey& key, ByteView message,
                                          ByteView signature);

}  // namespace bulwark::crypto
