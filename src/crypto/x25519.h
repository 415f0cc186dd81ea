// X25519 Diffie-Hellman (RFC 7748), on libsodium.
//
// Public keys are canonical: exactly 32 bytes encoding u < 2^255 - 19 with the top bit clear,
// so every key has exactly one encoding and equal keys compare equal. (RFC 7748's lenient
// decodeUCoordinate, which its test vectors need, is test-only: crypto/detail/x25519_rfc7748.h.)
// Secret keys are clamped on construction (RFC 7748 decodeScalar25519), which is how libsignal
// stores them, so XEdDSA signs with the same scalar that X25519 uses.
// Invariant: x25519() never returns an all-zero shared secret; a small-order peer key is
// Errc::weak_key.
#pragma once

#include <array>
#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t x25519_public_key_bytes = 32;
inline constexpr std::size_t x25519_secret_key_bytes = 32;
inline constexpr std::size_t x25519_shared_secret_bytes = 32;

class X25519SecretKey;
class X25519PublicKey;

namespace detail {
Result<X25519PublicKey> x25519_public_key_rfc7748(ByteView bytes);
}  // namespace detail

class X25519PublicKey {
 public:
  [[nodiscard]] static Result<X25519PublicKey> from_bytes(ByteView bytes);

  [[nodiscard]] ByteView bytes() const noexcept { return view_of(bytes_); }
  friend bool operator==(const X25519PublicKey&, const X25519PublicKey&) = default;

 private:
  friend class X25519SecretKey;
  friend Result<X25519PublicKey> detail::x25519_public_key_rfc7748(ByteView bytes);
  explicit X25519PublicKey(const std::array<std::byte, x25519_public_key_bytes>& bytes)
      : bytes_(bytes) {}
  std::array<std::byte, x25519_public_key_bytes> bytes_;
};

class X25519SecretKey {
 public:
  // Any 32 bytes; they are clamped.
  [[nodiscard]] static Result<X25519SecretKey> from_bytes(ByteView bytes);

  // The clamped scalar.
  [[nodiscard]] const SecretBytes& bytes() const noexcept { return scalar_; }
  [[nodiscard]] X25519PublicKey public_key() const;
  [[nodiscard]] X25519SecretKey clone() const { return X25519SecretKey(scalar_.clone()); }

 private:
  explicit X25519SecretKey(SecretBytes scalar) : scalar_(std::move(scalar)) {}
  SecretBytes scalar_;
};

struct X25519KeyPair {
  X25519SecretKey secret_key;
  X25519PublicKey public_key;
};

[[nodiscard]] X25519KeyPair x25519_keypair(Rng& rng);

// The shared secret X25519(secret, peer). Errc::weak_key for small-order peer keys.
[[nodiscard]] Result<SecretBytes> x25519(const X25519SecretKey& secret,
                                         const X25519PublicKey& peer);

}  // namespace bulwark::crypto
