// A moderator's signed action: the entries of the moderation log (docs/MODERATION.md "The
// moderation log"). bulwark-admin encodes and signs one with the moderator's own Ed25519 key;
// the server decodes it, checks it against the case and the configured key, and appends the
// bytes and signature to the append-only log. Each record names the hash of the log entry
// before it, so the log is a hash chain: dropping or changing any entry breaks every later
// one.
//
// Wire form (integers big-endian):
//   u8 version (1) | u64 case id | u8 action (action.h) | u8 target kind (1 post, 2 channel,
//   3 message) | 16 channel id (zero unless post/channel) | u64 seq (0 unless post) |
//   16 affected account | i64 time ms | u8 len moderator name | name (1-64 bytes) |
//   32 moderator public key | u16 len reason | reason (1-1000 bytes UTF-8) | 32 previous hash
// signature = Ed25519(moderator key, "bulwark-moderation-action-v1" || record)
// entry hash = SHA-256("bulwark-moderation-log-v1" || record || signature); the first entry's
// previous hash is 32 zero bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "moderation/action.h"

namespace bulwark::moderation {

inline constexpr std::size_t max_moderator_name_bytes = 64;
inline constexpr std::size_t max_reason_bytes = 1000;
inline constexpr std::size_t log_hash_bytes = 32;
inline constexpr std::size_t max_action_record_bytes =
    1 + 8 + 1 + 1 + 16 + 8 + 16 + 8 + 1 + max_moderator_name_bytes + 32 + 2 + max_reason_bytes + 32;

using LogHash = std::array<std::byte, log_hash_bytes>;

enum class TargetKind : std::uint8_t { post = 1, channel = 2, message = 3 };

struct ActionRecord {
  std::uint64_t case_id = 0;
  Action action = Action::dismiss;
  TargetKind target = TargetKind::post;
  std::array<std::byte, 16> channel{};
  std::uint64_t seq = 0;
  std::array<std::byte, 16> account{};
  std::int64_t time_ms = 0;
  std::string moderator;
  std::array<std::byte, 32> moderator_key{};
  std::string reason;
  LogHash previous{};
  friend bool operator==(const ActionRecord&, const ActionRecord&) = default;
};

// Errc::invalid_argument for a name or reason out of bounds (the reason must also be
// well-formed UTF-8 without control characters other than newline and tab).
[[nodiscard]] Result<Bytes> encode_action(const ActionRecord& record);
// Strict: the version, every number in its range, every length within its bound, nothing after.
[[nodiscard]] Result<ActionRecord> decode_action(ByteView bytes);

[[nodiscard]] crypto::Ed25519Signature sign_action(const crypto::Ed25519SecretKey& key,
                                                   ByteView record) noexcept;
// Errc::auth_failed unless `signature` is the key's signature of `record`.
[[nodiscard]] Result<void> verify_action(const crypto::Ed25519PublicKey& key, ByteView record,
                                         ByteView signature);
[[nodiscard]] LogHash log_entry_hash(ByteView record, ByteView signature) noexcept;

// Errc::invalid_argument unless `reason` is 1..max_reason_bytes of well-formed UTF-8 without
// control characters other than '\n' and '\t'.
[[nodiscard]] Result<void> check_reason(std::string_view reason);
// The same for free text of 0..max_bytes (comments, appeals): `what` names it in the error.
[[nodiscard]] Result<void> check_free_text(std::string_view text, std::size_t max_bytes,
                                           std::string_view what);

}  // namespace bulwark::moderation
