// Auditing the KT log: what a witness checks before it cosigns a checkpoint
// (draft-ietf-keytrans-protocol §15.2 Third-Party Auditing, with a witness that keeps the
// whole prefix tree instead of checking batch proofs).
//
// For each log entry the auditor gets the leaves the entry added to the prefix tree. It
// inserts them into its own copy of the tree, which refuses any key already there, so no
// label-version can ever change or disappear; it checks that time does not go backwards;
// and it appends the entry (its timestamp and the resulting prefix root) to its own log.
// A checkpoint is then cosignable only if its root is the root the auditor computed for
// that size. The log the operator claims is thus one in which every prefix tree extends the
// one before it, which is what makes a single greatest-version search sound (kt/search.h).
//
//   struct { uint64 timestamp; PrefixLeaf added<0..2^32-1>; } AuditEntry;
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "kt/log_entry.h"
#include "kt/log_tree.h"
#include "kt/prefix_tree.h"

namespace bulwark::kt {

struct AuditEntry {
  std::uint64_t timestamp_ms = 0;
  std::vector<PrefixLeaf> added;
  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

class Auditor {
 public:
  // Applies the next entry. Errc::invalid_proof, with nothing changed, when the entry
  // re-inserts a key (already in the tree, or twice in the entry) or goes back in time.
  [[nodiscard]] Result<void> apply(const AuditEntry& entry);

  [[nodiscard]] std::uint64_t size() const noexcept { return log_.size(); }
  [[nodiscard]] Hash root() const { return log_.root(); }
  [[nodiscard]] const LogTree& log() const noexcept { return log_; }
  [[nodiscard]] std::size_t leaf_count() const noexcept { return prefix_.size(); }

 private:
  PrefixTree prefix_;
  LogTree log_;
  std::uint64_t last_timestamp_ms_ = 0;
};

}  // namespace bulwark::kt
