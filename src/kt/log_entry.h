// The KT log's entries (draft-ietf-keytrans-protocol §11.8): each one commits to the prefix
// tree's root after an epoch's updates, with the time it was published.
//
//   struct { uint64 timestamp; opaque prefix_tree[32]; } LogEntry;
//
// Unlike the draft, the log tree hashes as RFC 6962 (leaf = SHA-256(0x00 || LogEntry)), so
// its tree heads are standard C2SP checkpoints that any tlog witness can follow
// (docs/KEY-TRANSPARENCY.md).
#pragma once

#include <cstdint>

#include "kt/merkle.h"

namespace bulwark::kt {

struct LogEntry {
  std::uint64_t timestamp_ms = 0;  // milliseconds since the Unix epoch
  Hash prefix_root{};
  friend bool operator==(const LogEntry&, const LogEntry&) = default;
};

// RFC 6962 leaf hash of the encoded entry.
[[nodiscard]] Hash log_entry_leaf(const LogEntry& entry);

}  // namespace bulwark::kt
