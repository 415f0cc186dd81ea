#include "server/kt_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <thread>

#include "kt/checkpoint.h"
#include "kt/note.h"
#include "kt/wire.h"
#include "server/kt_store.h"

namespace bulwark::server {
namespace {

constexpr std::uint32_t restore_page = 4096;
constexpr std::uint64_t restore_served_scan = 10'000;

Error unavailable(const char* what) { return Error{Errc::unavailable, what}; }

}  // namespace

KtService::KtService(KtSettings settings, kt::NoteSigner signer, crypto::VrfSecretKey vrf_key,
                     StoreExecutor& store, Clock& clock, Rng& rng)
    : settings_(std::move(settings)),
      log_signer_(std::move(signer)),
      directory_(vrf_key.clone()),
      vrf_key_(std::move(vrf_key)),
      store_(store),
      clock_(clock),
      rng_(rng) {}

Result<std::unique_ptr<KtService>> KtService::start(KtSettings settings, KtKeys keys,
                                                    StoreExecutor& store, Clock& clock, Rng& rng) {
  if (settings.quorum > settings.witnesses.size()) {
    return fail(Errc::invalid_argument, "kt: the quorum exceeds the configured witnesses");
  }
  auto signer = kt::NoteSigner::create(settings.origin, std::move(keys.log_key));
  if (!signer) {
    return fail(
        Errc::invalid_argument,
        "kt: origin '" + settings.origin + "' is not a valid checkpoint origin (no spaces or '+')");
  }
  std::unique_ptr<KtService> service(new KtService(std::move(settings), std::move(*signer),
                                                   std::move(keys.vrf_key), store, clock, rng));
  service->node_id_ = Bytes(16);
  rng.fill(service->node_id_);
  BULWARK_TRY(service->restore());
  service->thread_ = std::thread([raw = service.get()] { raw->run(); });
  return service;
}

KtService::~KtService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Bytes KtService::vrf_public_key() const { return to_bytes(directory_.vrf_public_key().bytes()); }

std::vector<std::string> KtService::witness_vkeys() const {
  std::vector<std::string> vkeys;
  for (const auto& witness : settings_.witnesses) vkeys.push_back(witness.vkey());
  return vkeys;
}

std::uint64_t KtService::now_ms() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
          .count());
}

Result<void> KtService::store_job(store::Store::Job job) {
  return run_store_job(store_, std::move(job));
}

std::string KtService::checkpoint_text(std::uint64_t size) const {
  return kt::checkpoint_body(
      kt::Checkpoint{settings_.origin, size, directory_.log().root(size), {}});
}

std::string KtService::signed_checkpoint(std::uint64_t size,
                                         const std::vector<kt::NoteSignature>& cosignatures) const {
  const std::string text = checkpoint_text(size);
  kt::Note note{text, {log_signer_.sign(text)}};
  note.signatures.insert(note.signatures.end(), cosignatures.begin(), cosignatures.end());
  return kt::format_note(note);
}

// ---- restore ----

Result<std::optional<kt::Note>> KtService::apply_stored_entries() {
  KtRestoreCursor cursor(store_, directory_.size());
  std::optional<kt::Note> newest_stored;
  for (;;) {
    const auto entries = BULWARK_TRY(cursor.next_entries(restore_page));
    for (const store::KtEntry& entry : entries) {
      const auto versions = BULWARK_TRY(cursor.versions_of(entry.index));
      const kt::LogEntry log_entry = BULWARK_TRY(log_entry_from(entry));
      const auto restored = directory_.restore(log_entry, versions);
      if (!restored) {
        return fail(Errc::invalid_proof, "kt: the log in the store does not verify at entry " +
                                             std::to_string(entry.index) + " (" +
                                             restored.error().context + "); refusing to serve it");
      }
      // The checkpoint stored with the entry must be of this log. Its signature is checked for
      // the newest entry only (by the callers): the server re-signs whatever it serves, so what
      // the check catches is a key that no longer matches the log, and one signature shows it.
      const auto note = kt::parse_note(entry.checkpoint);
      if (!note || note->text != checkpoint_text(entry.index + 1)) {
        return fail(Errc::invalid_proof, "kt: the stored checkpoint " +
                                             std::to_string(entry.index + 1) +
                                             " is not a checkpoint of the stored log");
      }
      newest_stored = *note;
    }
    if (entries.empty()) break;  // a short page is not the end: the store bounds its pages
  }
  if (newest_stored && !log_signer_verifies(*newest_stored)) {
    return fail(Errc::invalid_proof,
                "kt: the stored checkpoint " + std::to_string(directory_.size()) +
                    " is not this server's signature of its log (was DATA_DIR/kt replaced?)");
  }
  return newest_stored;
}

