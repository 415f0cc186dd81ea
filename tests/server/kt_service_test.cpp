// KtService (server/kt_service.h) against a real SQLite store in a temporary directory, with a
// fake clock and a seeded rng. The epoch is an hour, so the timer never fires during a test:
// entries are published by publish_now(), and the asynchronous calls are awaited through
// promises fulfilled on the KT thread.
#include "server/kt_service.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "crypto/vrf.h"
#include "kt/audit.h"
#include "kt/checkpoint.h"
#include "kt/checkpoint_policy.h"
#include "kt/cosignature.h"
#include "kt/note.h"
#include "kt/note_ed25519.h"
#include "kt/search.h"
#include "kt/wire.h"
#include "server/kt_keys.h"
#include "server/kt_store.h"
#include "server/support/kt_support.h"
#include "store/limits.h"
#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/seeded_rng.h"

namespace bulwark::server {
namespace {

using kt_support::wait_for;

constexpr std::uint64_t cosign_time = 1'700'000'100;

Bytes label_of(std::uint8_t n) { return Bytes(16, std::byte{n}); }

// Distinct labels beyond label_of's 256: n in the first four bytes.
Bytes numbered_kt_label(std::uint32_t n) {
  Bytes label(16, std::byte{0xa5});
  for (std::size_t i = 0; i < 4; ++i) label[i] = static_cast<std::byte>(n >> (8 * i));
  return label;
}

struct WitnessKey {
  std::string name;
  crypto::Ed25519KeyPair pair;
};

// Fails the Nth store statement step after arm(), once: a disk error at one point of a job.
class FaultPlan {
 public:
  void arm(int nth) {
    countdown_ = nth;
    armed_ = true;
  }
  // Whether the fault fired since arm().
  bool disarm() {
    armed_ = false;
    return countdown_.load() < 0;
  }
  [[nodiscard]] bool fire() { return armed_.load() && countdown_.fetch_sub(1) == 0; }

 private:
  std::atomic<bool> armed_{false};
  std::atomic<int> countdown_{0};
};

struct VerifiedSearch {
  kt::TrustedCheckpoint trusted;
  kt::SearchResult found;
};

class KtServiceTest : public ::testing::Test {
 protected:
  KtServiceTest() {
    for (const char* name : {"witness.test/one", "witness.test/two", "stranger.test/three"}) {
      witness_keys_.push_back(WitnessKey{name, crypto::ed25519_keypair(rng_)});
    }
  }
  ~KtServiceTest() override { shut_down(); }

  [[nodiscard]] std::filesystem::path db_file() const { return dir_.path() / "bulwark.db"; }

  // The first `witnesses` witness keys configured, `quorum` of them required.
  [[nodiscard]] KtSettings settings(std::size_t witnesses = 0, std::size_t quorum = 0) const {
    KtSettings settings;
    settings.origin = "kt.bulwark.test/log";
    settings.epoch = std::chrono::hours(1);
    for (std::size_t i = 0; i < witnesses; ++i) {
      settings.witnesses.push_back(
          kt::CosignerKey::create(witness_keys_[i].name, witness_keys_[i].pair.public_key).value());
    }
    settings.quorum = quorum;
    return settings;
  }

  void open_store() {
    store::SqliteOptions options;
    options.inject_fault = [this] { return faults_.fire(); };
    store_ = std::make_unique<StoreExecutor>(
        store::open_sqlite_store(db_file(), std::move(options)).value());
  }

  [[nodiscard]] Result<std::unique_ptr<KtService>> start(KtSettings settings,
                                                         const std::string& keys_dir = "kt") {
    if (!store_) open_store();
    auto keys = BULWARK_TRY(load_or_create_kt_keys(dir_.path() / keys_dir, rng_));
    return KtService::start(std::move(settings), std::move(keys), *store_, clock_, rng_);
  }

  // Starts the service, which the test requires to succeed.
  void boot(KtSettings settings) {
    auto started = start(std::move(settings));
    ASSERT_TRUE(started) << started.error().describe();
    service_ = std::move(*started);
  }

