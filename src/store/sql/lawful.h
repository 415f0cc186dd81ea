// Lawful requests' persistent state in SQL (store/lawful_store.h, migrations.cpp version 9).
// lawful_orders.cpp holds authorities, orders and operators' decisions; lawful_log.cpp the
// disclosure log, its witness cosignatures and the disclosures accounts are told of.
//
// Invariants the tables keep: an authority name, an (authority, order_id) pair and an
// (order, operator) pair are each stored at most once; every decision and disclosure names a
// stored order; log entries are numbered 0, 1, 2, ... without gaps and are never changed or
// deleted (append_lawful_log adds only the next one; triggers refuse UPDATE and DELETE); there
// are at most store::max_lawful_authorities authorities and store::max_kt_cosignatures
// witnesses per checkpoint size; every hash, key and salt stored is 32 bytes and every
// operator signature 64.
//
// Semantics beyond store/lawful_store.h that the conformance suite (tests/store/) pins down:
//  - put_lawful_authority refuses an empty name (Errc::invalid_argument) and a new authority
//    once store::max_lawful_authorities are stored (Errc::conflict), so lawful_authorities()
//    returns every one;
//  - add_lawful_decision and add_lawful_disclosures naming an unknown order are Errc::not_found;
//  - lawful_decisions() lists decisions in the order they were stored;
//  - lawful_cosignatures() orders by witness name; add_lawful_cosignature refuses an empty name
//    or a size beyond 2^63 - 1 (Errc::invalid_argument), as kt_add_cosignature does;
//  - every value the tables key or count by must fit SQL's signed 64-bit integers (ids, log
//    indexes, answer indexes): Errc::invalid_argument otherwise; reads beyond them find nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/lawful_records.h"
#include "store/records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

// The sizes the schema relies on.
inline constexpr std::size_t lawful_hash_bytes = 32;       // order hashes, leaf hashes
inline constexpr std::size_t lawful_key_bytes = 32;        // operators' Ed25519 public keys
inline constexpr std::size_t lawful_signature_bytes = 64;  // operators' Ed25519 signatures
inline constexpr std::size_t lawful_salt_bytes = 32;       // disclosures' salts

// ---- lawful_orders.cpp ----
[[nodiscard]] Result<void> put_lawful_authority(Db& db, const LawfulAuthority& authority);
// By name, byte-wise.
[[nodiscard]] Result<std::vector<LawfulAuthority>> lawful_authorities(Db& db);
// Errc::invalid_argument for an order hash that is not 32 bytes, an unknown state or an
// answer index beyond 2^63 - 1; Errc::conflict for a replay.
[[nodiscard]] Result<std::uint64_t> add_lawful_order(Db& db, const LawfulOrder& order);
[[nodiscard]] Result<std::optional<LawfulOrder>> lawful_order(Db& db, std::uint64_t id);
// At most store::max_lawful_page orders, whatever `limit` asks for.
[[nodiscard]] Result<std::vector<LawfulOrder>> lawful_orders(Db& db, std::uint64_t after,
                                                             std::uint32_t limit);
// Errc::invalid_argument for an unknown state or an answer index beyond 2^63 - 1.
[[nodiscard]] Result<void> set_lawful_order_state(Db& db, std::uint64_t id, LawfulOrderState state,
                                                  std::optional<std::uint64_t> answer_index);
// Errc::invalid_argument for an empty operator name, a key that is not 32 bytes, a signature
// that is not 64 or an unknown kind.
[[nodiscard]] Result<void> add_lawful_decision(Db& db, const LawfulDecision& decision);
[[nodiscard]] Result<std::vector<LawfulDecision>> lawful_decisions(Db& db, std::uint64_t order);

// ---- lawful_log.cpp ----
// Errc::invalid_argument for a leaf hash that is not 32 bytes.
[[nodiscard]] Result<void> append_lawful_log(Db& db, const LawfulLogEntry& entry);
[[nodiscard]] Result<std::uint64_t> lawful_log_size(Db& db);
// At most store::max_lawful_page entries, whatever `limit` asks for.
[[nodiscard]] Result<std::vector<LawfulLogEntry>> lawful_log(Db& db, std::uint64_t from,
                                                             std::uint32_t limit);
[[nodiscard]] Result<std::vector<Bytes>> lawful_leaf_hashes(Db& db);
// Errc::conflict for a new witness when the size already has store::max_kt_cosignatures.
[[nodiscard]] Result<void> add_lawful_cosignature(Db& db, const KtCosignature& cosignature);
[[nodiscard]] Result<std::vector<KtCosignature>> lawful_cosignatures(Db& db, std::uint64_t size);
// All or nothing. Errc::invalid_argument for a salt that is not 32 bytes or a log index beyond
// 2^63 - 1; Errc::conflict for a pair already stored or repeated in `disclosures`.
[[nodiscard]] Result<void> add_lawful_disclosures(Db& db,
                                                  std::span<const LawfulDisclosure> disclosures);
// At most store::max_lawful_page disclosures, whatever `limit` asks for.
[[nodiscard]] Result<std::vector<LawfulDisclosure>> lawful_disclosures_for(Db& db,
                                                                           const AccountId& account,
                                                                           std::int64_t now_ms,
                                                                           std::uint32_t limit);
[[nodiscard]] Result<std::vector<LawfulDisclosure>> lawful_order_disclosures(Db& db,
                                                                             std::uint64_t order);

}  // namespace bulwark::store::sql
