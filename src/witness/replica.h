// The witness's own copy of the log it follows, rebuilt entry by entry from the log's raw
// entries (witness.h). What the witness knows of the log is exactly what it replayed here, so
// a signed checkpoint whose root is not this copy's root at its size shows a fork or a
// rewrite.
//
// One replica per log kind (log_kind.h):
//  - kt: each entry is kt::encode_audit_entry of the prefix-tree leaves it added, replayed
//    into a kt::Auditor, which also refuses an entry that changes or re-adds a key
//    (docs/KEY-TRANSPARENCY.md §2);
//  - disclosure: a plain RFC 6962 log (kt::LogTree) whose leaf i is kt::leaf_hash(entry i).
//    Every byte string is an entry, so its apply() never fails: a rewritten entry shows only
//    as a root that differs from the one signed or cosigned.
//
// apply() changes nothing unless it succeeds. Errc::invalid_proof means a well-formed entry
// that cannot extend the log replayed so far: the log contradicts its own past, which the
// witness treats as an alarm. Any other error is an entry that does not decode, which proves
// nothing about the log (anyone on the network could send those bytes).
#pragma once

#include <cstdint>
#include <memory>

#include "common/bytes.h"
#include "common/result.h"
#include "kt/merkle.h"
#include "witness/log_kind.h"

namespace bulwark::witness {

class Replica {
 public:
  virtual ~Replica() = default;

  // The number of entries replayed.
  [[nodiscard]] virtual std::uint64_t size() const noexcept = 0;
  // The root of the first `tree_size` entries. Requires tree_size <= size().
  [[nodiscard]] virtual kt::Hash root(std::uint64_t tree_size) const = 0;
  // Replays the next entry (entry size()), as described above.
  [[nodiscard]] virtual Result<void> apply(ByteView entry) = 0;
};

// An empty replica of a log of `kind`.
[[nodiscard]] std::unique_ptr<Replica> make_replica(LogKind kind);

}  // namespace bulwark::witness
