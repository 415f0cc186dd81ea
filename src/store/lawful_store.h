// The part of the server's Store that lawful requests use (store/store.h's conventions: every
// method one atomic unit; Errc::not_found, Errc::conflict, Errc::invalid_argument,
// Errc::storage; one thread at a time). Issue 8, docs/LAWFUL.md.
//
// The disclosure log is append-only in the store as well as in the tree: entries are never
// changed or deleted (the SQLite backend refuses both with triggers), so only an edit behind the
// server's back can alter one - which the witnesses and `bulwark-admin transparency verify`
// detect.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/lawful_records.h"
#include "store/records.h"

namespace bulwark::store {

inline constexpr std::uint32_t max_lawful_authorities = 1000;
inline constexpr std::uint32_t max_lawful_page = 200;
// An order names at most 1000 accounts (lawful::max_targets).
inline constexpr std::uint32_t max_lawful_disclosures_per_order = 1000;

class LawfulStore {
 public:
  virtual ~LawfulStore() = default;

  // ---- authorities ----
  // Adds the authority, or replaces the one of that name (new anchors, fresh CRLs).
  [[nodiscard]] virtual Result<void> put_lawful_authority(const LawfulAuthority& authority) = 0;
  // Every authority, by name; at most max_lawful_authorities.
  [[nodiscard]] virtual Result<std::vector<LawfulAuthority>> lawful_authorities() = 0;

  // ---- orders and decisions ----
  // Stores a verified order (its id field is ignored) and returns its id. Errc::conflict when
  // an order with the same authority and order_id is stored: a replay.
  [[nodiscard]] virtual Result<std::uint64_t> add_lawful_order(const LawfulOrder& order) = 0;
  [[nodiscard]] virtual Result<std::optional<LawfulOrder>> lawful_order(std::uint64_t id) = 0;
  // Orders with id > after, in id order, at most `limit` (max_lawful_page).
  [[nodiscard]] virtual Result<std::vector<LawfulOrder>> lawful_orders(std::uint64_t after,
                                                                       std::uint32_t limit) = 0;
  // Sets the state (and answer_index, kept when nullopt). Errc::not_found for an unknown order.
  [[nodiscard]] virtual Result<void> set_lawful_order_state(
      std::uint64_t id, LawfulOrderState state, std::optional<std::uint64_t> answer_index) = 0;
  // Errc::conflict when this operator already decided on this order; Errc::not_found for an
  // unknown order.
  [[nodiscard]] virtual Result<void> add_lawful_decision(const LawfulDecision& decision) = 0;
  // The order's decisions, oldest first.
  [[nodiscard]] virtual Result<std::vector<LawfulDecision>> lawful_decisions(
      std::uint64_t order) = 0;

  // ---- the disclosure log ----
  // Appends the entry; entry.index must be lawful_log_size() (else Errc::conflict).
  [[nodiscard]] virtual Result<void> append_lawful_log(const LawfulLogEntry& entry) = 0;
  [[nodiscard]] virtual Result<std::uint64_t> lawful_log_size() = 0;
  // Entries with index >= from, in order, at most `limit` (max_lawful_page).
  [[nodiscard]] virtual Result<std::vector<LawfulLogEntry>> lawful_log(std::uint64_t from,
                                                                       std::uint32_t limit) = 0;
  // The leaf hashes of entries [0, size), in order, each 32 bytes: the tree, rebuilt.
  [[nodiscard]] virtual Result<std::vector<Bytes>> lawful_leaf_hashes() = 0;
  // Stores a witness's cosignature of the checkpoint of `size`, replacing an earlier one of
  // that witness for that size.
  [[nodiscard]] virtual Result<void> add_lawful_cosignature(const KtCosignature& cosignature) = 0;
  // Every stored cosignature of the checkpoint of `size`, by witness name.
  [[nodiscard]] virtual Result<std::vector<KtCosignature>> lawful_cosignatures(
      std::uint64_t size) = 0;

  // ---- notifications ----
  // Stores every disclosure or none. Errc::conflict when one for the same order and account
  // is stored.
  [[nodiscard]] virtual Result<void> add_lawful_disclosures(
      std::span<const LawfulDisclosure> disclosures) = 0;
  // The account's disclosures whose non-disclosure period ended at or before now_ms, newest
  // log entry first, at most `limit` (max_lawful_page). None before: the store itself never
  // hands out a salt early.
  [[nodiscard]] virtual Result<std::vector<LawfulDisclosure>> lawful_disclosures_for(
      const AccountId& account, std::int64_t now_ms, std::uint32_t limit) = 0;
  // Every disclosure of the order, whatever its non-disclosure period (the release package
  // needs the salts at once); at most max_lawful_disclosures_per_order, by account id.
  [[nodiscard]] virtual Result<std::vector<LawfulDisclosure>> lawful_order_disclosures(
      std::uint64_t order) = 0;
};

}  // namespace bulwark::store
