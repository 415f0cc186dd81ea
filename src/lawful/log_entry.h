// The entries of the disclosure log (issue 8, docs/LAWFUL.md "The disclosure log"): a public,
// append-only RFC 6962 log, cosigned by witnesses, of everything done with lawful requests.
// Before any data leaves, the answer is an entry here; the release package proves it.
//
// Kinds and what each carries (fields not listed are empty or zero, and the decoder refuses
// anything else):
//   received         an order verified and awaiting approval: order hash, jurisdiction,
//                    authority, requested categories, number of accounts named,
//                    non-disclosure end
//   refused          an order refused for good: order hash (of the document as submitted),
//                    jurisdiction and authority as claimed (empty when unreadable), reason;
//                    for refused_by_operator also the operator's signed refusal and its reason
//   approval         an operator approved: order hash, jurisdiction, authority, the operator's
//                    signed approval
//   attempt_refused  a release or approval was refused and the order stays pending: order
//                    hash, jurisdiction, authority, reason (too_few_approvals,
//                    repeated_approver, order_does_not_verify)
//   answered         the answer, before anything leaves: order hash, jurisdiction, authority,
//                    categories released, categories answered "not held", number of accounts
//                    disclosed, their salted hashes, the approvals, non-disclosure end
//   authority        an operator added or replaced an authority: its name and jurisdiction,
//                    the digest of its anchors, intermediates and CRLs (lawful::trust_digest,
//                    in the order-hash field) and the operator's signature of the change
//
// Wire form (integers big-endian, strings length-prefixed):
//   u8 version (1) | u8 kind | u64 time (s) | 32 order hash | u8 len jurisdiction |
//   u8 len authority | u8 reason | u8 n categories {u8 len name} | u8 n not-held {u8 len name} |
//   u32 account count | u64 non-disclosure end (s) | u8 n signatures {u8 len operator name |
//   32 key | 64 signature} | u16 len operator note | u16 n accounts {32 salted hash}
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "lawful/order_check.h"
#include "lawful/utc_time.h"

namespace bulwark::lawful {

inline constexpr std::size_t max_log_entry_bytes = 64 * 1024;
inline constexpr std::size_t max_entry_signatures = 16;
inline constexpr std::size_t account_salt_bytes = 32;

enum class EntryKind : std::uint8_t {
  received = 1,
  refused = 2,
  approval = 3,
  attempt_refused = 4,
  answered = 5,
  authority = 6,
};

// Why a release or an approval was refused while the order stays pending (attempt_refused).
// order_does_not_verify: at release the order's signature no longer verified for a reason the
// operator can mend (a CRL past its next update, say); the order stays pending.
enum class AttemptRefusal : std::uint8_t {
  too_few_approvals = 1,
  repeated_approver = 2,
  order_does_not_verify = 3,
};

[[nodiscard]] std::string_view entry_kind_name(EntryKind kind);
[[nodiscard]] std::string_view attempt_refusal_name(AttemptRefusal reason);

struct OperatorSignature {
  std::string name;
  std::array<std::byte, 32> key{};
  std::array<std::byte, 64> signature{};
  friend bool operator==(const OperatorSignature&, const OperatorSignature&) = default;
};

using AccountCommitment = std::array<std::byte, 32>;

struct LogEntry {
  EntryKind kind = EntryKind::received;
  Seconds time{};
  OrderHash order_hash{};
  std::string jurisdiction;
  std::string authority;
  std::uint8_t reason = 0;  // RefusalReason (refused) or AttemptRefusal (attempt_refused)
  std::vector<std::string> categories;
  std::vector<std::string> not_held;
  std::uint32_t account_count = 0;
  Seconds non_disclosure_until{};
  std::vector<OperatorSignature> signatures;
  std::string operator_note;  // an operator's refusal reason
  std::vector<AccountCommitment> accounts;
  friend bool operator==(const LogEntry&, const LogEntry&) = default;
};

// The salted hash an answer commits to for one disclosed account: the salt is revealed to the
// account's owner when the order's non-disclosure period ends, and lets them find this entry.
//   SHA-256("bulwark-lawful-account-v1" || salt || u8 len || E.164 phone number)
[[nodiscard]] AccountCommitment account_commitment(ByteView salt, std::string_view phone_number);

// Errc::invalid_argument when the entry breaks its kind's shape above or a bound.
[[nodiscard]] Result<Bytes> encode_log_entry(const LogEntry& entry);
// Strict: what encode_log_entry would write, nothing else (Errc::invalid_encoding, or
// Errc::invalid_length over max_log_entry_bytes).
[[nodiscard]] Result<LogEntry> decode_log_entry(ByteView bytes);

}  // namespace bulwark::lawful