Result<void> KtService::restore() {
  const auto newest = BULWARK_TRY(apply_stored_entries());
  published_size_ = directory_.size();
  if (newest) {
    std::lock_guard lock(notes_mutex_);
    newest_note_ = signed_checkpoint(directory_.size(), {});
  }
  BULWARK_TRY(restore_served());
  spdlog::info("key transparency: log '{}' of {} entries restored, {} served", settings_.origin,
               directory_.size(), directory_.served_size());
  return {};
}

Result<void> KtService::follow() {
  const std::uint64_t before = directory_.size();
  auto applied = apply_stored_entries();
  // Entries appended before a failure (a later page unreadable) are in the store: keep them,
  // and finish serving them at the next epoch.
  if (directory_.size() != before) follow_unfinished_ = true;
  if (!applied) return tl::unexpected(applied.error());
  if (!follow_unfinished_) return {};
  published_size_ = directory_.size();
  {
    std::lock_guard lock(notes_mutex_);
    newest_note_ = signed_checkpoint(directory_.size(), {});
  }
  // What the witnesses cosigned (through any node) decides what is served, as on a restart.
  cosigned_.clear();
  BULWARK_TRY(restore_served());
  follow_unfinished_ = false;
  return {};
}

bool KtService::log_signer_verifies(const kt::Note& note) const {
  const auto verifier = kt::NoteVerifier::from_vkey(log_signer_.vkey());
  return verifier && verifier->verify(note).has_value();
}

// The newest size that has cosignatures from a quorum of the configured witnesses, and the
// cosignatures of the sizes above it, which still count towards their quorum. Among the newest
// restore_served_scan sizes only (one query each; witnesses keep up within seconds, and a log
// whose last cosigned checkpoint is older than that waits for the next cosignatures).
Result<void> KtService::restore_served() {
  if (settings_.quorum == 0) {
    serve(directory_.size());
    return {};
  }
  const std::uint64_t oldest =
      directory_.size() > restore_served_scan ? directory_.size() - restore_served_scan : 0;
  std::uint64_t served = 0;
  for (std::uint64_t size = directory_.size(); size > oldest && served == 0; --size) {
    auto stored = std::make_shared<std::vector<store::KtCosignature>>();
    store::Store::Job read = [size, stored](store::Store& store) -> Result<void> {
      *stored = BULWARK_TRY(store.kt_cosignatures(size));
      return {};
    };
    BULWARK_TRY(store_job(std::move(read)));
    std::vector<std::pair<std::string, kt::NoteSignature>> valid;
    for (const store::KtCosignature& cosignature : *stored) {
      const auto witness = verify_cosignature_line(size, cosignature.signature_line);
      if (witness) valid.push_back(*witness);
    }
    if (valid.empty()) continue;
    if (valid.size() >= settings_.quorum) served = size;
    if (size == directory_.size()) show_newest_cosignatures(size, valid);
    cosigned_.emplace_back(size, std::move(valid));
  }
  serve(served);
  return {};
}

// ---- the thread ----

bool KtService::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

bool KtService::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || tasks_.size() >= settings_.max_queued) return false;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void KtService::run() {
  auto next_tick = std::chrono::steady_clock::now() + settings_.epoch;
  for (;;) {
    std::deque<std::function<void()>> tasks;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_tick, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) break;
      tasks.swap(tasks_);
    }
    for (auto& task : tasks) task();
    const auto now = std::chrono::steady_clock::now();
    if (now < next_tick) continue;
    next_tick = std::max(next_tick + settings_.epoch, now);
    static_cast<void>(tick());
  }
  // Whatever was still queued is answered, not dropped.
  std::lock_guard lock(mutex_);
  for (auto& task : tasks_) task();
  tasks_.clear();
}