  // Stops the service and closes the store (releasing its lock on the database file).
  void shut_down() {
    service_.reset();
    store_.reset();
  }

  void restart(KtSettings settings) {
    shut_down();
    boot(std::move(settings));
  }

  void queue(const Bytes& label, const Bytes& value) {
    const auto queued = run_store_job(*store_, [&](store::Store& store) -> Result<void> {
      BULWARK_TRY(store.kt_queue_update(label, value));
      return {};
    });
    ASSERT_TRUE(queued) << queued.error().describe();
  }

  // Queues `count` distinct labels' first values in one store job (one transaction: a
  // registration burst without one fsync per account).
  void queue_numbered(std::uint32_t count) {
    const auto queued = run_store_job(*store_, [count](store::Store& store) -> Result<void> {
      for (std::uint32_t n = 0; n < count; ++n) {
        BULWARK_TRY(store.kt_queue_update(numbered_kt_label(n), numbered_kt_label(n + count)));
      }
      return {};
    });
    ASSERT_TRUE(queued) << queued.error().describe();
  }

  // Publishes an entry and keeps the body of its checkpoint, for witnesses to cosign.
  void publish() {
    const auto published = service_->publish_now();
    ASSERT_TRUE(published) << published.error().describe();
    bodies_.push_back(newest_body());
  }

  [[nodiscard]] kt::Note newest_note() const {
    const auto newest = service_->newest_checkpoint();
    if (!newest) return {};
    return kt::parse_note(*newest).value();
  }
  [[nodiscard]] std::string newest_body() const { return newest_note().text; }
  [[nodiscard]] const std::string& body_of(std::uint64_t size) const {
    return bodies_.at(size - 1);
  }
  // What a client that accepted the checkpoint of `size` remembers.
  [[nodiscard]] kt::LogView view_of(std::uint64_t size) const {
    return kt::LogView{size, kt::parse_checkpoint_body(body_of(size)).value().root};
  }

  [[nodiscard]] std::string cosignature(std::size_t witness, const std::string& body) const {
    const WitnessKey& key = witness_keys_[witness];
    return kt::format_signature_line(kt::cosign(key.pair.secret_key, key.name, body, cosign_time));
  }

  [[nodiscard]] Result<void> add_cosignature(std::uint64_t size, std::string line) {
    return wait_for<void>([&](auto done) {
      return service_->add_cosignature(size, std::move(line), std::move(done));
    });
  }
  // Both configured witnesses cosign the checkpoint of `size`.
  void cosign_by_both(std::uint64_t size) {
    for (std::size_t witness : {0u, 1u}) {
      const auto added = add_cosignature(size, cosignature(witness, body_of(size)));
      ASSERT_TRUE(added) << added.error().describe();
    }
  }

  [[nodiscard]] Result<KtService::SearchAnswer> search(const Bytes& label,
                                                       std::uint64_t last_size = 0) {
    return wait_for<KtService::SearchAnswer>(
        [&](auto done) { return service_->search(label, last_size, std::move(done)); });
  }
  [[nodiscard]] Result<KtService::CheckpointAnswer> served_checkpoint(std::uint64_t last_size = 0) {
    return wait_for<KtService::CheckpointAnswer>(
        [&](auto done) { return service_->served_checkpoint(last_size, std::move(done)); });
  }
  [[nodiscard]] Result<Bytes> audit_entry(std::uint64_t index) {
    return wait_for<Bytes>(
        [&](auto done) { return service_->audit_entry(index, std::move(done)); });
  }

  // What a client pins from the service's configuration.
  [[nodiscard]] kt::CheckpointPolicy policy() const {
    kt::CheckpointPolicy policy{service_->origin(),
                                kt::NoteVerifier::from_vkey(service_->log_vkey()).value(),
                                {},
                                service_->quorum()};
    for (const std::string& vkey : service_->witness_vkeys()) {
      policy.witnesses.push_back(kt::CosignerKey::from_vkey(vkey).value());
    }
    return policy;
  }

