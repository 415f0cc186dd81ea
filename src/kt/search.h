// Greatest-version search proofs: what a client gets to trust a label's current value
// (draft-ietf-keytrans-protocol §6 and §13.1 SearchResponse, simplified as
// docs/KEY-TRANSPARENCY.md explains).
//
// The proof is against the newest log entry of a checkpoint: a binary ladder of VRF proofs
// and commitments for the label's versions, one batched prefix proof of those lookups in
// that entry's prefix tree, the entry's inclusion in the checkpoint's log, and consistency
// from the last checkpoint the client trusted. Witnesses only cosign a checkpoint after
// checking that every prefix tree extends the previous one (kt/audit.h), so a version once
// shown to anyone is in every later tree: the greatest version a client sees is the one
// every other client, the owner included, sees too.
//
//   struct { opaque proof[80]; optional<HashValue> commitment; } BinaryLadderStep;
//   struct { uint64 tree_size; uint32 version; opaque opening[16];
//            opaque value<0..2^32-1>; BinaryLadderStep binary_ladder<0..2^8-1>;
//            uint64 timestamp; PrefixProof prefix; HashValue inclusion<0..2^8-1>;
//            HashValue consistency<0..2^8-1>; } SearchProof;
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/vrf.h"
#include "kt/checkpoint.h"
#include "kt/commitment.h"
#include "kt/prefix_proof.h"

namespace bulwark::kt {

struct LadderStep {
  crypto::VrfProof proof{};
  std::optional<Hash> commitment;  // for versions below the target only
  friend bool operator==(const LadderStep&, const LadderStep&) = default;
};

struct SearchProof {
  std::uint64_t tree_size = 0;
  std::uint32_t version = 0;
  Opening opening{};
  Bytes value;
  std::vector<LadderStep> ladder;
  std::uint64_t timestamp_ms = 0;
  PrefixProof prefix;
  std::vector<Hash> inclusion;
  std::vector<Hash> consistency;
  friend bool operator==(const SearchProof&, const SearchProof&) = default;
};

// A log size and root the client verified before (its last accepted checkpoint).
struct LogView {
  std::uint64_t size = 0;
  Hash root{};
  friend bool operator==(const LogView&, const LogView&) = default;
};

struct SearchResult {
  std::uint32_t version = 0;
  Bytes value;
  std::uint64_t timestamp_ms = 0;  // of the log entry the proof is against
};

// The label's greatest version and its value, if `proof` shows them against `checkpoint`
// (whose signatures the caller has verified) and `checkpoint` extends `previous`.
// Errc::invalid_proof for anything else: a ladder that does not fit the version, a VRF proof
// that does not verify (auth_failed), a lookup that does not lead to the entry's prefix root,
// an entry not at the end of the log, a checkpoint older than or inconsistent with
// `previous`.
[[nodiscard]] Result<SearchResult> verify_search(const crypto::VrfPublicKey& vrf_key,
                                                 ByteView label, const Checkpoint& checkpoint,
                                                 const std::optional<LogView>& previous,
                                                 const SearchProof& proof);

// Errc::invalid_proof unless `checkpoint` equals `previous` or extends it by `proof`.
[[nodiscard]] Result<void> verify_log_extends(const std::optional<LogView>& previous,
                                              const Checkpoint& checkpoint,
                                              std::span<const Hash> proof);

}  // namespace bulwark::kt