Result<void> KtService::rebuild_from_store(std::string_view why) {
  spdlog::warn("key transparency: {}; rebuilding the log from the store", why);
  directory_ = kt::Directory(vrf_key_.clone());
  pending_.reset();
  cosigned_.clear();
  if (auto restored = restore(); !restored) {
    failed_ = true;
    spdlog::error(
        "key transparency: the rebuild failed ({}). No more entries are published or "
        "followed until a restart",
        restored.error().describe());
    return restored;
  }
  return {};
}

Result<void> KtService::publish_or_stop() {
  if (failed_) return tl::unexpected(unavailable("kt: failed"));
  auto published = publish_entry();
  // In a shared log, another node's entry at our index means the lease moved while ours was
  // unstored (a publisher slowed past its lease): ours was never served, so drop it and take
  // the store's log.
  if (!published && settings_.shared_log && published.error().code == Errc::conflict) {
    return rebuild_from_store("another node stored the entry this one was publishing");
  }
  if (!published) {
    failed_ = true;
    spdlog::error(
        "key transparency: {}. No more entries are published until a restart "
        "rebuilds the log from the store",
        published.error().describe());
  }
  return published;
}

Result<bool> KtService::take_publisher_lease() {
  const auto now = static_cast<std::int64_t>(now_ms());
  const std::int64_t until = now + settings_.publisher_lease.count();
  auto held = std::make_shared<bool>(false);
  store::Store::Job take = [held, now, until,
                            node = node_id_](store::Store& store) -> Result<void> {
    *held = BULWARK_TRY(store.take_lease("kt-publisher", node, now, until));
    return {};
  };
  BULWARK_TRY(store_job(std::move(take)));
  return *held;
}

Result<void> KtService::tick() {
  if (!settings_.shared_log) return publish_or_stop();
  if (failed_) return tl::unexpected(unavailable("kt: failed"));
  // The lease first, then the catching up: entries a previous holder stored before its lease
  // ran out are all in the store by the time another node gets the lease.
  const auto lease = take_publisher_lease();
  if (!lease) {
    spdlog::warn(
        "key transparency: could not ask for the publisher lease ({}); this epoch "
        "waits for the next",
        lease.error().describe());
    return {};
  }
  if (publishing_.exchange(*lease) != *lease) {
    spdlog::info("key transparency: this node {} the log's publisher",
                 *lease ? "is now" : "is no longer");
  }
  // An entry of ours still pending is ahead of everything stored: offer it again first. Only
  // the lease holder may; another node publishing that index instead shows as a conflict.
  if (pending_) {
    if (*lease) return publish_or_stop();
    // Never served: the store's log, which the new holder extends, is the log.
    BULWARK_TRY(rebuild_from_store("the publisher lease passed to another node while entry " +
                                   std::to_string(pending_->entry.index) + " was not stored"));
  }
  if (auto followed = follow(); !followed) {
    if (followed.error().code == Errc::unavailable && !store_.failed()) {
      // Nothing is ahead of the store: what was appended is stored; the next epoch goes on.
      spdlog::warn(
          "key transparency: could not read the log others published ({}); this epoch "
          "waits for the next",
          followed.error().describe());
      return {};
    }
    failed_ = true;
    spdlog::error(
        "key transparency: {}. No more entries are published or followed until a "
        "restart rebuilds the log from the store",
        followed.error().describe());
    return followed;
  }
  if (!*lease) return {};
  return publish_or_stop();
}

Result<void> KtService::tick_now() {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  if (!post([this, promise] { promise->set_value(tick()); })) {
    return tl::unexpected(unavailable("kt: the service is busy or stopping"));
  }
  return future.get();
}

Result<void> KtService::publish_now() {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  if (!post([this, promise] { promise->set_value(publish_or_stop()); })) {
    return tl::unexpected(unavailable("kt: the service is busy or stopping"));
  }
  return future.get();
}

