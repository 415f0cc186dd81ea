// Channel entries: the signed units of a channel's log (DESIGN.md "Channels and moderation").
//
// A channel is a sequence of entries numbered 1, 2, 3, ... Entry 1 (CREATE) names the channel's
// Ed25519 key, handle, title, description and visibility, signed by that key; the channel id
// is derived from the key, so nobody can create another channel under the same id. Every
// later entry (POST, EDIT, REMOVE, ADMIN_ADD, ADMIN_REMOVE) is signed over (channel id, seq,
// time, kind, content) by the channel key, or - for posts, edits and removals - by an admin's
// account identity key that an ADMIN_ADD entry of the channel key delegated (admin_set.h).
// The server stores and serves these bytes as they are; it can refuse an entry but never
// forge or alter one.
//
// Byte format (all integers big-endian):
//   u8 version (1) | 16 channel id | u64 seq | u64 time_ms | u8 kind | body | u8 signer length |
//   signer (32: Ed25519 channel key, 33: 0x05 || X25519 admin identity key) | 64 signature
// body:
//   CREATE:       u8 len handle | u16 len title | u16 len description | u8 private | 32 key
//   POST:         u32 len text
//   EDIT:         u64 target | u32 len text
//   REMOVE:       u64 target
//   ADMIN_ADD/_REMOVE: 33 admin identity key
// The signature covers "bulwark-channel-entry-v1" || every byte before the signer length.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"

namespace bulwark::channel {

inline constexpr std::size_t channel_id_bytes = 16;
inline constexpr std::size_t channel_key_bytes = 32;
inline constexpr std::size_t admin_key_bytes = 33;  // 0x05 || X25519, as account identity keys
inline constexpr std::size_t entry_signature_bytes = 64;
// The largest encoded entry: a post of 4,096 four-byte code points plus the header and tail.
inline constexpr std::size_t max_entry_bytes = 17 * 1024;

using ChannelId = std::array<std::byte, channel_id_bytes>;

enum class EntryKind : std::uint8_t {
  create = 1,
  post = 2,
  edit = 3,
  remove = 4,
  admin_add = 5,
  admin_remove = 6,
};
[[nodiscard]] std::string_view kind_name(EntryKind kind) noexcept;

struct Profile {
  std::string handle;  // canonical
  std::string title;
  std::string description;
  bool is_private = false;
  Bytes channel_key;  // 32 bytes, Ed25519
};

struct Entry {
  ChannelId channel{};
  std::uint64_t seq = 0;
  std::uint64_t time_ms = 0;  // the signer's clock, ms since the Unix epoch
  EntryKind kind = EntryKind::post;
  std::uint64_t target = 0;  // EDIT, REMOVE: the post's seq
  std::string text;          // POST, EDIT
  Profile profile;           // CREATE
  Bytes admin_key;           // ADMIN_ADD, ADMIN_REMOVE
  Bytes signer;              // set by the sign_* functions
  Bytes signature;
};

// The id of the channel whose key is `channel_key`: the first 16 bytes of
// SHA-256("bulwark-channel-id" || key).
[[nodiscard]] ChannelId channel_id_for_key(ByteView channel_key);

// What the signature covers.
[[nodiscard]] Result<Bytes> signed_message(const Entry& entry);

// Signs with the channel key (sets signer and signature).
[[nodiscard]] Result<void> sign_with_channel_key(Entry& entry,
                                                 const crypto::Ed25519SecretKey& key);
// Signs with an admin's account identity key (XEdDSA).
[[nodiscard]] Result<void> sign_with_admin_key(Entry& entry, const crypto::X25519SecretKey& key,
                                               Rng& rng);

// Encodes a signed entry; checks every field's limits first (Errc::invalid_argument).
[[nodiscard]] Result<Bytes> encode_entry(const Entry& entry);
// Strict decoding: every length and limit checked, nothing after the signature. Does not check
// the signature (verify_signature, admin_set.h).
[[nodiscard]] Result<Entry> decode_entry(ByteView bytes);

// Errc::auth_failed unless `signature` is `signer`'s signature of the entry. Says nothing of
// whether the signer may sign for the channel: Authority (admin_set.h) checks that.
[[nodiscard]] Result<void> verify_signature(const Entry& entry);

}  // namespace bulwark::channel
