// Ed25519 checkpoint cosignatures, C2SP tlog-cosignature §Format and §Ed25519 signed message
// (c2sp.org/tlog-cosignature, C2SP/C2SP@5ba5ee83; signature type 0x04, "cosignature/v1"):
// a witness's statement that, at `timestamp`, the checkpoint is the largest consistent tree
// head it has seen for that log. The ML-DSA-44 "subtree/v1" type is not implemented.
//
// A cosignature is a note signature line on the checkpoint (kt/note.h) under the key ID
// SHA-256(name || "\n" || 0x04 || 32-byte Ed25519 public key)[:4], whose signature is
//
//   struct {
//       u64 timestamp;                     // POSIX seconds, big-endian, <= 2^63 - 1
//       opaque ed25519_signature[64];
//   } timestamped_signature;
//
// and the Ed25519 signature covers
//
//   "cosignature/v1\n" "time " <timestamp, decimal, no leading zeros> "\n" <checkpoint body>
//
// where the checkpoint body is the whole note text, extension lines included. The message
// does not commit to the cosigner's name, so each cosigner needs its own key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "kt/note.h"

namespace bulwark::kt {

inline constexpr std::size_t cosignature_v1_bytes = 8 + crypto::ed25519_signature_bytes;
inline constexpr std::uint64_t cosignature_max_timestamp = (std::uint64_t{1} << 63) - 1;

// A cosigner as a verifier knows it: its name and Ed25519 public key.
class CosignerKey {
 public:
  // Errc::invalid_argument unless `name` is a valid key name.
  [[nodiscard]] static Result<CosignerKey> create(std::string name,
                                                  const crypto::Ed25519PublicKey& key);
  // From a vkey of signature type 0x04 and a valid Ed25519 public key: Errc::invalid_encoding
  // or Errc::invalid_argument (another signature type) otherwise, or what Ed25519PublicKey
  // refuses.
  [[nodiscard]] static Result<CosignerKey> from_vkey(std::string_view vkey);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const KeyId& key_id() const noexcept { return key_id_; }
  [[nodiscard]] const crypto::Ed25519PublicKey& public_key() const noexcept { return key_; }
  [[nodiscard]] std::string vkey() const;

 private:
  CosignerKey(std::string name, const crypto::Ed25519PublicKey& key);

  std::string name_;
  crypto::Ed25519PublicKey key_;
  KeyId key_id_;
};

// The message a cosignature/v1 signs. Requires timestamp <= cosignature_max_timestamp.
[[nodiscard]] std::string cosignature_v1_message(std::string_view checkpoint_body,
                                                 std::uint64_t timestamp);

// The cosignature of `checkpoint_body` at `timestamp` by the witness `witness_name`. Requires
// a valid key name, check_note_text(checkpoint_body) to succeed and timestamp <=
// cosignature_max_timestamp; contract_violation otherwise. (A witness cosigns only a body it
// parsed, with a name from its configuration and the time from its clock.)
[[nodiscard]] NoteSignature cosign(const crypto::Ed25519SecretKey& key,
                                   std::string_view witness_name,
                                   std::string_view checkpoint_body, std::uint64_t timestamp);

// The timestamp of `signature` if it is `cosigner`'s valid cosignature/v1 of
// `checkpoint_body`; Errc::auth_failed otherwise (another name or key ID, a signature that is
// not 72 bytes, a timestamp above 2^63 - 1, or an Ed25519 signature that does not verify).
[[nodiscard]] Result<std::uint64_t> verify_cosignature(const CosignerKey& cosigner,
                                                       std::string_view checkpoint_body,
                                                       const NoteSignature& signature);

// `cosigner`'s cosignature in a signed checkpoint, as NoteVerifier::verify finds a signature:
// lines of other keys are ignored, every line of this one must verify, and there must be
// one. Returns the latest timestamp among them; Errc::auth_failed otherwise.
[[nodiscard]] Result<std::uint64_t> verify_cosignature(const CosignerKey& cosigner,
                                                       const Note& checkpoint);

}  // namespace bulwark::kt