Result<void> KtService::publish_entry() {
  if (pending_) return store_pending_entry();
  auto pending = std::make_shared<std::vector<store::KtPendingUpdate>>();
  const std::uint32_t limit = settings_.max_updates_per_entry;
  store::Store::Job read = [pending, limit](store::Store& store) -> Result<void> {
    *pending = BULWARK_TRY(store.kt_pending(0, limit));
    return {};
  };
  const auto read_result = store_job(std::move(read));
  // A store too busy to take the read is a skipped tick, not a failure: nothing changed yet.
  if (!read_result && read_result.error().code == Errc::unavailable && !store_.failed()) {
    spdlog::warn("key transparency: the store is busy; this epoch's entry waits for the next");
    return {};
  }
  BULWARK_TRY(read_result);
  for (const store::KtPendingUpdate& update : *pending) {
    kt::Opening opening{};
    rng_.fill(opening);
    const std::uint32_t version = directory_.next_version(update.label);
    auto prepared = directory_.prepare(update.label, version, update.value, opening);
    // Handlers validate records before queueing them; one that slipped through is dropped
    // (and consumed), never allowed to block the log.
    if (!prepared || !directory_.add(std::move(*prepared))) {
      spdlog::error("key transparency: dropped an unpublishable queued update");
    }
  }
  const std::uint64_t last_time =
      directory_.size() == 0 ? 0 : directory_.entry(directory_.size() - 1).timestamp_ms;
  const auto published = directory_.publish(std::max(now_ms(), last_time));
  const std::uint64_t size = directory_.size();
  // From here the log in memory is ahead of the store, until the entry is stored.
  pending_ = PendingEntry{
      store_entry_from(size - 1, published.entry, signed_checkpoint(size, {})),
      std::make_shared<std::vector<store::KtVersion>>(store_versions_from(published.versions)),
      pending->empty() ? 0 : pending->back().seq};
  return store_pending_entry();
}

Result<bool> KtService::pending_entry_is_stored() {
  auto stored = std::make_shared<std::vector<store::KtEntry>>();
  store::Store::Job read = [stored,
                            index = pending_->entry.index](store::Store& store) -> Result<void> {
    *stored = BULWARK_TRY(store.kt_entries(index, 1));
    return {};
  };
  BULWARK_TRY(store_job(std::move(read)));
  return stored->size() == 1 && stored->front() == pending_->entry;
}

