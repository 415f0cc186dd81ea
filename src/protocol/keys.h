// Public and key-pair types of the Signal protocol, serialised exactly as libsignal serialises
// them (rust/core/src/curve.rs, rust/protocol/src/kem.rs):
//   EC public key     = 0x05 || X25519 u-coordinate          (33 bytes)
//   Kyber public key  = 0x08 || Kyber1024 round-3 public key (1569 bytes)
//   Kyber ciphertext  = 0x08 || Kyber1024 ciphertext         (1569 bytes)
// Signatures over keys (signed prekeys, Kyber prekeys) are XEdDSA over the *serialised* key.
//
// Invariant: a PublicKey or KyberPublicKey only exists in a valid, canonical encoding, so two
// keys are equal exactly when their serialisations are.
#pragma once

#include <array>
#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "crypto/kem.h"
#include "crypto/x25519.h"
#include "crypto/xeddsa.h"

namespace bulwark::protocol {

inline constexpr std::byte ec_key_type{0x05};
inline constexpr std::size_t ec_public_key_bytes = 1 + crypto::x25519_public_key_bytes;
inline constexpr std::size_t kyber_public_key_bytes = 1 + crypto::kyber1024::public_key_bytes;
inline constexpr std::size_t kyber_ciphertext_bytes = 1 + crypto::kyber1024::ciphertext_bytes;

class PublicKey {
 public:
  explicit PublicKey(const crypto::X25519PublicKey& key) : key_(key) {}
  using Serialized = std::array<std::byte, ec_public_key_bytes>;

  // Exactly 33 bytes, type 0x05, canonical u-coordinate.
  [[nodiscard]] static Result<PublicKey> deserialize(ByteView bytes);
  // A fixed-size array: every message's MAC input holds two of these, so no allocation.
  [[nodiscard]] Serialized serialize() const;
  [[nodiscard]] const crypto::X25519PublicKey& key() const noexcept { return key_; }
  // XEdDSA signature check; Errc::auth_failed when it does not verify.
  [[nodiscard]] Result<void> verify_signature(ByteView message, ByteView signature) const;
  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  crypto::X25519PublicKey key_;
};

// An identity key is an EC public key; the alias documents the role.
using IdentityKey = PublicKey;

class KeyPair {
 public:
  KeyPair(crypto::X25519SecretKey secret, const PublicKey& public_key)
      : secret_(std::move(secret)), public_(public_key) {}
  [[nodiscard]] static KeyPair generate(Rng& rng);
  // Rebuilds a pair from a stored 32-byte secret.
  [[nodiscard]] static Result<KeyPair> from_secret(ByteView secret);
  [[nodiscard]] KeyPair clone() const { return {secret_.clone(), public_}; }
  [[nodiscard]] const crypto::X25519SecretKey& secret() const noexcept { return secret_; }
  [[nodiscard]] const PublicKey& public_key() const noexcept { return public_; }
  [[nodiscard]] crypto::XEdDsaSignature sign(ByteView message, Rng& rng) const;
  [[nodiscard]] Result<SecretBytes> agree(const PublicKey& peer) const;

 private:
  crypto::X25519SecretKey secret_;
  PublicKey public_;
};

using IdentityKeyPair = KeyPair;

class KyberPublicKey {
 public:
  // Exactly 1569 bytes, type 0x08, every coefficient < q.
  [[nodiscard]] static Result<KyberPublicKey> deserialize(ByteView bytes);
  [[nodiscard]] ByteView serialized() const noexcept { return serialized_; }
  // The key without its type byte, as the KEM takes it.
  [[nodiscard]] ByteView raw() const noexcept { return ByteView(serialized_).subspan(1); }
  friend bool operator==(const KyberPublicKey&, const KyberPublicKey&) = default;

 private:
  explicit KyberPublicKey(Bytes serialized) : serialized_(std::move(serialized)) {}
  Bytes serialized_;
};

class KyberKeyPair {
 public:
  KyberKeyPair(KyberPublicKey public_key, SecretBytes secret_key)
      : public_(std::move(public_key)), secret_(std::move(secret_key)) {}
  [[nodiscard]] static KyberKeyPair generate(Rng& rng);
  [[nodiscard]] KyberKeyPair clone() const { return {public_, secret_.clone()}; }
  [[nodiscard]] const KyberPublicKey& public_key() const noexcept { return public_; }
  [[nodiscard]] const SecretBytes& secret_key() const noexcept { return secret_; }

 private:
  KyberPublicKey public_;
  SecretBytes secret_;
};

// A Kyber encapsulation as it travels: serialised ciphertext (0x08 || ct) and the secret.
struct KyberEncapsulation {
  Bytes serialized_ciphertext;
  SecretBytes shared_secret;
};

[[nodiscard]] Result<KyberEncapsulation> kyber_encapsulate(const KyberPublicKey& key, Rng& rng);
// Errc::invalid_encoding for a wrong type byte or length; a forged ciphertext gives the
// implicit-rejection secret (and the message MAC then fails), as the KEM requires.
[[nodiscard]] Result<SecretBytes> kyber_decapsulate(const KyberKeyPair& pair,
                                                    ByteView serialized_ciphertext);

}  // namespace bulwark::protocol
