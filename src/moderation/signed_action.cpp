#include "moderation/signed_action.h"

#include "common/free_text.h"
#include "common/reader.h"
#include "common/writer.h"
#include "crypto/hash.h"

namespace bulwark::moderation {
namespace {

constexpr std::uint8_t record_version = 1;
constexpr std::string_view action_domain = "bulwark-moderation-action-v1";
constexpr std::string_view log_domain = "bulwark-moderation-log-v1";

}  // namespace

Result<void> check_free_text(std::string_view text, std::size_t max_bytes, std::string_view what) {
  if (text.size() > max_bytes)
    return fail(Errc::invalid_argument,
                std::string(what) + " is too long (at most " + std::to_string(max_bytes) + " bytes)");
  if (!is_free_text(text))
    return fail(Errc::invalid_argument,
                std::string(what) + " must be UTF-8 text without control characters");
  return {};
}

Result<void> check_reason(std::string_view reason) {
  if (reason.empty()) return fail(Errc::invalid_argument, "a reason is required");
  return check_free_text(reason, max_reason_bytes, "the reason");
}

Result<Bytes> encode_action(const ActionRecord& record) {
  if (record.moderator.empty() || record.moderator.size() > max_moderator_name_bytes)
    return fail(Errc::invalid_argument, "a moderator name is 1-64 bytes");
  BULWARK_TRY(check_reason(record.reason));
  Writer out(max_action_record_bytes);
  out.u8(record_version);
  out.u64_be(record.case_id);
  out.u8(static_cast<std::uint8_t>(record.action));
  out.u8(static_cast<std::uint8_t>(record.target));
  out.bytes(record.channel);
  out.u64_be(record.seq);
  out.bytes(record.account);
  out.u64_be(static_cast<std::uint64_t>(record.time_ms));
  out.u8(static_cast<std::uint8_t>(record.moderator.size()));
  out.bytes(as_bytes(record.moderator));
  out.bytes(record.moderator_key);
  out.u16_be(static_cast<std::uint16_t>(record.reason.size()));
  out.bytes(as_bytes(record.reason));
  out.bytes(record.previous);
  return std::move(out).finish();
}

Result<ActionRecord> decode_action(ByteView bytes) {
  if (bytes.size() > max_action_record_bytes)
    return fail(Errc::invalid_length, "moderation action record is too long");
  Reader in(bytes);
  if (BULWARK_TRY(in.u8()) != record_version)
    return fail(Errc::invalid_encoding, "unknown moderation action record version");
  ActionRecord record;
  record.case_id = BULWARK_TRY(in.u64_be());
  auto action = action_from_number(BULWARK_TRY(in.u8()));
  if (!action) return fail(Errc::invalid_encoding, "unknown moderation action");
  record.action = *action;
  const std::uint8_t target = BULWARK_TRY(in.u8());
  if (target < 1 || target > 3) return fail(Errc::invalid_encoding, "unknown moderation target");
  record.target = static_cast<TargetKind>(target);
  record.channel = BULWARK_TRY(in.array<16>());
  record.seq = BULWARK_TRY(in.u64_be());
  record.account = BULWARK_TRY(in.array<16>());
  record.time_ms = static_cast<std::int64_t>(BULWARK_TRY(in.u64_be()));
  const std::uint8_t name_length = BULWARK_TRY(in.u8());
  const ByteView name = BULWARK_TRY(in.bytes(name_length));
  record.moderator.assign(reinterpret_cast<const char*>(name.data()), name.size());
  record.moderator_key = BULWARK_TRY(in.array<32>());
  const std::uint16_t reason_length = BULWARK_TRY(in.u16_be());
  const ByteView reason = BULWARK_TRY(in.bytes(reason_length));
  record.reason.assign(reinterpret_cast<const char*>(reason.data()), reason.size());
  record.previous = BULWARK_TRY(in.array<32>());
  BULWARK_TRY(in.expect_end());
  if (record.moderator.empty() || record.moderator.size() > max_moderator_name_bytes)
    return fail(Errc::invalid_encoding, "a moderator name is 1-64 bytes");
  if (record.time_ms < 0) return fail(Errc::invalid_encoding, "negative action time");
  if (auto checked = check_reason(record.reason); !checked)
    return fail(Errc::invalid_encoding, checked.error().context);
  return record;
}

crypto::Ed25519Signature sign_action(const crypto::Ed25519SecretKey& key, ByteView record) noexcept {
  const Bytes message = concat({as_bytes(action_domain), record});
  return crypto::ed25519_sign(key, message);
}

Result<void> verify_action(const crypto::Ed25519PublicKey& key, ByteView record,
                           ByteView signature) {
  const Bytes message = concat({as_bytes(action_domain), record});
  return crypto::ed25519_verify(key, message, signature);
}

LogHash log_entry_hash(ByteView record, ByteView signature) noexcept {
  return crypto::sha256({as_bytes(log_domain), record, signature});
}

}  // namespace bulwark::moderation
