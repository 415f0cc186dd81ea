// CommitBarrier: makes a PostgreSQL store's unsynced commits durable (Store::sync_commits), on
// a connection of its own because it runs on another thread than the store's.
//
// An unsynced commit (PgDb::begin_transaction_unsynced) returns once its commit record is in
// the server's WAL buffers. sync() commits a tiny transaction that writes one WAL record (a
// logical message), with synchronous_commit = on: the server answers only once the WAL is
// flushed past its commit record, and so past every commit record inserted before it.
//
// The flush proves nothing for a commit whose WAL buffers were lost before it: a server that
// crashed (or reinitialised its shared memory after a backend crashed) and came back. Every
// such event ends every session, so the barrier's own session is the witness: a commit is
// proven by a flush on a session that was already open when that commit was sent. The store
// thread calls note_commit() before each unsynced COMMIT; sync() fails with Errc::unavailable
// (outcome unknown) when any commit it must cover was sent before its current session opened,
// and when its own flush fails; after a failure it opens a new session as soon as its
// reconnection backoff allows (pg/reconnect_backoff.h: at once the first time), so that the
// commits sent from then on can be proven again.
//
// Thread-safe: note_commit() on the store thread, sync() on one syncing thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "store/pg/db.h"

namespace bulwark::store::pg {

class CommitBarrier {
 public:
  // Connects at once: the session must be open before the first commit it is to prove.
  [[nodiscard]] static Result<std::unique_ptr<CommitBarrier>> open(
      const std::string& conninfo, std::chrono::seconds connect_timeout,
      PgSessionLimits limits = {});

  class Key {
    friend class CommitBarrier;
    Key() = default;
  };
  CommitBarrier(Key /*key*/, std::unique_ptr<PgDb> db) noexcept;
  ~CommitBarrier();
  CommitBarrier(const CommitBarrier&) = delete;
  CommitBarrier& operator=(const CommitBarrier&) = delete;

  // An unsynced COMMIT is about to be sent.
  void note_commit() noexcept;
  // Every unsynced commit noted before this call is durable, or Errc::unavailable.
  [[nodiscard]] Result<void> sync();
  // Test hook: the clock its session's reconnection backoff reads (PgDb::set_clock). Before
  // the first sync().
  void set_clock(std::function<ReconnectBackoff::Clock::time_point()> clock) {
    db_->set_clock(std::move(clock));
  }

 private:
  static constexpr std::uint64_t no_commit = std::numeric_limits<std::uint64_t>::max();

  // Opens a new session (the next number) if the last one ended.
  [[nodiscard]] Result<void> open_session();

  std::unique_ptr<PgDb> db_;  // used by sync() only
  std::mutex mutex_;
  // The barrier session's number, counted from 1; it changes only in sync(), under mutex_.
  std::uint64_t session_ = 1;
  // The oldest session any commit noted since the last sync() began was sent under.
  std::uint64_t oldest_noted_ = no_commit;
};

}  // namespace bulwark::store::pg
