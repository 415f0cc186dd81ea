// Ed25519 note signatures, C2SP signed-note §Ed25519 signatures (signature type 0x01): an
// RFC 8032 signature over the note text, under the key ID
// SHA-256(name || "\n" || 0x01 || 32-byte public key)[:4].
//
// NoteVerifier::verify follows signed-note §Signatures: signature lines whose name and key ID
// are not both this key's are ignored (they belong to other keys: the log's next key, the
// witnesses); every line that is this key's must verify (one bad line rejects the note,
// which the spec recommends); and at least one must be present.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "kt/note.h"

namespace bulwark::kt {

class NoteSigner {
 public:
  // Errc::invalid_argument unless `name` is a valid key name.
  [[nodiscard]] static Result<NoteSigner> create(std::string name, crypto::Ed25519SecretKey key);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const KeyId& key_id() const noexcept { return key_id_; }
  // The vkey that verifies this signer's notes.
  [[nodiscard]] std::string vkey() const;

  // The signature of `text`, to append to a Note. Requires check_note_text(text) to succeed
  // (a signature over anything else could never be formatted); contract_violation otherwise.
  [[nodiscard]] NoteSignature sign(std::string_view text) const;

 private:
  NoteSigner(std::string name, crypto::Ed25519SecretKey key);

  std::string name_;
  crypto::Ed25519SecretKey key_;
  KeyId key_id_;
};

class NoteVerifier {
 public:
  // Errc::invalid_argument unless `name` is a valid key name.
  [[nodiscard]] static Result<NoteVerifier> create(std::string name,
                                                   const crypto::Ed25519PublicKey& key);
  // From a vkey of signature type 0x01 and a valid Ed25519 public key: Errc::invalid_encoding
  // or Errc::invalid_argument (another signature type) otherwise, or what Ed25519PublicKey
  // refuses.
  [[nodiscard]] static Result<NoteVerifier> from_vkey(std::string_view vkey);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const KeyId& key_id() const noexcept { return key_id_; }
  [[nodiscard]] const crypto::Ed25519PublicKey& public_key() const noexcept { return key_; }
  [[nodiscard]] std::string vkey() const;

  // Errc::auth_failed unless `note` has a signature line with this key's name and key ID, and
  // every such line is a valid signature of the note's text.
  [[nodiscard]] Result<void> verify(const Note& note) const;

 private:
  NoteVerifier(std::string name, const crypto::Ed25519PublicKey& key);

  std::string name_;
  crypto::Ed25519PublicKey key_;
  KeyId key_id_;
};

}  // namespace bulwark::kt
