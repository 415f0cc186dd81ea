// The SQLite backend of the server store (store/store.h), the embedded default.
//
// One database file holds everything (DESIGN.md "Data the server holds"). It is opened in WAL
// mode with synchronous=FULL: a method returns only once its writes are durable, and run_batch
// shares one fsync among many sends (group commit). run_batch_unsynced commits with
// synchronous=NORMAL for that one transaction, and sync_commits() fdatasyncs the log
// (store/sqlite/wal_sync.h). Foreign keys are enforced. The file is created owner-only (0600),
// with its parent directory if missing, and migrated to the schema this binary knows
// (store/sqlite/migrations.h); a newer schema is refused.
//
// Semantics beyond store.h that the conformance suite (tests/store/) pins down:
//  - queued() returns at most max_queued_page envelopes, recent_ips() at most max_recent_ips
//    (store/limits.h);
//  - devices() of an unknown account, pre_key_counts() and the prekey setters of an unknown
//    device, and record_ip(), add_device() or enqueue() naming an unknown account or device
//    are Errc::not_found; queued(), queue_length() and delete_envelopes() treat an unknown
//    device as an empty queue;
//  - envelope ids are not checked for uniqueness (the server draws them at random, 128 bits;
//    an index to enforce it cost every enqueue and delete a random page write), so the
//    queue position, not the id, is what delete_envelopes() names;
//  - re-registration keeps the account's creation time and its IP sightings;
//  - kt_pending(), kt_entries() and kt_versions() return at most max_kt_page rows, and a
//    checkpoint keeps at most max_kt_cosignatures witnesses' cosignatures (store/limits.h);
//  - kt_publish checks the sizes its tables rely on (32-byte prefix root, VRF output and
//    commitment, 16-byte opening) and that every version's `entry` is the entry published:
//    Errc::invalid_argument otherwise (store/sql/kt.h);
//  - lawful requests' methods check the sizes their tables rely on, bound their lists and
//    refuse what store/sql/lawful.h lists (an unknown order named by a decision or a
//    disclosure is Errc::not_found; a new authority beyond max_lawful_authorities is
//    Errc::conflict);
//  - run_batch called from inside a job joins the outer transaction; if SQLite itself rolls the
//    batch's transaction back mid-way (some I/O errors do), every job gets Errc::storage;
//  - queued envelopes are kept in memory and journalled in the database (store/hot/hot_queues.h)
//    unless SqliteOptions::memory_queues is off; a journal row that does not decode makes
//    opening fail with Errc::storage.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "common/result.h"
#include "store/hot/hot_queues.h"
#include "store/limits.h"
#include "store/store.h"

namespace bulwark::store {

struct SqliteOptions {
  // How long a statement waits for another connection's lock before Errc::storage.
  std::chrono::milliseconds busy_timeout{5000};
  // Fault injection for tests (STYLE.md "fault loops"): asked before every statement step the
  // store runs, except the rollbacks that undo a failure; returning true fails that step with
  // Errc::storage, as a disk error would. Empty in production.
  std::function<bool()> inject_fault;
  // Test hook: called at the start of every sync_commits() (on the syncing thread); an error
  // it returns is the sync's, as a failed fdatasync would be. Empty in production.
  std::function<Result<void>()> before_sync;
  // Queues in memory, journalled in the database (store/hot/hot_queues.h); off, every envelope
  // is a row of the envelopes table (for comparisons: bulwark-bench-store).
  bool memory_queues = true;
  hot::HotLimits memory_queue_limits;
};

[[nodiscard]] Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& db_file,
                                                               SqliteOptions options = {});

}  // namespace bulwark::store
