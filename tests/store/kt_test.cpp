// Conformance: key transparency's state (queued updates, log entries, published versions,
// witness cosignatures).
#include "conformance.h"
#include "store/limits.h"

namespace bulwark::store::conformance {
namespace {

std::vector<std::uint64_t> seqs_of(const std::vector<KtPendingUpdate>& updates) {
  std::vector<std::uint64_t> seqs;
  for (const KtPendingUpdate& update : updates) seqs.push_back(update.seq);
  return seqs;
}

// (label byte, version) of each, in order.
std::vector<std::pair<int, std::uint32_t>> keys_of(const std::vector<KtVersion>& versions) {
  std::vector<std::pair<int, std::uint32_t>> keys;
  for (const KtVersion& version : versions) {
    keys.emplace_back(std::to_integer<int>(version.label.at(0)), version.version);
  }
  return keys;
}

using Keys = std::vector<std::pair<int, std::uint32_t>>;

KtCosignature cosignature(std::uint64_t size, std::string witness, std::int64_t at_ms) {
  return KtCosignature{size, witness, "— " + witness + " c2lnbmF0dXJl", at_ms};
}

TEST_P(StoreKtTest, QueuedUpdatesReadBackInSeqOrder) {
  const std::uint64_t first = must(store().kt_queue_update(kt_label(1), kt_value(1, 0)));
  const std::uint64_t second = must(store().kt_queue_update(kt_label(2), kt_value(2, 0)));
  const std::uint64_t third = must(store().kt_queue_update(kt_label(1), kt_value(1, 1)));
  EXPECT_GT(first, 0u);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  const auto pending = must(store().kt_pending(0, 10));
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(seqs_of(pending), (std::vector<std::uint64_t>{first, second, third}));
  EXPECT_EQ(pending[1].label, kt_label(2));
  EXPECT_EQ(pending[2].value, kt_value(1, 1));
}

TEST_P(StoreKtTest, PendingPagesByAfterSeqAndLimit) {
  std::vector<std::uint64_t> seqs;
  for (std::uint8_t n = 1; n <= 5; ++n) {
    seqs.push_back(must(store().kt_queue_update(kt_label(n), kt_value(n, 0))));
  }
  const auto page_one = must(store().kt_pending(0, 2));
  EXPECT_EQ(seqs_of(page_one), (std::vector<std::uint64_t>{seqs[0], seqs[1]}));
  const auto page_two = must(store().kt_pending(page_one.back().seq, 2));
  EXPECT_EQ(seqs_of(page_two), (std::vector<std::uint64_t>{seqs[2], seqs[3]}));
  EXPECT_EQ(seqs_of(must(store().kt_pending(seqs[3], 10))), std::vector<std::uint64_t>{seqs[4]});
  EXPECT_TRUE(must(store().kt_pending(seqs[4], 10)).empty());
  EXPECT_TRUE(must(store().kt_pending(0, 0)).empty());
  EXPECT_TRUE(must(store().kt_pending(UINT64_MAX, 10)).empty());
}

// Queued in one batch: a thousand separately synced commits would only slow the test.
TEST_P(StoreKtTest, PagesReturnAtMostTheCap) {
  std::vector<Store::Job> jobs{[](Store& store) -> Result<void> {
    for (std::uint32_t n = 0; n < max_kt_page + 5; ++n) {
      BULWARK_TRY(store.kt_queue_update(kt_label(static_cast<std::uint8_t>(n)), kt_value(1, 0)));
    }
    return {};
  }};
  ASSERT_TRUE(store().run_batch(jobs).at(0));
  const auto page = must(store().kt_pending(0, UINT32_MAX));
  EXPECT_EQ(page.size(), max_kt_page);
  EXPECT_EQ(must(store().kt_pending(page.back().seq, UINT32_MAX)).size(), 5u);

  std::vector<KtVersion> versions;
  for (std::uint32_t n = 0; n < max_kt_page + 5; ++n) versions.push_back(kt_version(1, n, 0));
  must(store().kt_publish(kt_entry(0), versions, 0));
  EXPECT_EQ(must(store().kt_versions(0, 0, UINT32_MAX)).size(), max_kt_page);
  EXPECT_EQ(must(store().kt_versions(0, max_kt_page, UINT32_MAX)).size(), 5u);
}

TEST_P(StoreKtTest, SeqIsNotReusedAfterPublishConsumesTheNewest) {
  const std::uint64_t first = must(store().kt_queue_update(kt_label(1), kt_value(1, 0)));
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)}, first));
  EXPECT_TRUE(must(store().kt_pending(0, 10)).empty());
  backend().reopen();
  const std::uint64_t second = must(store().kt_queue_update(kt_label(1), kt_value(1, 1)));
  EXPECT_GT(second, first);
  // A publisher that consumed up to the first one still sees the second.
  EXPECT_EQ(seqs_of(must(store().kt_pending(first, 10))), std::vector<std::uint64_t>{second});
}