  // A search as a client makes it: the checkpoint must satisfy the policy and the proof must
  // verify against it (and extend `previous`).
  [[nodiscard]] Result<VerifiedSearch> verified_search(
      const Bytes& label, const std::optional<kt::LogView>& previous = std::nullopt) {
    const auto answer = BULWARK_TRY(search(label, previous ? previous->size : 0));
    auto trusted = BULWARK_TRY(kt::verify_checkpoint(policy(), answer.checkpoint));
    const auto proof = BULWARK_TRY(kt::decode_search_proof(answer.proof));
    const auto vrf_key = BULWARK_TRY(crypto::VrfPublicKey::from_bytes(service_->vrf_public_key()));
    auto found =
        BULWARK_TRY(kt::verify_search(vrf_key, label, trusted.checkpoint, previous, proof));
    return VerifiedSearch{std::move(trusted), std::move(found)};
  }

  // The served checkpoint as a client sees it.
  [[nodiscard]] kt::TrustedCheckpoint trusted_served() {
    const auto answer = served_checkpoint();
    EXPECT_TRUE(answer) << answer.error().describe();
    if (!answer) return {};
    const auto trusted = kt::verify_checkpoint(policy(), answer->checkpoint);
    EXPECT_TRUE(trusted) << trusted.error().describe();
    return trusted.value_or(kt::TrustedCheckpoint{});
  }

  kt_support::TempDir dir_;
  bulwark::testing::FakeClock clock_;
  bulwark::testing::SeededRng rng_{2024};
  std::vector<WitnessKey> witness_keys_;
  FaultPlan faults_;
  std::unique_ptr<StoreExecutor> store_;
  std::unique_ptr<KtService> service_;
  std::vector<std::string> bodies_;  // checkpoint bodies by size - 1
};

// ---- publishing and searching ----

TEST_F(KtServiceTest, QueuedRecordsArePublishedAndSearchesVerifyToTheirBytes) {
  boot(settings());
  const Bytes alice = kt_support::signed_account_record(rng_);
  const Bytes bob = kt_support::signed_account_record(rng_);
  queue(label_of(1), alice);
  queue(label_of(2), bob);
  EXPECT_EQ(service_->size(), 0u);
  publish();
  EXPECT_EQ(service_->size(), 1u);

  const auto found = verified_search(label_of(1));
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->found.version, 0u);
  EXPECT_EQ(found->found.value, alice);
  EXPECT_EQ(found->trusted.checkpoint.size, 1u);
  EXPECT_EQ(found->trusted.checkpoint.origin, "kt.bulwark.test/log");
  EXPECT_EQ(verified_search(label_of(2)).value().found.value, bob);

  const auto unknown = search(label_of(3));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::not_found);
}

TEST_F(KtServiceTest, SearchesBeforeAnythingIsServedAreUnavailable) {
  boot(settings());
  EXPECT_FALSE(service_->newest_checkpoint());
  const auto searched = search(label_of(1));
  ASSERT_FALSE(searched);
  EXPECT_EQ(searched.error().code, Errc::unavailable);
  const auto checkpoint = served_checkpoint();
  ASSERT_FALSE(checkpoint);
  EXPECT_EQ(checkpoint.error().code, Errc::unavailable);
}

TEST_F(KtServiceTest, AnEmptyPublishStillAppendsAnEntry) {
  boot(settings());
  publish();
  publish();
  EXPECT_EQ(service_->size(), 2u);
  EXPECT_EQ(trusted_served().checkpoint.size, 2u);
  EXPECT_NE(kt::parse_checkpoint_body(body_of(1)).value().root,
            kt::parse_checkpoint_body(body_of(2)).value().root);
}

