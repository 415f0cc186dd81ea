// Verifier keys ("vkeys"), C2SP signed-note §Verifier keys (C2SP/C2SP@5ba5ee83): how a note
// verifier's public key is written in configuration.
//
//   <key name> "+" hex(key ID, 8 lower-case digits) "+" base64(signature type || public key)
//
// e.g. example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k
//
// parse_vkey checks the syntax and that the key ID is the one signed-note recommends,
// SHA-256(name || "\n" || type || key)[:4] (the one Ed25519 and cosignature/v1 keys must
// use), so a vkey whose name, ID and key disagree is refused. What the key material must be
// is for each signature type to check: kt/note_ed25519.h and kt/cosignature.h do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "kt/note.h"

namespace bulwark::kt {

struct VerifierKey {
  std::string name;
  KeyId key_id{};
  std::byte type{};
  Bytes public_key;  // the key material after the type byte, never empty

  friend bool operator==(const VerifierKey&, const VerifierKey&) = default;
};

// Errc::invalid_encoding for a malformed vkey: a bad name, a key ID that is not 8 lower-case
// hex digits or not the key's, key material that is not canonical base64 or is empty.
[[nodiscard]] Result<VerifierKey> parse_vkey(std::string_view vkey);

// Requires a valid key name and non-empty key material.
[[nodiscard]] std::string format_vkey(const VerifierKey& key);

// The vkey of a key whose ID is the recommended one. Requires a valid key name.
[[nodiscard]] std::string format_vkey(std::string_view name, std::byte type, ByteView public_key);

}  // namespace bulwark::kt
