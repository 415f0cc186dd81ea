// The witness of a plain RFC 6962 log, the disclosure log (witness/witness.h with
// LogKind::disclosure): it cosigns the log whose entries' leaf hashes give the signed root,
// and raises the same alarms as for the KT log on a truncation, a fork or a rewritten entry,
// during a run and after a restart. The state it stores names the kind, so a disclosure
// witness never replays its log against a KT witness's state, nor the reverse.
#include "witness/witness.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kt/merkle.h"
#include "kt/note.h"
#include "support/fake_clock.h"
#include "witness/round.h"
#include "witness/state_file.h"
#include "witness/support/plain_test_log.h"
#include "witness/support/temp_dir.h"
#include "witness/support/test_log.h"

namespace bulwark::witness {
namespace {

using testing::PlainTestLog;

class PlainWitnessTest : public ::testing::Test {
 protected:
  bulwark::testing::FakeClock clock;
  PlainTestLog log;
  std::vector<WitnessState> saved;
  StateSaver save = [this](const WitnessState& state) -> Result<void> {
    saved.push_back(state);
    return {};
  };

  Witness make_witness(WitnessState state = {}) {
    return Witness::create(LogKind::disclosure, log.vkey(), std::string(testing::witness_name),
                           testing::test_key(0x33), std::move(state), clock)
        .value();
  }

  // Appends `count` requests, each entry different from every other in the log.
  void append_requests(int count, PlainTestLog& to) {
    for (int i = 0; i < count; ++i) to.append("request " + std::to_string(to.size()));
  }
  void append_requests(int count) { append_requests(count, log); }

  // Whether `cosignature` verifies under the witness's published vkey.
  static bool verifies(const Witness& witness, const Cosignature& cosignature) {
    const auto key = kt::CosignerKey::from_vkey(witness.cosigner().vkey());
    const std::string body = kt::checkpoint_body(cosignature.checkpoint);
    const auto note = kt::parse_note(body + "\n" + cosignature.line + "\n");
    return key && note && kt::verify_cosignature(*key, body, note->signatures.front());
  }
};

TEST_F(PlainWitnessTest, CosignsAGrowingLogWhoseRootIsThatOfItsEntriesLeafHashes) {
  Witness witness = make_witness();
  EXPECT_EQ(witness.kind(), LogKind::disclosure);
  EXPECT_EQ(witness.origin(), testing::disclosure_origin);
  log.append("order 1");
  log.append("");  // an empty entry is an entry
  log.append("order 2");
  const std::vector<kt::Hash> leaves = {kt::leaf_hash(as_bytes("order 1")),
                                        kt::leaf_hash(as_bytes("")),
                                        kt::leaf_hash(as_bytes("order 2"))};
  ASSERT_EQ(log.checkpoint(3).root, kt::root_of(leaves));

  const auto first = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->checkpoint, log.checkpoint(3));
  EXPECT_TRUE(verifies(witness, *first));
  EXPECT_EQ(witness.state().size, 3u);
  EXPECT_EQ(witness.state().root, kt::root_of(leaves));

  append_requests(4);
  const auto second = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->checkpoint.size, 7u);
  EXPECT_EQ(witness.audited_size(), 7u);
  EXPECT_EQ(log.entries_fetched, 7u);  // each entry fetched once
  EXPECT_FALSE(witness.in_alarm());
}

TEST_F(PlainWitnessTest, RoundsReportNothingNewUntilTheLogGrows) {
  Witness witness = make_witness();
  const auto empty = run_round(witness, log, save);
  ASSERT_TRUE(empty) << empty.error().describe();
  EXPECT_EQ(empty->outcome, RoundOutcome::nothing_new);

  append_requests(2);
  const auto cosigned = run_round(witness, log, save);
  ASSERT_TRUE(cosigned) << cosigned.error().describe();
  EXPECT_EQ(cosigned->outcome, RoundOutcome::cosigned);
  EXPECT_EQ(cosigned->size, 2u);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].kind, LogKind::disclosure);
  ASSERT_EQ(log.submitted.size(), 1u);

  const auto again = run_round(witness, log, save);  // the log now shows the cosignature
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->outcome, RoundOutcome::nothing_new);
  EXPECT_EQ(log.submitted.size(), 1u);
  EXPECT_EQ(saved.size(), 1u);
}