TEST_F(KtServiceTest, AnUpdateIsTheNextVersionAndProvesConsistencyFromAnOlderCheckpoint) {
  boot(settings());
  const Bytes first = kt_support::signed_account_record(rng_);
  const Bytes second = kt_support::signed_account_record(rng_);
  queue(label_of(1), first);
  publish();
  const auto before = verified_search(label_of(1)).value();
  publish();
  queue(label_of(1), second);
  publish();

  const kt::LogView seen{before.trusted.checkpoint.size, before.trusted.checkpoint.root};
  const auto after = verified_search(label_of(1), seen);
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_EQ(after->found.version, 1u);
  EXPECT_EQ(after->found.value, second);
  EXPECT_EQ(after->trusted.checkpoint.size, 3u);

  // A client that remembers another root for size 1 is shown the fork.
  kt::LogView forked = seen;
  forked.root[0] ^= std::byte{1};
  const auto refused = verified_search(label_of(1), forked);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);

  // The served checkpoint's consistency proof from size 1 verifies too.
  const auto answer = served_checkpoint(1).value();
  const auto trusted = kt::verify_checkpoint(policy(), answer.checkpoint).value();
  EXPECT_TRUE(kt::verify_log_extends(seen, trusted.checkpoint, answer.consistency));
}

TEST_F(KtServiceTest, StartRefusesAQuorumAboveTheWitnessesAndABadOrigin) {
  auto too_many = start(settings(1, 2));
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, Errc::invalid_argument);
  KtSettings spaced = settings();
  spaced.origin = "kt bulwark";
  auto bad_origin = start(std::move(spaced));
  ASSERT_FALSE(bad_origin);
  EXPECT_EQ(bad_origin.error().code, Errc::invalid_argument);
}

// ---- witnesses ----

TEST_F(KtServiceTest, WithoutWitnessesEachEntryIsServedAtOnce) {
  boot(settings());
  for (std::uint64_t size = 1; size <= 3; ++size) {
    queue(label_of(static_cast<std::uint8_t>(size)), kt_support::signed_account_record(rng_));
    publish();
    EXPECT_EQ(service_->served_size(), size);
    EXPECT_EQ(trusted_served().checkpoint.size, size);
    EXPECT_TRUE(verified_search(label_of(static_cast<std::uint8_t>(size))));
  }
}

TEST_F(KtServiceTest, NothingIsServedUntilTheQuorumOfWitnessesCosigned) {
  boot(settings(2, 2));
  const Bytes record = kt_support::signed_account_record(rng_);
  queue(label_of(1), record);
  publish();
  EXPECT_EQ(service_->size(), 1u);
  EXPECT_EQ(service_->served_size(), 0u);
  EXPECT_EQ(search(label_of(1)).error().code, Errc::unavailable);

  ASSERT_TRUE(add_cosignature(1, cosignature(0, body_of(1))));
  EXPECT_EQ(service_->served_size(), 0u);
  EXPECT_EQ(search(label_of(1)).error().code, Errc::unavailable);
  // The newest checkpoint already shows the cosignature it has (for the other witnesses).
  EXPECT_EQ(newest_note().signatures.size(), 2u);

  ASSERT_TRUE(add_cosignature(1, cosignature(1, body_of(1))));
  EXPECT_EQ(service_->served_size(), 1u);
  const kt::TrustedCheckpoint served = trusted_served();
  EXPECT_EQ(served.checkpoint.size, 1u);
  std::vector<std::string> cosigned_by = served.cosigned_by;
  std::sort(cosigned_by.begin(), cosigned_by.end());
  EXPECT_EQ(cosigned_by, (std::vector<std::string>{"witness.test/one", "witness.test/two"}));
  const auto found = verified_search(label_of(1));
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->found.value, record);
  EXPECT_EQ(found->trusted.cosigned_by.size(), 2u);
  const auto newest = kt::verify_checkpoint(policy(), *service_->newest_checkpoint());
  ASSERT_TRUE(newest) << newest.error().describe();
  EXPECT_EQ(newest->cosigned_by.size(), 2u);
}

