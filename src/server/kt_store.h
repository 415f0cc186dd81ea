// The KT service's side of the store: conversions between the store's KT records and the kt
// module's types, a blocking store call for the KT thread, and a cursor that reads the whole
// log back in pages on start.
#pragma once

#include <cstdint>
#include <vector>

#include "kt/directory.h"
#include "server/store_executor.h"
#include "store/records.h"

namespace bulwark::server {

// Runs `job` on the store thread and waits for its durable result. Only for threads that
// may block (the KT thread, start-up); never on an I/O thread.
[[nodiscard]] Result<void> run_store_job(StoreExecutor& store, store::Store::Job job);

[[nodiscard]] Result<kt::LogEntry> log_entry_from(const store::KtEntry& entry);
[[nodiscard]] store::KtEntry store_entry_from(std::uint64_t index, const kt::LogEntry& entry,
                                              std::string checkpoint);
[[nodiscard]] std::vector<store::KtVersion> store_versions_from(
    const std::vector<kt::PublishedVersion>& versions);

// Reads entries in order, and for each the versions it published, page by page.
class KtRestoreCursor {
 public:
  // Reads from entry `from` on (a node catching up with the log others published).
  explicit KtRestoreCursor(StoreExecutor& store, std::uint64_t from = 0)
      : store_(store), next_entry_(from), read_entry_(from) {}
  // The next entries, at most `limit` and often fewer (the store bounds its pages): only an
  // empty result means every stored entry was read.
  [[nodiscard]] Result<std::vector<store::KtEntry>> next_entries(std::uint32_t limit);
  // Requires entries asked for in order, each once.
  [[nodiscard]] Result<std::vector<kt::PublishedVersion>> versions_of(std::uint64_t entry);

 private:
  [[nodiscard]] Result<void> refill();

  StoreExecutor& store_;
  std::uint64_t next_entry_;
  // Versions read ahead: those of entries from version_entry_ on.
  std::vector<store::KtVersion> buffer_;
  std::size_t buffer_at_ = 0;
  std::uint64_t read_entry_;  // where the next page starts: entry and versions skipped
  std::uint64_t read_skip_ = 0;
  // The last page was empty: no version was stored from read_entry_ on when it was read. Only
  // true of the entries next_entries() had returned by then; newer ones reset it.
  bool exhausted_ = false;
};

}  // namespace bulwark::server
