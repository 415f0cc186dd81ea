// The operator's side of key transparency: labels (account ids) with versioned values,
// published in log entries, with search proofs and audit entries for any entry published.
//
// An update gets the label's next version, a fresh commitment opening and its VRF search
// key when it arrives (`prepare` is const and thread-safe, so callers can compute VRF
// outputs for a large batch on several threads); `publish` appends it in the next log
// entry, which happens on a fixed cadence whether or not anything changed.
//
// Searches are answered against the *served* size, not the newest entry: clients accept
// only checkpoints that enough witnesses cosigned, and witnesses cosign an entry some time
// after it is published. So the directory keeps a second prefix tree at the served size and
// `serve_up_to` replays published entries into it once their checkpoint has its
// cosignatures. (Twice the prefix-tree memory, which is simpler and cheaper than a
// persistent tree with old versions.)
//
// Everything a restart needs is in PublishedVersion and LogEntry records, which `restore`
// replays and re-verifies against the stored prefix roots without the VRF.
//
// Not thread-safe beyond `prepare`: the server serialises calls.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "crypto/vrf.h"
#include "kt/audit.h"
#include "kt/commitment.h"
#include "kt/log_tree.h"
#include "kt/prefix_tree.h"
#include "kt/search.h"

namespace bulwark::kt {

// One version of one label, as the store keeps it.
struct PublishedVersion {
  Bytes label;
  std::uint32_t version = 0;
  Opening opening{};
  Bytes value;
  PrefixLeaf leaf;  // search key (VRF output) and commitment
  std::uint64_t entry = 0;  // the log entry that published it (set by publish)
};

class Directory {
 public:
  explicit Directory(crypto::VrfSecretKey vrf_key);

  [[nodiscard]] const crypto::VrfPublicKey& vrf_public_key() const noexcept { return vrf_public_; }

  // The version the label's next update gets (published and pending ones counted).
  [[nodiscard]] std::uint32_t next_version(ByteView label) const;
  // Computes an update's search key and commitment. Errc::invalid_argument for a label or
  // value beyond the bounds of kt/commitment.h.
  [[nodiscard]] Result<PublishedVersion> prepare(ByteView label, std::uint32_t version,
                                                 ByteView value, const Opening& opening) const;
  // Queues a prepared update for the next entry. Errc::conflict unless it is the label's
  // next version.
  [[nodiscard]] Result<void> add(PublishedVersion update);
  // prepare + add with a random opening; returns the version.
  [[nodiscard]] Result<std::uint32_t> update(ByteView label, ByteView value, Rng& rng);

  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }
  struct PublishedEntry {
    LogEntry entry;
    std::vector<PublishedVersion> versions;  // what the store keeps for restore()
  };
  // Appends the next log entry with every pending update. Requires timestamps that never go
  // back (contract).
  PublishedEntry publish(std::uint64_t timestamp_ms);
  // Replays a stored entry and the versions it published. Errc::invalid_proof when they are
  // out of order, repeat a key or hold a value that does not match its commitment (nothing
  // changed then), or when the replayed prefix root is not the stored one (the store was
  // altered; the directory is then unusable).
  [[nodiscard]] Result<void> restore(const LogEntry& entry,
                                     std::span<const PublishedVersion> versions);

  // Makes the first `size` entries the ones searches are answered against. Requires
  // served_size() <= size <= size().
  void serve_up_to(std::uint64_t size);
  [[nodiscard]] std::uint64_t served_size() const noexcept { return served_size_; }

  [[nodiscard]] std::uint64_t size() const noexcept { return log_.size(); }
  [[nodiscard]] const LogTree& log() const noexcept { return log_; }
  [[nodiscard]] const LogEntry& entry(std::uint64_t index) const;

  // The greatest-version search proof for `label` against the served size, with consistency
  // from `from_size` when given (0 < from_size <= served_size()). Errc::not_found for a
  // label without a version in the served entries; Errc::invalid_argument for a bad
  // from_size.
  [[nodiscard]] Result<SearchProof> search(ByteView label,
                                           std::optional<std::uint64_t> from_size);
  // What entry `index` added, for auditors. Requires index < size().
  [[nodiscard]] AuditEntry audit_entry(std::uint64_t index) const;

 private:
  struct LabelVersions {
    std::vector<PublishedVersion> published;
    std::uint32_t pending = 0;
  };
  void insert_versions(std::span<const PublishedVersion> versions);
  void append_entry(const LogEntry& entry);
  [[nodiscard]] Result<void> check_restorable(const LogEntry& entry,
                                              std::span<const PublishedVersion> versions) const;

  crypto::VrfSecretKey vrf_key_;
  crypto::VrfPublicKey vrf_public_;
  PrefixTree prefix_;  // every published entry
  PrefixTree served_;  // the first served_size_ entries
  std::uint64_t served_size_ = 0;
  LogTree log_;
  std::vector<LogEntry> entries_;
  std::vector<std::size_t> entry_leaf_end_;  // prefix-tree leaves added by entries [0, i]
  std::vector<PublishedVersion> pending_;
  std::unordered_map<std::string, LabelVersions> labels_;
};

}  // namespace bulwark::kt