TEST_F(KtServiceTest, CosignaturesByUnknownKeysOrOfAnotherCheckpointAreRefused) {
  boot(settings(2, 2));
  publish();
  publish();

  const auto stranger = add_cosignature(2, cosignature(2, body_of(2)));
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, Errc::auth_failed);
  const auto other_size = add_cosignature(2, cosignature(0, body_of(1)));
  ASSERT_FALSE(other_size);
  EXPECT_EQ(other_size.error().code, Errc::auth_failed);
  const auto garbage = add_cosignature(2, "— witness.test/one AAAA");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, Errc::auth_failed);
  const auto two_lines =
      add_cosignature(2, cosignature(0, body_of(2)) + "\n" + cosignature(1, body_of(2)));
  ASSERT_FALSE(two_lines);
  EXPECT_EQ(two_lines.error().code, Errc::auth_failed);
  const auto beyond = add_cosignature(3, cosignature(0, body_of(2)));
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, Errc::invalid_argument);
  const auto zero = add_cosignature(0, cosignature(0, body_of(2)));
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, Errc::invalid_argument);

  EXPECT_EQ(service_->served_size(), 0u);
  EXPECT_EQ(newest_note().signatures.size(), 1u);
  // One witness counts once, however often it cosigns.
  ASSERT_TRUE(add_cosignature(2, cosignature(0, body_of(2))));
  ASSERT_TRUE(add_cosignature(2, cosignature(0, body_of(2))));
  EXPECT_EQ(service_->served_size(), 0u);
  EXPECT_EQ(newest_note().signatures.size(), 2u);
}

TEST_F(KtServiceTest, TheServedSizeAdvancesToTheLargestCosignedCheckpoint) {
  boot(settings(2, 2));
  for (std::uint8_t n = 1; n <= 3; ++n) {
    queue(label_of(n), kt_support::signed_account_record(rng_));
    publish();
  }
  cosign_by_both(2);
  EXPECT_EQ(service_->served_size(), 2u);
  EXPECT_EQ(trusted_served().checkpoint.size, 2u);
  EXPECT_TRUE(verified_search(label_of(2)));
  // Entry 3 is published but not served: its label is not visible yet.
  EXPECT_EQ(search(label_of(3)).error().code, Errc::not_found);

  // A late cosignature of an older checkpoint is kept but serves nothing older.
  ASSERT_TRUE(add_cosignature(1, cosignature(0, body_of(1))));
  ASSERT_TRUE(add_cosignature(1, cosignature(1, body_of(1))));
  EXPECT_EQ(service_->served_size(), 2u);

  // One of two on the newest checkpoint: served stays, newest shows it.
  ASSERT_TRUE(add_cosignature(3, cosignature(1, body_of(3))));
  EXPECT_EQ(service_->served_size(), 2u);
  EXPECT_EQ(newest_note().signatures.size(), 2u);
  ASSERT_TRUE(add_cosignature(3, cosignature(0, body_of(3))));
  EXPECT_EQ(service_->served_size(), 3u);
  const kt::TrustedCheckpoint served = trusted_served();
  EXPECT_EQ(served.checkpoint.size, 3u);
  EXPECT_EQ(served.cosigned_by.size(), 2u);
  EXPECT_TRUE(verified_search(label_of(3)));
  const auto newest = kt::verify_checkpoint(policy(), *service_->newest_checkpoint());
  ASSERT_TRUE(newest) << newest.error().describe();
  EXPECT_EQ(newest->cosigned_by.size(), 2u);

  // A new entry starts without cosignatures.
  publish();
  EXPECT_EQ(newest_note().signatures.size(), 1u);
  EXPECT_EQ(service_->served_size(), 3u);
}

// ---- auditing ----