TEST_F(PlainWitnessTest, RefusesACheckpointNotSignedByTheLogKeyWithoutAnAlarm) {
  append_requests(2);
  const auto impostor =
      kt::NoteSigner::create(std::string(testing::disclosure_origin), testing::test_key(0x44))
          .value();
  Witness witness = make_witness();
  const auto refused =
      witness.observe(testing::sign_checkpoint(log.checkpoint(2), impostor), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::auth_failed);
  // The KT log's key signs only its own origin: a disclosure witness takes nothing from it.
  kt::Checkpoint as_kt = log.checkpoint(2);
  as_kt.origin = std::string(testing::log_origin);
  EXPECT_FALSE(
      witness.observe(testing::sign_checkpoint(as_kt, testing::log_signer()), log.fetcher()));
  EXPECT_FALSE(witness.in_alarm());
  EXPECT_EQ(log.entries_fetched, 0u);
  EXPECT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
}

TEST_F(PlainWitnessTest, RaisesTheAlarmOnATruncatedLog) {
  Witness witness = make_witness();
  append_requests(4);
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  const auto refused = witness.observe(log.signed_checkpoint(3), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("truncation"), std::string::npos);
  EXPECT_TRUE(witness.in_alarm());
  EXPECT_EQ(witness.state().size, 4u);
}

TEST_F(PlainWitnessTest, RaisesTheAlarmOnAForkOfTheSameSizeAndNeverCosignsAgain) {
  PlainTestLog fork;  // the same first two entries, then another third one
  append_requests(2);
  append_requests(2, fork);
  log.append("order for alice");
  fork.append("order for bob");
  ASSERT_EQ(log.checkpoint(2), fork.checkpoint(2));
  ASSERT_NE(log.checkpoint(3).root, fork.checkpoint(3).root);

  Witness witness = make_witness();
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  const auto refused = witness.observe(fork.signed_checkpoint(), fork.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("fork"), std::string::npos) << refused.error().context;
  EXPECT_TRUE(witness.in_alarm());
  EXPECT_EQ(witness.state().root, log.checkpoint(3).root);

  append_requests(1);  // the honest log goes on: still nothing is cosigned
  const auto after = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, Errc::invalid_proof);
}

TEST_F(PlainWitnessTest, RaisesTheAlarmOnAForkThatGrewPastTheCosignedSize) {
  PlainTestLog fork;
  append_requests(3);
  append_requests(3, fork);
  fork.append("hidden order");
  fork.append("another hidden order");
  Witness witness = make_witness();
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  log.append("public order");
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  // The fork extends what was cosigned at 3, but its tree of size 4 is not the one cosigned.
  const auto refused = witness.observe(fork.signed_checkpoint(), fork.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().context.find("the witnessed log has root"), std::string::npos)
      << refused.error().context;
  EXPECT_TRUE(witness.in_alarm());
}

TEST_F(PlainWitnessTest, RaisesTheAlarmWhenTheEntriesDoNotGiveTheSignedRoot) {
  append_requests(3);
  log.rewritten[1] = to_bytes(as_bytes("a quietly edited order"));
  Witness witness = make_witness();
  const auto refused = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("fork or rewrite"), std::string::npos);
  EXPECT_TRUE(witness.in_alarm());
  EXPECT_EQ(witness.state().size, 0u);
}

TEST_F(PlainWitnessTest, AfterARestartAnEarlierEntryRewrittenIsAnAlarmThatIsStored) {
  append_requests(3);
  WitnessState stored;
  {
    Witness witness = make_witness();
    ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
    stored = witness.state();
  }
  // The log rewrites entry 1 and signs only checkpoints of the rewritten log from now on:
  // the witness sees that only by replaying its entries after the restart.
  log.rewritten[1] = to_bytes(as_bytes("a quietly edited order"));
  Witness restarted = make_witness(stored);
  const auto restored = restarted.restore(log.fetcher());
  ASSERT_FALSE(restored);
  EXPECT_EQ(restored.error().code, Errc::invalid_proof);
  EXPECT_NE(restored.error().context.find("after a restart"), std::string::npos)
      << restored.error().context;
  EXPECT_TRUE(restarted.in_alarm());

  Witness in_a_round = make_witness(stored);
  const auto report = run_round(in_a_round, log, save);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->outcome, RoundOutcome::alarm);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_TRUE(saved[0].in_alarm());
  EXPECT_TRUE(log.submitted.empty());
}

