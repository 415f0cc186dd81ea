#include "lawful/log_entry.h"

#include <algorithm>
#include <set>

#include "common/reader.h"
#include "common/writer.h"
#include "crypto/hash.h"
#include "lawful/approval.h"
#include "lawful/category.h"
#include "lawful/order.h"

namespace bulwark::lawful {
namespace {

constexpr std::uint8_t entry_version = 1;
constexpr std::string_view account_domain = "bulwark-lawful-account-v1";

tl::unexpected<Error> bad_shape(std::string_view why) {
  return fail(Errc::invalid_argument, "disclosure log entry: " + std::string(why));
}

bool valid_categories(const std::vector<std::string>& names) {
  const std::set<std::string> distinct(names.begin(), names.end());
  return names.size() <= max_categories && distinct.size() == names.size() &&
         std::all_of(names.begin(), names.end(),
                     [](const std::string& name) { return is_category_name(name); });
}

bool valid_signatures(const std::vector<OperatorSignature>& signatures) {
  std::set<std::string> names;
  for (const OperatorSignature& signature : signatures)
    if (!is_operator_name(signature.name) || !names.insert(signature.name).second) return false;
  return signatures.size() <= max_entry_signatures;
}

bool seconds_in_range(Seconds time) { return time.time_since_epoch().count() >= 0; }

// What every kind requires of the fields it does not use.
bool only_uses(const LogEntry& entry, bool categories, bool counts, bool signatures, bool note) {
  return (categories || (entry.categories.empty() && entry.not_held.empty())) &&
         (counts || (entry.account_count == 0 && entry.accounts.empty() &&
                     entry.non_disclosure_until == Seconds{})) &&
         (signatures || entry.signatures.empty()) && (note || entry.operator_note.empty());
}

Result<void> check_kind(const LogEntry& entry) {
  switch (entry.kind) {
    case EntryKind::received:
      if (entry.reason != 0 || !only_uses(entry, true, true, false, false) ||
          entry.categories.empty() || !entry.not_held.empty() || !entry.accounts.empty() ||
          entry.account_count == 0 || entry.account_count > max_targets)
        return bad_shape("a received order names its categories and accounts, nothing else");
      return {};
    case EntryKind::refused: {
      const bool by_operator =
          entry.reason == static_cast<std::uint8_t>(RefusalReason::refused_by_operator);
      if (entry.reason < 1 || entry.reason > 8 || !only_uses(entry, false, false, true, true) ||
          (by_operator ? entry.signatures.size() != 1 || !is_refusal_reason(entry.operator_note)
                       : !entry.signatures.empty() || !entry.operator_note.empty()))
        return bad_shape("a refusal carries a reason, and an operator's refusal its signature");
      return {};
    }
    case EntryKind::approval:
      if (entry.reason != 0 || !only_uses(entry, false, false, true, false) ||
          entry.signatures.size() != 1)
        return bad_shape("an approval carries one operator's signature, nothing else");
      return {};
    case EntryKind::attempt_refused:
      if (entry.reason < 1 || entry.reason > 3 || !only_uses(entry, false, false, false, false))
        return bad_shape("a refused attempt carries its reason, nothing else");
      return {};
    case EntryKind::authority:
      if (entry.reason != 0 || !only_uses(entry, false, false, true, false) ||
          entry.signatures.size() != 1)
        return bad_shape("an authority change carries one operator's signature, nothing else");
      return {};
    case EntryKind::answered: {
      const bool releases = !entry.categories.empty();
      if (entry.reason != 0 || !only_uses(entry, true, true, true, false) ||
          (!releases && entry.not_held.empty()) ||
          !std::all_of(entry.categories.begin(), entry.categories.end(), is_releasable) ||
          std::any_of(entry.not_held.begin(), entry.not_held.end(), is_releasable) ||
          entry.account_count != entry.accounts.size() || entry.accounts.size() > max_targets ||
          (!releases && !entry.accounts.empty()) || releases == entry.signatures.empty())
        return bad_shape(
            "an answer releases only phone numbers and IP addresses, to the accounts it "
            "commits to, under the approvals it carries");
      return {};
    }
  }
  return bad_shape("unknown kind");
}

Result<void> check_shape(const LogEntry& entry) {
  if (!seconds_in_range(entry.time) || !seconds_in_range(entry.non_disclosure_until))
    return bad_shape("a time before 1970");
  const bool claims_may_be_empty = entry.kind == EntryKind::refused;
  if ((entry.jurisdiction.empty() && !claims_may_be_empty) ||
      (!entry.jurisdiction.empty() && !is_jurisdiction_code(entry.jurisdiction)))
    return bad_shape("the jurisdiction is not an ISO 3166 code");
  if ((entry.authority.empty() && !claims_may_be_empty) ||
      (!entry.authority.empty() && !is_authority_name(entry.authority)))
    return bad_shape("the authority's name is not one an order may give");
  if (!valid_categories(entry.categories) || !valid_categories(entry.not_held))
    return bad_shape("categories must be distinct names of [a-z0-9_]");
  if (!valid_signatures(entry.signatures))
    return bad_shape("at most 16 signatures, by distinct operator names");
  if (entry.operator_note.size() > max_refusal_reason_bytes)
    return bad_shape("an operator's note is at most 1000 bytes");
  return check_kind(entry);
}

void write_text8(Writer& out, std::string_view text) {
  out.u8(static_cast<std::uint8_t>(text.size()));
  out.bytes(as_bytes(text));
}

void write_names(Writer& out, const std::vector<std::string>& names) {
  out.u8(static_cast<std::uint8_t>(names.size()));
  for (const std::string& name : names) write_text8(out, name);
}

Result<std::string> read_text(Reader& in, std::size_t length) {
  const ByteView bytes = BULWARK_TRY(in.bytes(length));
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Result<std::string> read_text8(Reader& in) {
  const std::uint8_t length = BULWARK_TRY(in.u8());
  return read_text(in, length);
}

Result<std::vector<std::string>> read_names(Reader& in) {
  const std::uint8_t count = BULWARK_TRY(in.u8());
  std::vector<std::string> names;
  for (std::uint8_t i = 0; i < count; ++i) {
    std::string name = BULWARK_TRY(read_text8(in));
    names.push_back(std::move(name));
  }
  return names;
}

Result<Seconds> read_seconds(Reader& in) {
  const std::uint64_t value = BULWARK_TRY(in.u64_be());
  if (value > static_cast<std::uint64_t>(INT64_MAX))
    return fail(Errc::invalid_encoding, "disclosure log entry: a time out of range");
  return Seconds{std::chrono::seconds(static_cast<std::int64_t>(value))};
}

}  // namespace

std::string_view entry_kind_name(EntryKind kind) {
  switch (kind) {
    case EntryKind::received:
      return "received";
    case EntryKind::refused:
      return "refused";
    case EntryKind::approval:
      return "approval";
    case EntryKind::attempt_refused:
      return "attempt_refused";
    case EntryKind::answered:
      return "answered";
    case EntryKind::authority:
      return "authority";
  }
  return "unknown";
}

std::string_view attempt_refusal_name(AttemptRefusal reason) {
  switch (reason) {
    case AttemptRefusal::too_few_approvals:
      return "too_few_approvals";
    case AttemptRefusal::repeated_approver:
      return "repeated_approver";
    case AttemptRefusal::order_does_not_verify:
      return "order_does_not_verify";
  }
  return "unknown";
}

AccountCommitment account_commitment(ByteView salt, std::string_view phone_number) {
  const std::byte length{
      static_cast<std::uint8_t>(std::min<std::size_t>(phone_number.size(), 255))};
  const auto digest = crypto::sha256(
      {as_bytes(account_domain), salt, ByteView(&length, 1), as_bytes(phone_number)});
  AccountCommitment out{};
  std::copy(digest.begin(), digest.end(), out.begin());
  return out;
}

Result<Bytes> encode_log_entry(const LogEntry& entry) {
  BULWARK_TRY(check_shape(entry));
  Writer out(max_log_entry_bytes);
  out.u8(entry_version);
  out.u8(static_cast<std::uint8_t>(entry.kind));
  out.u64_be(static_cast<std::uint64_t>(entry.time.time_since_epoch().count()));
  out.bytes(entry.order_hash);
  write_text8(out, entry.jurisdiction);
  write_text8(out, entry.authority);
  out.u8(entry.reason);
  write_names(out, entry.categories);
  write_names(out, entry.not_held);
  out.u32_be(entry.account_count);
  out.u64_be(static_cast<std::uint64_t>(entry.non_disclosure_until.time_since_epoch().count()));
  out.u8(static_cast<std::uint8_t>(entry.signatures.size()));
  for (const OperatorSignature& signature : entry.signatures) {
    write_text8(out, signature.name);
    out.bytes(signature.key);
    out.bytes(signature.signature);
  }
  out.u16_be(static_cast<std::uint16_t>(entry.operator_note.size()));
  out.bytes(as_bytes(entry.operator_note));
  out.u16_be(static_cast<std::uint16_t>(entry.accounts.size()));
  for (const AccountCommitment& account : entry.accounts) out.bytes(account);
  auto encoded = std::move(out).finish();
  if (!encoded) return fail(Errc::invalid_argument, "disclosure log entry: over 64 KiB");
  return encoded;
}

Result<LogEntry> decode_log_entry(ByteView bytes) {
  if (bytes.size() > max_log_entry_bytes)
    return fail(Errc::invalid_length, "disclosure log entry: over 64 KiB");
  Reader in(bytes);
  if (BULWARK_TRY(in.u8()) != entry_version)
    return fail(Errc::invalid_encoding, "disclosure log entry: unknown version");
  LogEntry entry;
  const std::uint8_t kind = BULWARK_TRY(in.u8());
  if (kind < 1 || kind > 6)
    return fail(Errc::invalid_encoding, "disclosure log entry: unknown kind");
  entry.kind = static_cast<EntryKind>(kind);
  entry.time = BULWARK_TRY(read_seconds(in));
  entry.order_hash = BULWARK_TRY(in.array<32>());
  entry.jurisdiction = BULWARK_TRY(read_text8(in));
  entry.authority = BULWARK_TRY(read_text8(in));
  entry.reason = BULWARK_TRY(in.u8());
  entry.categories = BULWARK_TRY(read_names(in));
  entry.not_held = BULWARK_TRY(read_names(in));
  entry.account_count = BULWARK_TRY(in.u32_be());
  entry.non_disclosure_until = BULWARK_TRY(read_seconds(in));
  const std::uint8_t signatures = BULWARK_TRY(in.u8());
  for (std::uint8_t i = 0; i < signatures; ++i) {
    OperatorSignature signature;
    signature.name = BULWARK_TRY(read_text8(in));
    signature.key = BULWARK_TRY(in.array<32>());
    signature.signature = BULWARK_TRY(in.array<64>());
    entry.signatures.push_back(std::move(signature));
  }
  const std::uint16_t note_bytes = BULWARK_TRY(in.u16_be());
  entry.operator_note = BULWARK_TRY(read_text(in, note_bytes));
  const std::uint16_t accounts = BULWARK_TRY(in.u16_be());
  if (accounts > in.remaining() / 32)
    return fail(Errc::invalid_encoding, "disclosure log entry: truncated account list");
  for (std::uint16_t i = 0; i < accounts; ++i) {
    const AccountCommitment account = BULWARK_TRY(in.array<32>());
    entry.accounts.push_back(account);
  }
  BULWARK_TRY(in.expect_end());
  if (auto shape = check_shape(entry); !shape)
    return fail(Errc::invalid_encoding, shape.error().context);
  return entry;
}

}  // namespace bulwark::lawful