TEST_F(KtServiceTest, ReplayingEveryAuditEntryGivesTheServiceRoot) {
  boot(settings());
  for (std::uint8_t n = 1; n <= 4; ++n) {
    for (std::uint8_t i = 0; i < n; ++i) {
      queue(label_of(i), kt_support::signed_account_record(rng_));
    }
    if (n != 3) publish();
  }
  publish();
  kt::Auditor auditor;
  for (std::uint64_t index = 0; index < service_->size(); ++index) {
    const auto encoded = audit_entry(index);
    ASSERT_TRUE(encoded) << encoded.error().describe();
    const auto entry = kt::decode_audit_entry(*encoded);
    ASSERT_TRUE(entry) << entry.error().describe();
    ASSERT_TRUE(auditor.apply(*entry));
    EXPECT_EQ(auditor.root(), kt::parse_checkpoint_body(body_of(index + 1)).value().root);
  }
  EXPECT_EQ(auditor.size(), 4u);
  EXPECT_EQ(auditor.leaf_count(), 10u);
  EXPECT_EQ(auditor.root(), trusted_served().checkpoint.root);
  EXPECT_EQ(audit_entry(service_->size()).error().code, Errc::not_found);
}

// ---- restart ----

TEST_F(KtServiceTest, ARestartRestoresTheLogItsCosignaturesAndItsProofs) {
  boot(settings(2, 2));
  const Bytes alice = kt_support::signed_account_record(rng_);
  queue(label_of(1), alice);
  publish();
  queue(label_of(2), kt_support::signed_account_record(rng_));
  publish();
  cosign_by_both(2);
  const Bytes bob = kt_support::signed_account_record(rng_);
  queue(label_of(2), bob);
  publish();
  ASSERT_TRUE(add_cosignature(3, cosignature(0, body_of(3))));  // one of two
  const kt::TrustedCheckpoint before = trusted_served();
  ASSERT_EQ(before.checkpoint.size, 2u);
  const std::string newest_before = newest_body();
  const Bytes vrf_before = service_->vrf_public_key();
  const std::string vkey_before = service_->log_vkey();

  restart(settings(2, 2));
  EXPECT_EQ(service_->size(), 3u);
  EXPECT_EQ(service_->served_size(), 2u);
  EXPECT_EQ(newest_body(), newest_before);
  EXPECT_EQ(service_->log_vkey(), vkey_before);
  const kt::TrustedCheckpoint after = trusted_served();
  EXPECT_EQ(after.checkpoint, before.checkpoint);
  EXPECT_EQ(after.cosigned_by.size(), 2u);
  const auto found = verified_search(label_of(1));
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->found.value, alice);

  // The other witness completes the quorum of the newest checkpoint after the restart.
  ASSERT_TRUE(add_cosignature(3, cosignature(1, body_of(3))));
  EXPECT_EQ(service_->served_size(), 3u);
  const kt::LogView seen{before.checkpoint.size, before.checkpoint.root};
  const auto updated = verified_search(label_of(2), seen);
  ASSERT_TRUE(updated) << updated.error().describe();
  EXPECT_EQ(updated->found.version, 1u);
  EXPECT_EQ(updated->found.value, bob);
  EXPECT_EQ(service_->vrf_public_key(), vrf_before);

  // And the log goes on from where it was.
  publish();
  EXPECT_EQ(service_->size(), 4u);
  cosign_by_both(4);
  EXPECT_TRUE(verified_search(label_of(2), view_of(3)));
}

TEST_F(KtServiceTest, ARestartShowsTheStoredCosignaturesOfTheNewestCheckpoint) {
  boot(settings(2, 2));
  publish();
  cosign_by_both(1);
  const auto before = kt::verify_checkpoint(policy(), *service_->newest_checkpoint());
  ASSERT_TRUE(before) << before.error().describe();

  restart(settings(2, 2));
  EXPECT_EQ(service_->served_size(), 1u);
  const auto after = kt::verify_checkpoint(policy(), *service_->newest_checkpoint());
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_EQ(after->cosigned_by.size(), 2u);
}

TEST_F(KtServiceTest, ARestartWithoutWitnessesServesTheWholeLog) {
  boot(settings());
  queue(label_of(1), kt_support::signed_account_record(rng_));
  publish();
  publish();
  const kt::TrustedCheckpoint before = trusted_served();
  restart(settings());
  EXPECT_EQ(service_->size(), 2u);
  EXPECT_EQ(service_->served_size(), 2u);
  EXPECT_EQ(trusted_served().checkpoint, before.checkpoint);
  EXPECT_TRUE(verified_search(label_of(1), view_of(1)));
}