TEST_P(StoreKtTest, LatestValuePrefersTheNewestQueuedUpdate) {
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)}, 0));
  must(store().kt_queue_update(kt_label(1), kt_value(1, 1)));
  must(store().kt_queue_update(kt_label(2), kt_value(2, 0)));
  must(store().kt_queue_update(kt_label(1), kt_value(1, 2)));
  EXPECT_EQ(must(store().kt_latest_value(kt_label(1))), kt_value(1, 2));
  EXPECT_EQ(must(store().kt_latest_value(kt_label(2))), kt_value(2, 0));
}

TEST_P(StoreKtTest, LatestValueFallsBackToTheNewestPublishedVersion) {
  const std::uint64_t seq = must(store().kt_queue_update(kt_label(1), kt_value(1, 0)));
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)}, seq));
  // Published out of version order within an entry: the greatest version is the newest.
  must(store().kt_publish(kt_entry(1),
                          std::vector<KtVersion>{kt_version(1, 2, 1), kt_version(1, 1, 1)}, seq));
  EXPECT_EQ(must(store().kt_latest_value(kt_label(1))), kt_value(1, 2));
}

TEST_P(StoreKtTest, UnknownLabelHasNoLatestValue) {
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)}, 0));
  must(store().kt_queue_update(kt_label(2), kt_value(2, 0)));
  EXPECT_FALSE(must(store().kt_latest_value(kt_label(3))));
  EXPECT_FALSE(must(store().kt_latest_value(filled(15, 1))));
  EXPECT_FALSE(must(store().kt_latest_value(Bytes{})));
}

TEST_P(StoreKtTest, EmptyValueIsAValue) {
  must(store().kt_queue_update(kt_label(1), Bytes{}));
  EXPECT_EQ(must(store().kt_latest_value(kt_label(1))), std::optional<Bytes>(Bytes{}));
}

TEST_P(StoreKtTest, PublishConsumesExactlyTheUpdatesUpToConsumedThrough) {
  std::vector<std::uint64_t> seqs;
  for (std::uint8_t n = 1; n <= 4; ++n) {
    seqs.push_back(must(store().kt_queue_update(kt_label(n), kt_value(n, 0))));
  }
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)}, seqs[1]));
  EXPECT_EQ(seqs_of(must(store().kt_pending(0, 10))),
            (std::vector<std::uint64_t>{seqs[2], seqs[3]}));
  must(store().kt_publish(kt_entry(1), {}, UINT64_MAX));
  EXPECT_TRUE(must(store().kt_pending(0, 10)).empty());
}

TEST_P(StoreKtTest, PublishedEntryAndVersionsReadBackWhole) {
  const std::vector<KtVersion> versions{kt_version(3, 0, 0), kt_version(1, 0, 0)};
  must(store().kt_publish(kt_entry(0), versions, 0));
  EXPECT_EQ(must(store().kt_entries(0, 10)), std::vector<KtEntry>{kt_entry(0)});
  EXPECT_EQ(must(store().kt_versions(0, 0, 10)), versions);
}

