#include "kt/note_ed25519.h"

#include <utility>

#include "kt/vkey.h"

namespace bulwark::kt {

NoteSigner::NoteSigner(std::string name, crypto::Ed25519SecretKey key)
    : name_(std::move(name)),
      key_(std::move(key)),
      key_id_(note_key_id(name_, signature_type_ed25519, key_.public_key().bytes())) {}

Result<NoteSigner> NoteSigner::create(std::string name, crypto::Ed25519SecretKey key) {
  if (!is_valid_key_name(name)) {
    return fail(Errc::invalid_argument, "note signer: invalid key name");
  }
  return NoteSigner(std::move(name), std::move(key));
}

std::string NoteSigner::vkey() const {
  return format_vkey(name_, signature_type_ed25519, key_.public_key().bytes());
}

NoteSignature NoteSigner::sign(std::string_view text) const {
  if (!check_note_text(text)) contract_violation("kt::NoteSigner::sign: not a note text");
  const crypto::Ed25519Signature signature = crypto::ed25519_sign(key_, as_bytes(text));
  return NoteSignature{name_, key_id_, to_bytes(signature)};
}

NoteVerifier::NoteVerifier(std::string name, const crypto::Ed25519PublicKey& key)
    : name_(std::move(name)),
      key_(key),
      key_id_(note_key_id(name_, signature_type_ed25519, key_.bytes())) {}

Result<NoteVerifier> NoteVerifier::create(std::string name, const crypto::Ed25519PublicKey& key) {
  if (!is_valid_key_name(name)) {
    return fail(Errc::invalid_argument, "note verifier: invalid key name");
  }
  return NoteVerifier(std::move(name), key);
}

Result<NoteVerifier> NoteVerifier::from_vkey(std::string_view vkey) {
  VerifierKey parsed = BULWARK_TRY(parse_vkey(vkey));
  if (parsed.type != signature_type_ed25519) {
    return fail(Errc::invalid_argument, "note verifier: vkey is not an Ed25519 (0x01) key");
  }
  const crypto::Ed25519PublicKey key =
      BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(parsed.public_key));
  return NoteVerifier(std::move(parsed.name), key);
}

std::string NoteVerifier::vkey() const {
  return format_vkey(name_, signature_type_ed25519, key_.bytes());
}

Result<void> NoteVerifier::verify(const Note& note) const {
  bool found = false;
  for (const NoteSignature& signature : note.signatures) {
    if (signature.name != name_ || signature.key_id != key_id_) continue;
    found = true;
    if (!crypto::ed25519_verify(key_, as_bytes(note.text), signature.signature)) {
      return fail(Errc::auth_failed, "signed note: invalid signature by " + name_);
    }
  }
  if (!found) return fail(Errc::auth_failed, "signed note: no signature by " + name_);
  return {};
}

}  // namespace bulwark::kt
