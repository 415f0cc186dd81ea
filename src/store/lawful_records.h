// The values the server store holds for lawful requests (store/lawful_store.h, issue 8,
// docs/LAWFUL.md). Plain data: the store keeps documents, signatures and log entries as bytes
// and never interprets them (it does not link the lawful module).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "store/records.h"

namespace bulwark::store {

// An authority whose orders the operator accepts: its name as orders spell it, its
// jurisdiction and its X.509 material as PEM texts (lawful::Authority).
struct LawfulAuthority {
  std::string name;
  std::string jurisdiction;
  std::vector<std::string> anchors;
  std::vector<std::string> intermediates;
  std::vector<std::string> crls;
  std::int64_t updated_ms = 0;
  friend bool operator==(const LawfulAuthority&, const LawfulAuthority&) = default;
};

// pending: verified, waiting for approvals; refused: final, by an operator or at release;
// answered: its answer was logged (answer_index) and may be released.
enum class LawfulOrderState : std::uint8_t { pending = 1, refused = 2, answered = 3 };

// A verified order. Orders that fail verification are not kept: only their refusal is logged.
struct LawfulOrder {
  std::uint64_t id = 0;  // assigned by add_lawful_order, from 1
  std::string authority;
  std::string order_id;  // the authority's own id; (authority, order_id) is unique
  std::string jurisdiction;
  Bytes order_hash;  // 32 bytes: SHA-256 of the document
  Bytes document;
  Bytes signature;  // the detached CMS signature, DER
  LawfulOrderState state = LawfulOrderState::pending;
  std::int64_t received_ms = 0;
  std::int64_t non_disclosure_until_ms = 0;
  std::optional<std::uint64_t> answer_index;  // the disclosure log entry of its answer
  friend bool operator==(const LawfulOrder&, const LawfulOrder&) = default;
};

enum class LawfulDecisionKind : std::uint8_t { approve = 1, refuse = 2 };

// One operator's signed decision on an order; one per operator and order.
struct LawfulDecision {
  std::uint64_t order = 0;
  std::string operator_name;
  Bytes operator_key;  // 32-byte Ed25519 public key, as configured when it was made
  LawfulDecisionKind kind = LawfulDecisionKind::approve;
  Bytes signature;     // 64 bytes, over the order hash (lawful/approval.h)
  std::string reason;  // a refusal's reason; empty for an approval
  std::int64_t time_ms = 0;
  friend bool operator==(const LawfulDecision&, const LawfulDecision&) = default;
};

// An entry of the public disclosure log, with the signed checkpoint of the tree that ends with
// it (size index + 1).
struct LawfulLogEntry {
  std::uint64_t index = 0;
  Bytes entry;       // lawful/log_entry.h
  Bytes leaf_hash;   // 32 bytes: RFC 6962 leaf hash of entry
  std::string checkpoint;
  friend bool operator==(const LawfulLogEntry&, const LawfulLogEntry&) = default;
};

// What lets an account's owner find their own entry once the order's non-disclosure period
// ends: the per-account salt of the salted hash the answer entry committed to.
struct LawfulDisclosure {
  std::uint64_t order = 0;
  AccountId account;
  Bytes salt;  // 32 bytes
  std::uint64_t log_index = 0;
  std::int64_t non_disclosure_until_ms = 0;
  friend bool operator==(const LawfulDisclosure&, const LawfulDisclosure&) = default;
};

}  // namespace bulwark::store
