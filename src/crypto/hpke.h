// HPKE (RFC 9180) for MLS cipher suites 1 and 3 (issue 9): KEM 0x0020 DHKEM(X25519,
// HKDF-SHA256), KDF 0x0001 HKDF-SHA256, AEAD 0x0001 AES-128-GCM, 0x0003 ChaCha20Poly1305 and
// 0xFFFF export-only. OpenSSL 3.0 has no HPKE API, so it is written here from the RFC over
// crypto's own primitives, and checked against the RFC's Appendix A vectors
// (tests/crypto/hpke_test.cpp). Modes Base (0) and PSK (1); MLS uses Base only. The Auth modes
// are not implemented.
//
// A context's sequence number is its nonce: a sender must never seal twice under one number,
// so contexts are move-only and seal() advances it; past 2^64 - 1 messages it refuses.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "crypto/x25519.h"

namespace bulwark::crypto {

enum class HpkeAead : std::uint16_t {
  aes128gcm = 0x0001,
  chacha20poly1305 = 0x0003,
  export_only = 0xFFFF
};

enum class HpkeMode : std::uint8_t { base = 0, psk = 1 };

struct HpkePsk {
  ByteView psk;
  ByteView psk_id;
};

// One direction of an HPKE session.
class HpkeContext {
 public:
  HpkeContext(HpkeContext&&) noexcept = default;
  HpkeContext& operator=(HpkeContext&&) noexcept = default;

  // Errc::invalid_argument for an export-only context; Errc::capacity_exceeded once the
  // sequence number is spent.
  [[nodiscard]] Result<Bytes> seal(ByteView aad, ByteView plaintext);
  // Errc::auth_failed for a ciphertext that does not open (the sequence number stays).
  [[nodiscard]] Result<Bytes> open(ByteView aad, ByteView ciphertext);
  // The exporter interface (RFC 9180 §5.3); at most 255 * 32 bytes.
  [[nodiscard]] Result<SecretBytes> export_secret(ByteView exporter_context,
                                                  std::size_t length) const;

  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }
  // For the known-answer tests.
  [[nodiscard]] const SecretBytes& key() const noexcept { return key_; }
  [[nodiscard]] const SecretBytes& base_nonce() const noexcept { return base_nonce_; }
  [[nodiscard]] const SecretBytes& exporter_secret() const noexcept { return exporter_secret_; }

 private:
  friend struct HpkeSetup;
  HpkeContext(HpkeAead aead, SecretBytes key, SecretBytes base_nonce, SecretBytes exporter_secret)
      : aead_(aead),
        key_(std::move(key)),
        base_nonce_(std::move(base_nonce)),
        exporter_secret_(std::move(exporter_secret)) {}
  [[nodiscard]] Bytes nonce() const;

  HpkeAead aead_;
  SecretBytes key_;
  SecretBytes base_nonce_;
  SecretBytes exporter_secret_;
  std::uint64_t sequence_ = 0;
  bool spent_ = false;
};

struct HpkeSender {
  Bytes enc;  // the encapsulated key, 32 bytes
  HpkeContext context;
};

// DeriveKeyPair (RFC 9180 §7.1.3) for DHKEM(X25519, HKDF-SHA256): the private key bytes
// before clamping, and the key pair. Errc::invalid_length for ikm under 32 bytes.
struct HpkeDerivedKey {
  SecretBytes private_bytes;
  X25519SecretKey secret_key;
  X25519PublicKey public_key;
};
[[nodiscard]] Result<HpkeDerivedKey> hpke_derive_key_pair(ByteView ikm);

// SetupBaseS / SetupPSKS with the ephemeral key from `rng`, or - for the known-answer tests
// only - derived from `ikm_e`.
[[nodiscard]] Result<HpkeSender> hpke_setup_sender(HpkeAead aead, const X25519PublicKey& recipient,
                                                   ByteView info, const std::optional<HpkePsk>& psk,
                                                   Rng& rng);
[[nodiscard]] Result<HpkeSender> hpke_setup_sender_deterministic(HpkeAead aead,
                                                                 const X25519PublicKey& recipient,
                                                                 ByteView info,
                                                                 const std::optional<HpkePsk>& psk,
                                                                 ByteView ikm_e);
// SetupBaseR / SetupPSKR. Errc::invalid_length for an enc that is not 32 bytes,
// Errc::weak_key for a small-order one.
[[nodiscard]] Result<HpkeContext> hpke_setup_recipient(HpkeAead aead, ByteView enc,
                                                       const X25519SecretKey& recipient,
                                                       ByteView info,
                                                       const std::optional<HpkePsk>& psk);

}  // namespace bulwark::crypto
