// MLS cipher suites and the labeled cryptographic operations built on them (RFC 9420 §5).
//
// Two suites are implemented, both with X25519 HPKE, HKDF-SHA256/SHA-256/HMAC-SHA256 and
// Ed25519: 0x0001 MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (mandatory to implement) and
// 0x0003 MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519. A CipherSuite is a small value:
// copy it freely. Every label the RFC names is passed without its "MLS 1.0 " prefix, which is
// added here (except RefHash, whose labels the RFC spells out in full).
//
// Secrets come out as SecretBytes. Hashes, MACs (membership and confirmation tags, which are
// sent on the wire) and signatures are public and come out as Bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "crypto/ed25519.h"
#include "crypto/hpke.h"
#include "crypto/x25519.h"

namespace bulwark::protocol::mls {

enum class CipherSuiteId : std::uint16_t {
  x25519_aes128gcm_sha256_ed25519 = 0x0001,
  x25519_chacha20poly1305_sha256_ed25519 = 0x0003,
};

inline constexpr std::string_view mls_label_prefix = "MLS 1.0 ";

// EncryptWithLabel's output: HPKECiphertext's two fields (the wire struct lives with the
// messages).
struct LabeledCiphertext {
  Bytes kem_output;
  Bytes ciphertext;
};

// An AEAD key and nonce derived together (Welcome, sender data, ratchet generations).
struct KeyAndNonce {
  SecretBytes key;
  SecretBytes nonce;
};

class CipherSuite {
 public:
  // Errc::invalid_argument "cipher suite N not supported" for every id but 1 and 3.
  [[nodiscard]] static Result<CipherSuite> from_id(std::uint16_t id);

  [[nodiscard]] CipherSuiteId id() const noexcept { return id_; }
  // Nh: the hash, MAC and KDF output size; also DeriveSecret's length.
  [[nodiscard]] static constexpr std::size_t hash_size() noexcept { return 32; }
  [[nodiscard]] std::size_t aead_key_size() const noexcept;
  [[nodiscard]] static constexpr std::size_t aead_nonce_size() noexcept { return 12; }
  [[nodiscard]] crypto::HpkeAead hpke_aead() const noexcept;

  [[nodiscard]] Bytes hash(ByteView data) const;
  [[nodiscard]] Bytes mac(ByteView key, ByteView data) const;
  // Errc::auth_failed unless `tag` is MAC(key, data); constant time in the tag.
  [[nodiscard]] Result<void> verify_mac(ByteView key, ByteView data, ByteView tag) const;

  // HKDF (RFC 5869). Expand takes an info of any size (MLS contexts can hold a GroupContext
  // with large extensions); length is 1..255 * Nh and the PRK at least Nh bytes.
  [[nodiscard]] Result<SecretBytes> kdf_extract(ByteView salt, ByteView ikm) const;
  [[nodiscard]] Result<SecretBytes> kdf_expand(ByteView prk, ByteView info,
                                               std::size_t length) const;

  // RefHash(label, value) = Hash(RefHashInput{label, value}); `label` is used as given.
  [[nodiscard]] Result<Bytes> ref_hash(std::string_view label, ByteView value) const;
  // ExpandWithLabel(secret, label, context, length) = Expand(secret, KDFLabel, length).
  [[nodiscard]] Result<SecretBytes> expand_with_label(ByteView secret, std::string_view label,
                                                      ByteView context, std::uint16_t length) const;
  // DeriveSecret(secret, label) = ExpandWithLabel(secret, label, "", Nh).
  [[nodiscard]] Result<SecretBytes> derive_secret(ByteView secret, std::string_view label) const;
  // DeriveTreeSecret: the context is the generation as a big-endian uint32.
  [[nodiscard]] Result<SecretBytes> derive_tree_secret(ByteView secret, std::string_view label,
                                                       std::uint32_t generation,
                                                       std::uint16_t length) const;

  // SignWithLabel / VerifyWithLabel over SignContent{label, content} (§5.1.2). Verification
  // failures, including a signature key that is not a valid Ed25519 key, are auth_failed.
  [[nodiscard]] Result<Bytes> sign_with_label(const crypto::Ed25519SecretKey& key,
                                              std::string_view label, ByteView content) const;
  [[nodiscard]] Result<void> verify_with_label(const crypto::Ed25519PublicKey& key,
                                               std::string_view label, ByteView content,
                                               ByteView signature) const;
  [[nodiscard]] Result<void> verify_with_label(ByteView public_key, std::string_view label,
                                               ByteView content, ByteView signature) const;

  // EncryptWithLabel / DecryptWithLabel (§5.1.3): HPKE Base mode with info =
  // EncryptContext{label, context} and an empty aad. The plaintexts MLS encrypts this way
  // (path secrets, GroupSecrets) are secret, so decryption returns SecretBytes.
  [[nodiscard]] Result<LabeledCiphertext> encrypt_with_label(const crypto::X25519PublicKey& key,
                                                             std::string_view label,
                                                             ByteView context, ByteView plaintext,
                                                             Rng& rng) const;
  // The same with HPKE's ephemeral key derived from `ikm_e` (known-answer tests only).
  [[nodiscard]] Result<LabeledCiphertext> encrypt_with_label_deterministic(
      const crypto::X25519PublicKey& key, std::string_view label, ByteView context,
      ByteView plaintext, ByteView ikm_e) const;
  [[nodiscard]] Result<SecretBytes> decrypt_with_label(const crypto::X25519SecretKey& key,
                                                       std::string_view label, ByteView context,
                                                       ByteView kem_output,
                                                       ByteView ciphertext) const;

  // HPKE DeriveKeyPair(secret); private_bytes keeps the unclamped SerializePrivateKey form.
  [[nodiscard]] Result<crypto::HpkeDerivedKey> derive_hpke_key_pair(ByteView secret) const;

  // The suite's AEAD; the output is ciphertext || tag, and opening failures are auth_failed.
  [[nodiscard]] Result<Bytes> aead_seal(ByteView key, ByteView nonce, ByteView aad,
                                        ByteView plaintext) const;
  [[nodiscard]] Result<Bytes> aead_open(ByteView key, ByteView nonce, ByteView aad,
                                        ByteView ciphertext) const;

  friend bool operator==(const CipherSuite&, const CipherSuite&) = default;

 private:
  explicit CipherSuite(CipherSuiteId id) noexcept : id_(id) {}

  CipherSuiteId id_;
};

}  // namespace bulwark::protocol::mls