TEST_F(PlainWitnessTest, StateSurvivesARestartOnDisk) {
  const testing::TempDir dir;
  const StateSaver to_disk = [&dir](const WitnessState& state) {
    return save_state(dir.path(), state);
  };
  append_requests(3);
  {
    Witness witness = make_witness();
    const auto report = run_round(witness, log, to_disk);
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->outcome, RoundOutcome::cosigned);
  }
  const auto loaded = load_state(dir.path());
  ASSERT_TRUE(loaded && *loaded) << (loaded ? "no state" : loaded.error().describe());
  EXPECT_EQ((*loaded)->kind, LogKind::disclosure);
  EXPECT_EQ((*loaded)->size, 3u);

  append_requests(2);
  Witness restarted = make_witness(**loaded);
  const auto report = run_round(restarted, log, to_disk);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->outcome, RoundOutcome::cosigned);
  EXPECT_EQ(report->size, 5u);
  EXPECT_EQ(restarted.audited_size(), 5u);
  EXPECT_EQ(load_state(dir.path()).value()->size, 5u);

  // A truncation after the restart still contradicts the state on disk.
  Witness once_more = make_witness(load_state(dir.path()).value().value());
  const auto refused = once_more.observe(log.signed_checkpoint(4), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_TRUE(once_more.in_alarm());
}

// What an operator who deletes the newest entries from the database serves: the same log one
// entry shorter, which no longer has the entry the witness cosigned last. A restarted witness
// (every `--once` run is one) must see the smaller signed head, not only a missing entry.
TEST_F(PlainWitnessTest, ARestartedWitnessRaisesTheAlarmOnALogTruncatedBelowItsState) {
  append_requests(4);
  Witness witness = make_witness();
  const auto cosigned = run_round(witness, log, save);
  ASSERT_TRUE(cosigned) << cosigned.error().describe();
  ASSERT_EQ(cosigned->outcome, RoundOutcome::cosigned);
  PlainTestLog truncated;
  append_requests(3, truncated);

  Witness restarted = make_witness(saved.back());
  const auto report = run_round(restarted, truncated, save);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->outcome, RoundOutcome::alarm);
  EXPECT_TRUE(saved.back().in_alarm());
  EXPECT_NE(saved.back().alarm.find("truncation"), std::string::npos) << saved.back().alarm;
  EXPECT_TRUE(truncated.submitted.empty());
}

TEST_F(PlainWitnessTest, AStateOfTheKtLogOrOfAnotherKindIsRefused) {
  testing::TestLog kt_log;
  WitnessState kt_state;
  kt_state.log_vkey = kt_log.vkey();  // a KT witness's state: kind kt
  const auto on_kt_state = Witness::create(LogKind::disclosure, log.vkey(), "w",
                                           testing::test_key(0x33), kt_state, clock);
  ASSERT_FALSE(on_kt_state);
  EXPECT_EQ(on_kt_state.error().code, Errc::invalid_argument);
  EXPECT_NE(on_kt_state.error().context.find("another log"), std::string::npos);

  // The same vkey with the wrong --log: the kind in the state tells them apart.
  const auto kt_kind_on_disclosure_key = Witness::create(
      LogKind::kt, log.vkey(), "w", testing::test_key(0x33), make_witness().state(), clock);
  ASSERT_FALSE(kt_kind_on_disclosure_key);
  EXPECT_NE(kt_kind_on_disclosure_key.error().context.find("a disclosure log, not a kt log"),
            std::string::npos)
      << kt_kind_on_disclosure_key.error().context;
  kt_state.log_vkey = log.vkey();
  const auto disclosure_kind_on_kt_state = Witness::create(
      LogKind::disclosure, log.vkey(), "w", testing::test_key(0x33), kt_state, clock);
  ASSERT_FALSE(disclosure_kind_on_kt_state);
  EXPECT_NE(disclosure_kind_on_kt_state.error().context.find("a kt log, not a disclosure log"),
            std::string::npos);
}

TEST_F(PlainWitnessTest, AFailedFetchIsAnErrorNotAnAlarm) {
  append_requests(2);
  log.entry_error = Error{Errc::network, "connection reset"};
  Witness witness = make_witness();
  const auto refused = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::network);
  EXPECT_FALSE(witness.in_alarm());
  log.entry_error.reset();
  EXPECT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
}

}  // namespace
}  // namespace bulwark::witness
