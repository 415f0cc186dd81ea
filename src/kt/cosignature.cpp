#include "kt/cosignature.h"

#include <algorithm>
#include <array>
#include <utility>

#include "kt/vkey.h"

namespace bulwark::kt {
namespace {

constexpr std::size_t timestamp_bytes = 8;

std::array<std::byte, timestamp_bytes> big_endian(std::uint64_t value) {
  std::array<std::byte, timestamp_bytes> out{};
  for (std::size_t i = 0; i < timestamp_bytes; ++i) {
    out[i] = static_cast<std::byte>(value >> (8 * (timestamp_bytes - 1 - i)));
  }
  return out;
}

std::uint64_t read_big_endian(ByteView bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < timestamp_bytes; ++i) {
    value = (value << 8) | std::to_integer<std::uint64_t>(bytes[i]);
  }
  return value;
}

Error bad_cosignature(const std::string& name) {
  return Error{Errc::auth_failed, "cosignature: invalid cosignature by " + name};
}

}  // namespace

CosignerKey::CosignerKey(std::string name, const crypto::Ed25519PublicKey& key)
    : name_(std::move(name)),
      key_(key),
      key_id_(note_key_id(name_, signature_type_cosignature_v1, key_.bytes())) {}

Result<CosignerKey> CosignerKey::create(std::string name, const crypto::Ed25519PublicKey& key) {
  if (!is_valid_key_name(name)) return fail(Errc::invalid_argument, "cosigner: invalid key name");
  return CosignerKey(std::move(name), key);
}

Result<CosignerKey> CosignerKey::from_vkey(std::string_view vkey) {
  VerifierKey parsed = BULWARK_TRY(parse_vkey(vkey));
  if (parsed.type != signature_type_cosignature_v1) {
    return fail(Errc::invalid_argument, "cosigner: vkey is not a cosignature/v1 (0x04) key");
  }
  const crypto::Ed25519PublicKey key =
      BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(parsed.public_key));
  return CosignerKey(std::move(parsed.name), key);
}

std::string CosignerKey::vkey() const {
  return format_vkey(name_, signature_type_cosignature_v1, key_.bytes());
}

std::string cosignature_v1_message(std::string_view checkpoint_body, std::uint64_t timestamp) {
  if (timestamp > cosignature_max_timestamp) contract_violation("kt::cosign: timestamp >= 2^63");
  std::string message = "cosignature/v1\ntime " + std::to_string(timestamp) + '\n';
  message += checkpoint_body;
  return message;
}

NoteSignature cosign(const crypto::Ed25519SecretKey& key, std::string_view witness_name,
                     std::string_view checkpoint_body, std::uint64_t timestamp) {
  if (!is_valid_key_name(witness_name)) contract_violation("kt::cosign: invalid witness name");
  if (!check_note_text(checkpoint_body)) contract_violation("kt::cosign: not a note text");
  const std::string message = cosignature_v1_message(checkpoint_body, timestamp);
  const crypto::Ed25519Signature signature = crypto::ed25519_sign(key, as_bytes(message));
  const KeyId id =
      note_key_id(witness_name, signature_type_cosignature_v1, key.public_key().bytes());
  return NoteSignature{std::string(witness_name), id,
                       concat({view_of(big_endian(timestamp)), view_of(signature)})};
}

Result<std::uint64_t> verify_cosignature(const CosignerKey& cosigner,
                                         std::string_view checkpoint_body,
                                         const NoteSignature& signature) {
  if (signature.name != cosigner.name() || signature.key_id != cosigner.key_id()) {
    return fail(Errc::auth_failed, "cosignature: not by " + cosigner.name());
  }
  if (signature.signature.size() != cosignature_v1_bytes) {
    return tl::unexpected(bad_cosignature(cosigner.name()));
  }
  const ByteView blob = signature.signature;
  const std::uint64_t timestamp = read_big_endian(blob.first(timestamp_bytes));
  if (timestamp > cosignature_max_timestamp) {
    return tl::unexpected(bad_cosignature(cosigner.name()));
  }
  const std::string message = cosignature_v1_message(checkpoint_body, timestamp);
  if (!crypto::ed25519_verify(cosigner.public_key(), as_bytes(message),
                              blob.subspan(timestamp_bytes))) {
    return tl::unexpected(bad_cosignature(cosigner.name()));
  }
  return timestamp;
}

Result<std::uint64_t> verify_cosignature(const CosignerKey& cosigner, const Note& checkpoint) {
  bool found = false;
  std::uint64_t latest = 0;
  for (const NoteSignature& signature : checkpoint.signatures) {
    if (signature.name != cosigner.name() || signature.key_id != cosigner.key_id()) continue;
    const std::uint64_t timestamp =
        BULWARK_TRY(verify_cosignature(cosigner, checkpoint.text, signature));
    latest = found ? std::max(latest, timestamp) : timestamp;
    found = true;
  }
  if (!found) return fail(Errc::auth_failed, "cosignature: none by " + cosigner.name());
  return latest;
}

}  // namespace bulwark::kt
