#include "kt/audit.h"

#include <algorithm>

namespace bulwark::kt {

Result<void> Auditor::apply(const AuditEntry& entry) {
  if (entry.timestamp_ms < last_timestamp_ms_) {
    return fail(Errc::invalid_proof, "audit: log entry older than the one before");
  }
  // Check every key before inserting any, so a refused entry leaves the tree as it was.
  std::vector<Hash> keys;
  keys.reserve(entry.added.size());
  for (const PrefixLeaf& leaf : entry.added) keys.push_back(leaf.vrf_output);
  std::sort(keys.begin(), keys.end());
  if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
    return fail(Errc::invalid_proof, "audit: a key added twice in one entry");
  }
  for (const Hash& key : keys) {
    if (prefix_.find(key)) {
      return fail(Errc::invalid_proof, "audit: an entry changes a key already in the tree");
    }
  }
  for (const PrefixLeaf& leaf : entry.added) {
    if (!prefix_.insert(leaf.vrf_output, leaf.commitment)) {
      contract_violation("kt::Auditor: insert refused after its check");
    }
  }
  log_.append(log_entry_leaf(LogEntry{entry.timestamp_ms, prefix_.root()}));
  last_timestamp_ms_ = entry.timestamp_ms;
  return {};
}

}  // namespace bulwark::kt