// The store returns at most store::max_kt_page rows per read, whatever the reader asks for:
// a restore must page on until a read comes back empty, not stop at the first short page.
// (A server that registered 1,200 accounts in two entries once refused its own data: the
// versions past the first page were never read.)
TEST_F(KtServiceTest, ARestartReadsVersionsBeyondOneStorePage) {
  boot(settings());
  const std::uint32_t count = store::max_kt_page + 200;
  queue_numbered(count);
  publish();  // a store page of the queue
  publish();  // the rest
  publish();  // and an empty entry after them
  ASSERT_EQ(service_->size(), 3u);

  ASSERT_NO_FATAL_FAILURE(restart(settings()));
  EXPECT_EQ(service_->size(), 3u);
  EXPECT_EQ(service_->served_size(), 3u);
  for (const std::uint32_t n : {0u, store::max_kt_page - 1, store::max_kt_page, count - 1}) {
    const auto found = verified_search(numbered_kt_label(n), view_of(1));
    ASSERT_TRUE(found) << n << ": " << found.error().describe();
    EXPECT_EQ(found->found.value, numbered_kt_label(n + count)) << n;
  }
  publish();
  EXPECT_EQ(service_->size(), 4u);
}

TEST_F(KtServiceTest, ARestartReadsEntriesBeyondOneStorePage) {
  boot(settings());
  queue(label_of(1), kt_support::signed_account_record(rng_));
  const std::uint64_t entries = store::max_kt_page + 2;
  for (std::uint64_t i = 0; i < entries; ++i) publish();
  queue(label_of(2), kt_support::signed_account_record(rng_));
  const std::string newest_before = newest_body();

  ASSERT_NO_FATAL_FAILURE(restart(settings()));
  EXPECT_EQ(service_->size(), entries);
  EXPECT_EQ(newest_body(), newest_before);
  EXPECT_TRUE(verified_search(label_of(1), view_of(entries - 1)));
  // Publishing goes on after the last stored entry, not over one the restore missed.
  publish();
  EXPECT_EQ(service_->size(), entries + 1);
  EXPECT_TRUE(verified_search(label_of(2), view_of(entries)));
}

// ---- a store edited behind the server's back ----

class KtServiceTamperTest : public KtServiceTest {
 protected:
  // Three entries, each publishing versions, then everything closed.
  void SetUp() override {
    boot(settings());
    for (std::uint8_t n = 1; n <= 3; ++n) {
      queue(label_of(n), kt_support::signed_account_record(rng_));
      queue(label_of(static_cast<std::uint8_t>(n + 10)), kt_support::signed_account_record(rng_));
      publish();
    }
    shut_down();
  }

  void edit(const std::string& sql, const std::vector<Bytes>& blobs = {}) {
    const auto changed = kt_support::exec_sql(db_file(), sql, blobs);
    ASSERT_TRUE(changed) << changed.error().describe();
    EXPECT_GT(*changed, 0) << sql;
  }

  // Starting must fail with Errc::invalid_proof and a context that contains `says`.
  void expect_refused(const std::string& says, const std::string& keys_dir = "kt") {
    const auto started = start(settings(), keys_dir);
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().code, Errc::invalid_proof) << started.error().describe();
    EXPECT_NE(started.error().context.find(says), std::string::npos) << started.error().context;
  }
};

TEST_F(KtServiceTamperTest, TheUntouchedStoreStarts) {
  boot(settings());
  EXPECT_EQ(service_->size(), 3u);
}

TEST_F(KtServiceTamperTest, APublishedValueChangedInTheStoreStopsTheStart) {
  // Another validly signed record (another identity key) in place of a published one.
  edit("UPDATE kt_versions SET value = ?1 WHERE entry = 1 AND ord = 0",
       {kt_support::signed_account_record(rng_)});
  expect_refused("does not verify at entry 1");
}

