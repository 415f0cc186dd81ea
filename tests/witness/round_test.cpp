// One round of the witness loop (witness/round.h): the state is stored before the
// cosignature leaves, an alarm is stored and reported, and nothing is sent when the state
// cannot be stored.
#include "witness/round.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "witness/support/test_log.h"

namespace bulwark::witness {
namespace {

using testing::TestLog;

class RoundTest : public ::testing::Test {
 protected:
  bulwark::testing::FakeClock clock;
  TestLog log;
  std::vector<WitnessState> saved;
  std::vector<std::size_t> submitted_when_saved;
  std::optional<Error> save_error;
  StateSaver save = [this](const WitnessState& state) -> Result<void> {
    if (save_error) return tl::unexpected(*save_error);
    saved.push_back(state);
    submitted_when_saved.push_back(log.submitted.size());
    return {};
  };

  Witness make_witness(WitnessState state = {}) {
    return Witness::create(LogKind::kt, log.vkey(), std::string(testing::witness_name),
                           testing::test_key(0x33), std::move(state), clock)
        .value();
  }
};

TEST_F(RoundTest, EmptyLogHasNothingNew) {
  Witness witness = make_witness();
  const auto report = run_round(witness, log, save);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->outcome, RoundOutcome::nothing_new);
  EXPECT_TRUE(saved.empty());
}

TEST_F(RoundTest, CosignsStoresTheStateThenSubmits) {
  Witness witness = make_witness();
  log.publish("alice", "a0");
  log.publish("bob", "b0");
  const auto report = run_round(witness, log, save);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->outcome, RoundOutcome::cosigned);
  EXPECT_EQ(report->size, 2u);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].size, 2u);
  EXPECT_EQ(submitted_when_saved[0], 0u);  // stored before anything was sent
  ASSERT_EQ(log.submitted.size(), 1u);
  EXPECT_EQ(log.submitted[0].first, 2u);

  const auto again = run_round(witness, log, save);  // the server now shows the cosignature
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, RoundOutcome::nothing_new);
  EXPECT_EQ(log.submitted.size(), 1u);
}

TEST_F(RoundTest, NothingIsSentWhenTheStateCannotBeStored) {
  Witness witness = make_witness();
  log.publish("alice", "a0");
  save_error = Error{Errc::storage, "disk full"};
  const auto report = run_round(witness, log, save);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, Errc::storage);
  EXPECT_TRUE(log.submitted.empty());
}

TEST_F(RoundTest, AnAlarmIsStoredAndReportedEveryRound) {
  Witness witness = make_witness();
  log.publish("alice", "a0");
  log.publish("bob", "b0");
  ASSERT_TRUE(run_round(witness, log, save));
  log.rewritten[2] = log.audit_entry(0);  // entry 2 re-adds entry 0's key
  log.publish("carol", "c0");
  const auto report = run_round(witness, log, save);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->outcome, RoundOutcome::alarm);
  ASSERT_EQ(saved.size(), 2u);
  EXPECT_TRUE(saved.back().in_alarm());
  EXPECT_EQ(saved.back().size, 2u);

  log.rewritten.clear();
  const auto later = run_round(witness, log, save);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->outcome, RoundOutcome::alarm);
  EXPECT_EQ(log.submitted.size(), 1u);
}

TEST_F(RoundTest, RestartCheckFailureIsStoredAsAnAlarm) {
  log.publish("alice", "a0");
  WitnessState stored;
  stored.log_vkey = log.vkey();
  stored.size = 1;  // a root the log never had
  Witness witness = make_witness(stored);
  const auto report = run_round(witness, log, save);
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->outcome, RoundOutcome::alarm);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_TRUE(saved[0].in_alarm());
}

TEST_F(RoundTest, NetworkErrorsAreErrorsAndStoreNothing) {
  Witness witness = make_witness();
  log.publish("alice", "a0");
  log.entry_error = Error{Errc::network, "timed out"};
  const auto report = run_round(witness, log, save);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, Errc::network);
  EXPECT_TRUE(saved.empty());
  EXPECT_FALSE(witness.in_alarm());
}

}  // namespace
}  // namespace bulwark::witness
