// KtService: the server's key-transparency log (docs/KEY-TRANSPARENCY.md), on a thread of its
// own.
//
// Account changes queue their new signed account record in the store, in the same
// transaction as the change. Every `epoch` (even when nothing changed) the service takes the
// queued records, computes their VRF search keys and commitments, appends a log entry, signs
// the checkpoint and stores all of it in one store job; only then do witnesses see it. Once
// `quorum` of the configured witnesses have cosigned a checkpoint, searches are answered
// against it: clients accept nothing less. With no witnesses configured (quorum 0) each
// checkpoint is served as soon as it is stored.
//
// On start the log is rebuilt from the store and every stored entry is re-verified against
// its stored prefix root and signed checkpoint: a database edited behind the server's back,
// or keys that no longer match the stored log, stop the server with an error instead of
// serving a log that clients would then see fork.
//
// In a cluster (KtSettings::shared_log) every node keeps the whole log in memory and answers
// searches, but only the holder of the store's "kt-publisher" lease publishes; the others append
// what it stored, every epoch, checking it as a restart does. Should two nodes ever publish
// the same entry (a holder slowed past its lease), the store refuses the second; that node's
// entry was never served, so it drops it and rebuilds its copy of the log from the store.
//
// Once an entry is appended in memory, the in-memory log is ahead of the store until the entry
// is stored. A store that is merely unavailable (busy, or PostgreSQL restarting: Errc::unavailable)
// leaves the entry pending: nothing is served from it, and each later epoch first offers the
// same entry again (no new entry is made meanwhile). A retry that finds the entry already
// stored (the earlier commit went through but its answer was lost) takes it as stored; the
// store's own entry at that index being different, or any other failure, means the in-memory
// log can no longer be reconciled: the service stops publishing (failed()) and keeps answering
// from what was already served, until a restart rebuilds it from the store. Reading the store
// (the lease, catching up) while it is unavailable skips the epoch. Bounded: at most max_queued
// requests wait for the thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/rng.h"
#include "crypto/vrf.h"
#include "kt/cosignature.h"
#include "kt/directory.h"
#include "kt/note.h"
#include "kt/note_ed25519.h"
#include "server/kt_keys.h"
#include "server/store_executor.h"

namespace bulwark::server {

struct KtSettings {
  std::string origin;
  std::chrono::milliseconds epoch{1000};
  std::vector<kt::CosignerKey> witnesses;
  std::size_t quorum = 0;
  std::size_t max_queued = 4096;
  std::uint32_t max_updates_per_entry = 100'000;
  // Cluster mode (issue 10): several nodes share the store, and so the log. Each epoch a node
  // first appends what the others published, then publishes only if it holds the
  // "kt-publisher" lease (store.h "leases") for `publisher_lease`: one publisher at a time,
  // and another node takes over within a lease after it dies.
  bool shared_log = false;
  std::chrono::milliseconds publisher_lease{5000};
};

class KtService {
 public:
  struct SearchAnswer {
    std::string checkpoint;  // the served checkpoint, signed and cosigned
    Bytes proof;             // kt::encode_search_proof
  };
  struct CheckpointAnswer {
    std::string checkpoint;
    std::vector<kt::Hash> consistency;
  };

  // Rebuilds the log from the store (blocking; before the server listens) and starts the
  // thread.
  [[nodiscard]] static Result<std::unique_ptr<KtService>> start(KtSettings settings, KtKeys keys,
                                                                StoreExecutor& store, Clock& clock,
                                                                Rng& rng);
  ~KtService();
  KtService(const KtService&) = delete;
  KtService& operator=(const KtService&) = delete;

  // What clients pin (immutable, any thread).
  [[nodiscard]] const std::string& origin() const noexcept { return settings_.origin; }
  [[nodiscard]] std::string log_vkey() const { return log_signer_.vkey(); }
  [[nodiscard]] Bytes vrf_public_key() const;
  [[nodiscard]] std::vector<std::string> witness_vkeys() const;
  [[nodiscard]] std::size_t quorum() const noexcept { return settings_.quorum; }

  // Asynchronous, answered on the KT thread (`done` must only post elsewhere). False when the
  // queue is full or the service is stopping.
  [[nodiscard]] bool search(Bytes label, std::uint64_t last_size,
                            std::function<void(Result<SearchAnswer>)> done);
  [[nodiscard]] bool served_checkpoint(std::uint64_t last_size,
                                       std::function<void(Result<CheckpointAnswer>)> done);
  [[nodiscard]] bool audit_entry(std::uint64_t index, std::function<void(Result<Bytes>)> done);
  // A witness's cosignature line for the checkpoint of `size`: Errc::auth_failed when no
  // configured witness made it, Errc::invalid_argument for a size the log does not have.
  [[nodiscard]] bool add_cosignature(std::uint64_t size, std::string line,
                                     std::function<void(Result<void>)> done);