TEST_F(KtServiceTamperTest, APublishedCommitmentChangedInTheStoreStopsTheStart) {
  edit("UPDATE kt_versions SET commitment = ?1 WHERE entry = 1 AND ord = 1",
       {Bytes(32, std::byte{0x5a})});
  expect_refused("does not verify at entry 1");
}

TEST_F(KtServiceTamperTest, AnEntryDeletedInTheMiddleStopsTheStart) {
  edit("DELETE FROM kt_versions WHERE entry = 1");
  edit("DELETE FROM kt_entries WHERE idx = 1");
  expect_refused("missing");
}

TEST_F(KtServiceTamperTest, AnEntryDeletedWithoutItsVersionsStopsTheStart) {
  edit("DELETE FROM kt_entries WHERE idx = 1");
  expect_refused("kt store");
}

TEST_F(KtServiceTamperTest, AnotherLogKeyOverAnExistingLogStopsTheStart) {
  expect_refused("is not this server's signature", "kt-replaced");
}

// ---- store failures ----

// Fails each statement step of a publish in turn (the Beast-style fault loop), until a
// publish runs without reaching the fault. A failed publish stops publishing, the service
// keeps answering from what it served, and a restart rebuilds exactly the stored log with the
// queued record still waiting; a publish that succeeds is stored.
TEST_F(KtServiceTest, AStoreFailureDuringPublishStopsPublishingAndKeepsServing) {
  boot(settings());
  const Bytes first = kt_support::signed_account_record(rng_);
  queue(label_of(0), first);
  publish();
  std::uint8_t waiting_label = 1;
  Bytes waiting = kt_support::signed_account_record(rng_);
  queue(label_of(waiting_label), waiting);

  int failures = 0;
  for (int nth = 0;; ++nth) {
    ASSERT_LT(nth, 200) << "a publish never got past the faults";
    SCOPED_TRACE("fault at step " + std::to_string(nth));
    const std::uint64_t size = service_->size();
    const kt::TrustedCheckpoint served = trusted_served();
    const std::string newest = *service_->newest_checkpoint();
    faults_.arm(nth);
    const auto result = service_->publish_now();
    const bool fired = faults_.disarm();

    if (result) {
      EXPECT_FALSE(service_->failed());
      EXPECT_EQ(service_->size(), size + 1);
      restart(settings());
      EXPECT_EQ(service_->size(), size + 1);
      const auto found = verified_search(label_of(waiting_label));
      ASSERT_TRUE(found) << found.error().describe();
      EXPECT_EQ(found->found.value, waiting);
      if (!fired) break;
      waiting = kt_support::signed_account_record(rng_);
      queue(label_of(++waiting_label), waiting);
      continue;
    }

    ++failures;
    EXPECT_TRUE(service_->failed());
    EXPECT_EQ(service_->size(), size);
    EXPECT_EQ(service_->served_size(), size);
    EXPECT_EQ(*service_->newest_checkpoint(), newest);
    // Nothing more is published until a restart, even with the disk healthy again.
    const auto again = service_->publish_now();
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::unavailable);
    EXPECT_EQ(service_->size(), size);
    // What was served is still answered, and still verifies.
    const auto found = verified_search(label_of(0));
    ASSERT_TRUE(found) << found.error().describe();
    EXPECT_EQ(found->found.value, first);
    EXPECT_EQ(found->trusted.checkpoint, served.checkpoint);
    EXPECT_EQ(search(label_of(waiting_label)).error().code, Errc::not_found);

    restart(settings());
    EXPECT_FALSE(service_->failed());
    EXPECT_EQ(service_->size(), size);
    EXPECT_EQ(trusted_served().checkpoint, served.checkpoint);
  }
  // Every step of both store jobs of a publish (reading the queue, storing the entry) failed
  // once.
  EXPECT_GE(failures, 10);
}

}  // namespace
}  // namespace bulwark::server
