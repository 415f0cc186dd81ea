#include "kt/audit.h"

#include <algorithm>

namespace bulwark::kt {

Result<void> Auditor::apply(const AuditEntry& entry) {
  if (entry.timestamp_ms < last_timestamp_ms_) {
    return fail(Errc::invalid_proof, "audit: log entry older than the one before");
  }
  // Check every key before inserting any, so a refused entry leaves the tree as it was. In key
  // order: consecutive walks then share the top of their paths in cache.
  std::vector<PrefixLeaf> sorted = entry.added;
  std::sort(sorted.begin(), sorted.end(), [](const PrefixLeaf& a, const PrefixLeaf& b) {
    return a.vrf_output < b.vrf_output;
  });
  const auto same_key = [](const PrefixLeaf& a, const PrefixLeaf& b) {
    return a.vrf_output == b.vrf_output;
  };
  if (std::adjacent_find(sorted.begin(), sorted.end(), same_key) != sorted.end()) {
    return fail(Errc::invalid_proof, "audit: a key added twice in one entry");
  }
  for (const PrefixLeaf& leaf : sorted) {
    if (prefix_.find(leaf.vrf_output)) {
      return fail(Errc::invalid_proof, "audit: an entry changes a key already in the tree");
    }
  }
  for (const PrefixLeaf& leaf : sorted) {
    if (!prefix_.insert(leaf.vrf_output, leaf.commitment)) {
      contract_violation("kt::Auditor: insert refused after its check");
    }
  }
  log_.append(log_entry_leaf(LogEntry{entry.timestamp_ms, prefix_.root()}));
  last_timestamp_ms_ = entry.timestamp_ms;
  return {};
}

}  // namespace bulwark::kt