  // The newest checkpoint with the cosignatures it has so far, for witnesses (any thread).
  [[nodiscard]] std::optional<std::string> newest_checkpoint() const;
  [[nodiscard]] std::uint64_t size() const noexcept { return published_size_.load(); }
  [[nodiscard]] std::uint64_t served_size() const noexcept { return served_size_.load(); }
  [[nodiscard]] bool failed() const noexcept { return failed_.load(); }

  // Publishes an entry now instead of at the next tick and waits for it to be stored (tests).
  [[nodiscard]] Result<void> publish_now();
  // Runs the next epoch's work now and waits for it (tests): in a shared log, catching up and
  // publishing only under the lease; otherwise publish_now().
  [[nodiscard]] Result<void> tick_now();
  // Whether this node held the publisher lease at its last tick (a shared log; tests, metrics).
  [[nodiscard]] bool publishing() const noexcept { return publishing_.load(); }

 private:
  KtService(KtSettings settings, kt::NoteSigner signer, crypto::VrfSecretKey vrf_key,
            StoreExecutor& store, Clock& clock, Rng& rng);

  [[nodiscard]] Result<void> restore();
  // Appends the stored entries from directory_.size() on, checking each as restore() does;
  // returns the newest one's checkpoint, if any was added.
  [[nodiscard]] Result<std::optional<kt::Note>> apply_stored_entries();
  // A shared log's catching up: the entries others published, and what is served.
  [[nodiscard]] Result<void> follow();
  // One epoch's work: publish_or_stop(), or in a shared log follow() and, under the lease,
  // publish.
  [[nodiscard]] Result<void> tick();
  [[nodiscard]] Result<bool> take_publisher_lease();
  // A shared log whose in-memory copy holds an entry the store will never have: starts over
  // from the store, as a restart would (failed() if that fails).
  [[nodiscard]] Result<void> rebuild_from_store(std::string_view why);
  [[nodiscard]] Result<void> restore_served();
  [[nodiscard]] bool post(std::function<void()> task);
  [[nodiscard]] bool stopping();
  void run();
  [[nodiscard]] Result<void> publish_entry();
  // Offers the pending entry to the store (for up to one epoch while it is unavailable); once
  // stored it is published. OK with the entry still pending when the store stays unavailable.
  [[nodiscard]] Result<void> store_pending_entry();
  // After a conflict: whether the store's entry at the pending entry's index is that entry.
  [[nodiscard]] Result<bool> pending_entry_is_stored();
  // publish_entry unless the service failed; a failure marks it failed (the in-memory log may
  // then be ahead of the store).
  [[nodiscard]] Result<void> publish_or_stop();
  [[nodiscard]] Result<void> store_job(store::Store::Job job);
  [[nodiscard]] std::string signed_checkpoint(
      std::uint64_t size, const std::vector<kt::NoteSignature>& cosignatures) const;
  [[nodiscard]] bool log_signer_verifies(const kt::Note& note) const;
  // The configured witness whose valid cosignature of checkpoint `size` `line` is.
  [[nodiscard]] std::optional<std::pair<std::string, kt::NoteSignature>> verify_cosignature_line(
      std::uint64_t size, const std::string& line) const;
  [[nodiscard]] std::string checkpoint_text(std::uint64_t size) const;
  [[nodiscard]] Result<void> accept_cosignature(std::uint64_t size, const std::string& line);
  using Cosignatures = std::vector<std::pair<std::string, kt::NoteSignature>>;
  // Makes the newest checkpoint show `witnesses`' cosignatures if `size` is the newest size.
  void show_newest_cosignatures(std::uint64_t size, const Cosignatures& witnesses);
  void serve(std::uint64_t size);
  [[nodiscard]] std::uint64_t now_ms() const;

  KtSettings settings_;
  kt::NoteSigner log_signer_;
  kt::Directory directory_;
  crypto::VrfSecretKey vrf_key_;  // a copy, for rebuild_from_store
  StoreExecutor& store_;
  Clock& clock_;
  Rng& rng_;

  // Valid cosignatures (witness name, signature) of the served size and of larger ones that
  // have not reached the quorum yet. Touched only on the KT thread.
  std::vector<std::pair<std::uint64_t, Cosignatures>> cosigned_;
  std::string served_note_;
  // An entry appended in memory but not yet known to be stored (see the header comment).
  struct PendingEntry {
    store::KtEntry entry;
    std::shared_ptr<std::vector<store::KtVersion>> versions;
    std::uint64_t consumed = 0;  // the queued updates it takes, through this seq
  };
  std::optional<PendingEntry> pending_;
  // follow() found new entries but did not finish serving them (the store went away).
  bool follow_unfinished_ = false;

  mutable std::mutex notes_mutex_;
  std::string newest_note_;  // guarded by notes_mutex_
  std::atomic<std::uint64_t> published_size_{0};
  std::atomic<std::uint64_t> served_size_{0};
  std::atomic<bool> failed_{false};
  std::atomic<bool> publishing_{false};
  Bytes node_id_;  // this process's name in the publisher lease (random per start)

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::thread thread_;
};

}  // namespace bulwark::server