TEST_P(StoreKtTest, EntryWithNoVersionsIsStored) {
  must(store().kt_publish(kt_entry(0), {}, 0));
  must(store().kt_publish(kt_entry(1), {}, 0));
  EXPECT_EQ(must(store().kt_entries(0, 10)), (std::vector<KtEntry>{kt_entry(0), kt_entry(1)}));
  EXPECT_TRUE(must(store().kt_versions(0, 0, 10)).empty());
}

TEST_P(StoreKtTest, EntryOutOfTurnIsAConflictAndStoresNothing) {
  const std::uint64_t seq = must(store().kt_queue_update(kt_label(1), kt_value(1, 0)));
  EXPECT_EQ(error_of(store().kt_publish(kt_entry(1), std::vector<KtVersion>{kt_version(1, 0, 1)},
                                        seq)),
            Errc::conflict);
  must(store().kt_publish(kt_entry(0), {}, 0));
  EXPECT_EQ(error_of(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)},
                                        seq)),
            Errc::conflict);
  EXPECT_EQ(must(store().kt_entries(0, 10)), std::vector<KtEntry>{kt_entry(0)});
  EXPECT_TRUE(must(store().kt_versions(0, 0, 10)).empty());
  EXPECT_EQ(must(store().kt_pending(0, 10)).size(), 1u);
}

TEST_P(StoreKtTest, RepublishedVersionIsAConflictAndStoresNothing) {
  const std::uint64_t seq = must(store().kt_queue_update(kt_label(2), kt_value(2, 0)));
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)}, 0));
  // Already published by entry 0, after a version that is new.
  const std::vector<KtVersion> again{kt_version(2, 0, 1), kt_version(1, 0, 1)};
  EXPECT_EQ(error_of(store().kt_publish(kt_entry(1), again, seq)), Errc::conflict);
  // Twice in one entry.
  const std::vector<KtVersion> twice{kt_version(2, 0, 1), kt_version(2, 0, 1)};
  EXPECT_EQ(error_of(store().kt_publish(kt_entry(1), twice, seq)), Errc::conflict);
  EXPECT_EQ(must(store().kt_entries(0, 10)).size(), 1u);
  EXPECT_EQ(keys_of(must(store().kt_versions(0, 0, 10))), (Keys{{1, 0}}));
  EXPECT_EQ(seqs_of(must(store().kt_pending(0, 10))), std::vector<std::uint64_t>{seq});
  // The same version of another label is no conflict.
  must(store().kt_publish(kt_entry(1), std::vector<KtVersion>{kt_version(2, 0, 1)}, seq));
}

TEST_P(StoreKtTest, PublishChecksTheSizesItsTablesRelyOn) {
  KtEntry short_root = kt_entry(0);
  short_root.prefix_root.pop_back();
  EXPECT_EQ(error_of(store().kt_publish(short_root, {}, 0)), Errc::invalid_argument);
  KtEntry far_future = kt_entry(0);
  far_future.timestamp_ms = UINT64_MAX;
  EXPECT_EQ(error_of(store().kt_publish(far_future, {}, 0)), Errc::invalid_argument);
  const auto publish_one = [&](KtVersion version) {
    return store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0), version},
                              0);
  };
  KtVersion bad = kt_version(2, 0, 0);
  bad.opening.push_back(std::byte{0});
  EXPECT_EQ(error_of(publish_one(bad)), Errc::invalid_argument);
  bad = kt_version(2, 0, 0);
  bad.vrf_output.pop_back();
  EXPECT_EQ(error_of(publish_one(bad)), Errc::invalid_argument);
  bad = kt_version(2, 0, 0);
  bad.commitment.clear();
  EXPECT_EQ(error_of(publish_one(bad)), Errc::invalid_argument);
  EXPECT_EQ(error_of(publish_one(kt_version(2, 0, 1))), Errc::invalid_argument);
  EXPECT_TRUE(must(store().kt_entries(0, 10)).empty());
  EXPECT_TRUE(must(store().kt_versions(0, 0, 10)).empty());
}