Result<void> KtService::store_pending_entry() {
  const PendingEntry& pending = *pending_;
  // Keep offering the write while the store is merely busy (its queue full under load) or its
  // database is away; after an epoch of that the entry waits for the next one.
  const auto deadline = std::chrono::steady_clock::now() + settings_.epoch;
  for (;;) {
    auto stored = store_job([entry = pending.entry, versions = pending.versions,
                             consumed = pending.consumed](store::Store& store) {
      return store.kt_publish(entry, *versions, consumed);
    });
    // An earlier try whose outcome was unknown may have stored it after all.
    if (!stored && stored.error().code == Errc::conflict) {
      auto ours = pending_entry_is_stored();
      if (ours && *ours) stored = Result<void>{};
      if (!ours && ours.error().code == Errc::unavailable) stored = tl::unexpected(ours.error());
    }
    if (stored) break;
    if (stored.error().code != Errc::unavailable || store_.failed() || stopping()) return stored;
    if (std::chrono::steady_clock::now() > deadline) {
      spdlog::warn(
          "key transparency: entry {} could not be stored yet ({}); offered again next "
          "epoch",
          pending.entry.index, stored.error().describe());
      return {};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::uint64_t size = pending.entry.index + 1;
  published_size_ = size;
  {
    std::lock_guard lock(notes_mutex_);
    newest_note_ = pending.entry.checkpoint;
  }
  pending_.reset();
  if (settings_.quorum == 0) serve(size);
  return {};
}

void KtService::serve(std::uint64_t size) {
  if (size == 0) return;
  if (size > directory_.served_size()) directory_.serve_up_to(size);
  served_size_ = size;
  std::vector<kt::NoteSignature> lines;
  for (const auto& [cosigned_size, witnesses] : cosigned_) {
    if (cosigned_size != size) continue;
    for (const auto& [name, signature] : witnesses) lines.push_back(signature);
  }
  served_note_ = signed_checkpoint(size, lines);
  std::erase_if(cosigned_, [size](const auto& item) { return item.first < size; });
}

// ---- cosignatures ----

std::optional<std::pair<std::string, kt::NoteSignature>> KtService::verify_cosignature_line(
    std::uint64_t size, const std::string& line) const {
  if (size == 0 || size > directory_.size()) return std::nullopt;
  const auto note = kt::parse_note(checkpoint_text(size) + "\n" + line + "\n");
  if (!note || note->signatures.size() != 1) return std::nullopt;
  for (const kt::CosignerKey& witness : settings_.witnesses) {
    if (kt::verify_cosignature(witness, *note)) {
      return std::pair{witness.name(), note->signatures[0]};
    }
  }
  return std::nullopt;
}

Result<void> KtService::accept_cosignature(std::uint64_t size, const std::string& line) {
  if (size == 0 || size > directory_.size()) {
    return fail(Errc::invalid_argument, "kt: no checkpoint of that size");
  }
  const auto witness = verify_cosignature_line(size, line);
  if (!witness) {
    return fail(Errc::auth_failed, "kt: not a configured witness's cosignature of that checkpoint");
  }
  const store::KtCosignature stored{size, witness->first, line,
                                    static_cast<std::int64_t>(now_ms())};
  BULWARK_TRY(
      store_job([stored](store::Store& store) { return store.kt_add_cosignature(stored); }));
  if (size < directory_.served_size()) return {};
  auto it = std::find_if(cosigned_.begin(), cosigned_.end(),
                         [size](const auto& item) { return item.first == size; });
  if (it == cosigned_.end()) it = cosigned_.insert(cosigned_.end(), {size, {}});
  std::erase_if(it->second, [&](const auto& item) { return item.first == witness->first; });
  it->second.push_back(*witness);
  // A copy: serve() erases the smaller sizes from cosigned_, which moves this size's element.
  const Cosignatures witnesses = it->second;
  if (witnesses.size() >= settings_.quorum) serve(size);
  show_newest_cosignatures(size, witnesses);
  return {};
}

void KtService::show_newest_cosignatures(std::uint64_t size, const Cosignatures& witnesses) {
  if (size != directory_.size()) return;
  std::vector<kt::NoteSignature> lines;
  for (const auto& [name, signature] : witnesses) lines.push_back(signature);
  std::lock_guard lock(notes_mutex_);
  newest_note_ = signed_checkpoint(size, lines);
}

// ---- requests ----

bool KtService::search(Bytes label, std::uint64_t last_size,
                       std::function<void(Result<SearchAnswer>)> done) {
  return post([this, label = std::move(label), last_size, done = std::move(done)] {
    const std::uint64_t served = directory_.served_size();
    if (served == 0) {
      return done(
          tl::unexpected(unavailable("the key-transparency log has no cosigned checkpoint yet")));
    }
    const std::optional<std::uint64_t> from = last_size > 0 && last_size <= served
                                                  ? std::optional<std::uint64_t>(last_size)
                                                  : std::nullopt;
    const auto proof = directory_.search(label, from);
    if (!proof) return done(tl::unexpected(proof.error()));
    auto encoded = kt::encode_search_proof(*proof);
    if (!encoded) return done(tl::unexpected(encoded.error()));
    done(SearchAnswer{served_note_, std::move(*encoded)});
  });
}

bool KtService::served_checkpoint(std::uint64_t last_size,
                                  std::function<void(Result<CheckpointAnswer>)> done) {
  return post([this, last_size, done = std::move(done)] {
    const std::uint64_t served = directory_.served_size();
    if (served == 0) {
      return done(
          tl::unexpected(unavailable("the key-transparency log has no cosigned checkpoint yet")));
    }
    CheckpointAnswer answer{served_note_, {}};
    if (last_size > 0 && last_size < served) {
      answer.consistency = directory_.log().consistency_proof(last_size, served);
    }
    done(std::move(answer));
  });
}

bool KtService::audit_entry(std::uint64_t index, std::function<void(Result<Bytes>)> done) {
  return post([this, index, done = std::move(done)] {
    if (index >= directory_.size()) {
      return done(tl::unexpected(Error{Errc::not_found, "kt: no entry of that index"}));
    }
    done(kt::encode_audit_entry(directory_.audit_entry(index)));
  });
}

bool KtService::add_cosignature(std::uint64_t size, std::string line,
                                std::function<void(Result<void>)> done) {
  return post([this, size, line = std::move(line), done = std::move(done)] {
    done(accept_cosignature(size, line));
  });
}

std::optional<std::string> KtService::newest_checkpoint() const {
  std::lock_guard lock(notes_mutex_);
  if (newest_note_.empty()) return std::nullopt;
  return newest_note_;
}

}  // namespace bulwark::server