TEST_P(StoreKtTest, EntriesPageByIndex) {
  for (std::uint64_t index = 0; index < 5; ++index) {
    must(store().kt_publish(kt_entry(index), {}, 0));
  }
  EXPECT_EQ(must(store().kt_entries(0, 2)), (std::vector<KtEntry>{kt_entry(0), kt_entry(1)}));
  EXPECT_EQ(must(store().kt_entries(3, 10)), (std::vector<KtEntry>{kt_entry(3), kt_entry(4)}));
  EXPECT_TRUE(must(store().kt_entries(5, 10)).empty());
  EXPECT_TRUE(must(store().kt_entries(0, 0)).empty());
  EXPECT_TRUE(must(store().kt_entries(UINT64_MAX, 10)).empty());
}

// Order within an entry is the order kt_publish received, not label order; `skip` counts
// within from_entry only, and paging runs on into later entries.
TEST_P(StoreKtTest, VersionsPageAcrossEntriesInPublishOrder) {
  const std::vector<KtVersion> first{kt_version(3, 0, 0), kt_version(1, 0, 0),
                                     kt_version(2, 0, 0)};
  const std::vector<KtVersion> third{kt_version(2, 1, 2), kt_version(1, 1, 2)};
  must(store().kt_publish(kt_entry(0), first, 0));
  must(store().kt_publish(kt_entry(1), {}, 0));
  must(store().kt_publish(kt_entry(2), third, 0));
  EXPECT_EQ(keys_of(must(store().kt_versions(0, 0, 10))),
            (Keys{{3, 0}, {1, 0}, {2, 0}, {2, 1}, {1, 1}}));
  EXPECT_EQ(keys_of(must(store().kt_versions(0, 2, 2))), (Keys{{2, 0}, {2, 1}}));
  EXPECT_EQ(keys_of(must(store().kt_versions(0, 3, 10))), (Keys{{2, 1}, {1, 1}}));
  EXPECT_EQ(keys_of(must(store().kt_versions(1, 0, 10))), (Keys{{2, 1}, {1, 1}}));
  EXPECT_EQ(keys_of(must(store().kt_versions(2, 1, 10))), (Keys{{1, 1}}));
  EXPECT_EQ(must(store().kt_versions(2, 0, 10)).at(0).entry, 2u);
  EXPECT_TRUE(must(store().kt_versions(3, 0, 10)).empty());
  EXPECT_TRUE(must(store().kt_versions(2, UINT64_MAX, 10)).empty());
  EXPECT_TRUE(must(store().kt_versions(0, 0, 0)).empty());
  EXPECT_TRUE(must(store().kt_versions(UINT64_MAX, 0, 10)).empty());
}

TEST_P(StoreKtTest, CosignatureOfTheSameSizeAndWitnessIsReplaced) {
  must(store().kt_add_cosignature(cosignature(5, "witness.example/a", 1'000)));
  KtCosignature newer = cosignature(5, "witness.example/a", 2'000);
  newer.signature_line = "— witness.example/a bmV3ZXI=";
  must(store().kt_add_cosignature(newer));
  EXPECT_EQ(must(store().kt_cosignatures(5)), std::vector<KtCosignature>{newer});
}

TEST_P(StoreKtTest, CosignaturesAreListedByWitnessNamePerSize) {
  must(store().kt_add_cosignature(cosignature(5, "witness.example/c", 1)));
  must(store().kt_add_cosignature(cosignature(5, "witness.example/a", 2)));
  must(store().kt_add_cosignature(cosignature(6, "witness.example/b", 3)));
  must(store().kt_add_cosignature(cosignature(5, "witness.example/b", 4)));
  EXPECT_EQ(must(store().kt_cosignatures(5)),
            (std::vector<KtCosignature>{cosignature(5, "witness.example/a", 2),
                                        cosignature(5, "witness.example/b", 4),
                                        cosignature(5, "witness.example/c", 1)}));
  EXPECT_EQ(must(store().kt_cosignatures(6)).size(), 1u);
  EXPECT_TRUE(must(store().kt_cosignatures(7)).empty());
  EXPECT_TRUE(must(store().kt_cosignatures(UINT64_MAX)).empty());
}

TEST_P(StoreKtTest, CosignatureFromOneWitnessTooManyIsRefused) {
  for (std::uint32_t n = 0; n < max_kt_cosignatures; ++n) {
    must(store().kt_add_cosignature(cosignature(5, "w" + std::to_string(1000 + n), n)));
  }
  EXPECT_EQ(error_of(store().kt_add_cosignature(cosignature(5, "w9999", 0))), Errc::conflict);
  // Replacing a known witness's, or another size's, is still fine.
  must(store().kt_add_cosignature(cosignature(5, "w1000", 77)));
  must(store().kt_add_cosignature(cosignature(6, "w9999", 0)));
  const auto stored = must(store().kt_cosignatures(5));
  ASSERT_EQ(stored.size(), max_kt_cosignatures);
  EXPECT_EQ(stored[0].received_at_ms, 77);
}

TEST_P(StoreKtTest, CosignatureNeedsAWitnessNameAndARepresentableSize) {
  EXPECT_EQ(error_of(store().kt_add_cosignature(cosignature(5, "", 1))), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().kt_add_cosignature(cosignature(UINT64_MAX, "w", 1))),
            Errc::invalid_argument);
  EXPECT_TRUE(must(store().kt_cosignatures(5)).empty());
}

TEST_P(StoreKtTest, KtStateSurvivesReopening) {
  must(store().kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(1, 0, 0)}, 0));
  const std::uint64_t seq = must(store().kt_queue_update(kt_label(2), kt_value(2, 0)));
  must(store().kt_add_cosignature(cosignature(1, "witness.example/a", 1)));
  backend().reopen();
  EXPECT_EQ(must(store().kt_entries(0, 10)), std::vector<KtEntry>{kt_entry(0)});
  EXPECT_EQ(must(store().kt_versions(0, 0, 10)), std::vector<KtVersion>{kt_version(1, 0, 0)});
  EXPECT_EQ(seqs_of(must(store().kt_pending(0, 10))), std::vector<std::uint64_t>{seq});
  EXPECT_EQ(must(store().kt_cosignatures(1)).size(), 1u);
}

// The server queues a KT update in the same batch job as the account change it publishes.
TEST_P(StoreKtTest, QueuedUpdateIsUndoneWithItsFailingJobAlone) {
  const DeviceAddress alice = registered(1);
  std::vector<Store::Job> jobs{
      [&](Store& store) -> Result<void> {
        BULWARK_TRY(store.set_username(alice.account, "alice.01"));
        BULWARK_TRY(store.kt_queue_update(kt_label(1), kt_value(1, 1)));
        return {};
      },
      [&](Store& store) -> Result<void> {
        BULWARK_TRY(store.kt_queue_update(kt_label(2), kt_value(2, 0)));
        return store.set_username(account_id(9), "nobody");  // no such account
      },
      [&](Store& store) -> Result<void> {
        return store.kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(3, 0, 0)}, 0);
      },
      [&](Store& store) -> Result<void> {
        return store.kt_publish(kt_entry(0), std::vector<KtVersion>{kt_version(4, 0, 0)}, 0);
      },
  };
  const auto results = store().run_batch(jobs);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0]);
  EXPECT_FALSE(results[1]);
  EXPECT_TRUE(results[2]);
  EXPECT_EQ(error_of(results[3]), Errc::conflict);
  backend().reopen();
  const auto pending = must(store().kt_pending(0, 10));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].label, kt_label(1));
  EXPECT_EQ(must(store().account(alice.account))->username, "alice.01");
  EXPECT_EQ(keys_of(must(store().kt_versions(0, 0, 10))), (Keys{{3, 0}}));
}

}  // namespace
}  // namespace bulwark::store::conformance
