// The witness core (witness/witness.h): it cosigns a log it can audit, and refuses, with an
// alarm that outlives the call, every fork, rewrite and truncation; what anyone on the
// network could forge (a bad signature, another origin, a failed fetch) is an error only.
#include "witness/witness.h"

#include <string>

#include <gtest/gtest.h>

#include "kt/note.h"
#include "support/fake_clock.h"
#include "witness/support/test_log.h"

namespace bulwark::witness {
namespace {

using testing::TestLog;

class WitnessTest : public ::testing::Test {
 protected:
  bulwark::testing::FakeClock clock;
  TestLog log;

  Witness make_witness(WitnessState state = {}) {
    return Witness::create(LogKind::kt, log.vkey(), std::string(testing::witness_name),
                           testing::test_key(0x33), std::move(state), clock)
        .value();
  }

  void publish(int count, std::string_view prefix = "account") {
    for (int i = 0; i < count; ++i) {
      log.publish(std::string(prefix) + std::to_string(log.size()), "keys");
    }
  }

  // The timestamp of `cosignature` if it verifies under the witness's published vkey.
  static Result<std::uint64_t> verify(const Witness& witness, const Cosignature& cosignature) {
    const auto key = BULWARK_TRY(kt::CosignerKey::from_vkey(witness.cosigner().vkey()));
    const std::string body = kt::checkpoint_body(cosignature.checkpoint);
    const kt::Note note = BULWARK_TRY(kt::parse_note(body + "\n" + cosignature.line + "\n"));
    return kt::verify_cosignature(key, body, note.signatures.front());
  }
};

TEST_F(WitnessTest, CosignsAConsistentLogAndEachGrowthOfIt) {
  Witness witness = make_witness();
  publish(3);
  auto first = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->checkpoint, log.checkpoint(3));
  EXPECT_EQ(witness.state().size, 3u);
  EXPECT_EQ(witness.state().root, log.checkpoint(3).root);

  publish(4);
  auto second = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->checkpoint.size, 7u);
  EXPECT_EQ(witness.audited_size(), 7u);
  EXPECT_EQ(log.entries_fetched, 7u);  // each entry fetched once
  EXPECT_FALSE(witness.in_alarm());
}

TEST_F(WitnessTest, CosignatureVerifiesUnderItsVkeyAtTheClockTime) {
  Witness witness = make_witness();
  publish(2);
  clock.advance(std::chrono::milliseconds(5'500));
  const auto cosignature = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_TRUE(cosignature) << cosignature.error().describe();
  const auto timestamp = verify(witness, *cosignature);
  ASSERT_TRUE(timestamp) << timestamp.error().describe();
  EXPECT_EQ(*timestamp, 1'700'000'005u);
  EXPECT_EQ(witness.cosigner().name(), testing::witness_name);
}

TEST_F(WitnessTest, CosignsTheSameCheckpointAgain) {
  Witness witness = make_witness();
  publish(2);
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  clock.advance(std::chrono::milliseconds(1000));
  EXPECT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  EXPECT_FALSE(witness.in_alarm());
}

TEST_F(WitnessTest, RefusesTwoDifferentTreesOfOneSizeAndNeverCosignsAgain) {
  TestLog fork;  // the same history for two entries, then another third entry
  for (TestLog* each : {&log, &fork}) {
    each->publish("alice", "a0");
    each->publish("bob", "b0");
  }
  log.publish("carol", "honest");
  fork.publish("carol", "ghost device");
  ASSERT_EQ(log.checkpoint(2), fork.checkpoint(2));
  ASSERT_NE(log.checkpoint(3).root, fork.checkpoint(3).root);

  Witness witness = make_witness();
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  const auto refused = witness.observe(fork.signed_checkpoint(), fork.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("fork"), std::string::npos) << refused.error().context;
  EXPECT_TRUE(witness.in_alarm());
  EXPECT_EQ(witness.state().size, 3u);
  EXPECT_EQ(witness.state().root, log.checkpoint(3).root);

  log.publish("dave", "d0");  // the honest log goes on: still nothing is cosigned
  const auto after = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, Errc::invalid_proof);
}

TEST_F(WitnessTest, RefusesAForkThatGrewPastTheCosignedSize) {
  TestLog fork;
  publish(3);
  for (int i = 0; i < 3; ++i) fork.publish("account" + std::to_string(i), "keys");
  fork.publish("mallory", "ghost");
  fork.publish("mallory2", "ghost");
  Witness witness = make_witness();
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  // The fork's entries extend what was cosigned, so they do audit; but the fork then shows
  // another tree of size 4 than the honest log's.
  log.publish("zoe", "z0");
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  const auto refused = witness.observe(fork.signed_checkpoint(), fork.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().context.find("the witnessed log has root"), std::string::npos)
      << refused.error().context;
  EXPECT_TRUE(witness.in_alarm());
}

TEST_F(WitnessTest, RefusesATruncatedLog) {
  Witness witness = make_witness();
  publish(4);
  ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
  const auto refused = witness.observe(log.signed_checkpoint(3), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("truncation"), std::string::npos);
  EXPECT_TRUE(witness.in_alarm());
}

TEST_F(WitnessTest, RefusesAnEntryThatReinsertsAnExistingKey) {
  publish(3);
  kt::AuditEntry rewrite = log.audit_entry(2);
  rewrite.added.push_back(log.audit_entry(0).added.front());
  log.rewritten[2] = rewrite;
  Witness witness = make_witness();
  const auto refused = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("log entry 2 does not extend"), std::string::npos)
      << refused.error().context;
  EXPECT_TRUE(witness.in_alarm());
}

TEST_F(WitnessTest, RefusesEntriesWhoseRootIsNotTheCheckpoints) {
  publish(3);
  kt::AuditEntry rewrite = log.audit_entry(1);
  rewrite.added.front().commitment[0] ^= std::byte{1};  // another value, same key
  log.rewritten[1] = rewrite;
  Witness witness = make_witness();
  const auto refused = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("fork or rewrite"), std::string::npos);
  EXPECT_TRUE(witness.in_alarm());
}

TEST_F(WitnessTest, RefusesACheckpointNotSignedByTheLogKeyWithoutAnAlarm) {
  publish(2);
  const auto impostor =
      kt::NoteSigner::create(std::string(testing::log_origin), testing::test_key(0x44)).value();
  Witness witness = make_witness();
  const auto refused =
      witness.observe(testing::sign_checkpoint(log.checkpoint(2), impostor), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::auth_failed);
  EXPECT_FALSE(witness.in_alarm());

  std::string tampered = log.signed_checkpoint();
  tampered[tampered.find('\n') + 1] = '3';  // the size line, under the log's signature
  EXPECT_FALSE(witness.observe(tampered, log.fetcher()));
  EXPECT_FALSE(witness.observe("not a note", log.fetcher()));
  EXPECT_FALSE(witness.in_alarm());
  EXPECT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
}

TEST_F(WitnessTest, RefusesACheckpointOfAnotherOriginWithoutAnAlarm) {
  publish(2);
  kt::Checkpoint other = log.checkpoint(2);
  other.origin = "other.test/kt";
  Witness witness = make_witness();
  const auto refused =
      witness.observe(testing::sign_checkpoint(other, testing::log_signer()), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_FALSE(witness.in_alarm());
}

TEST_F(WitnessTest, AFailedFetchIsAnErrorNotAnAlarm) {
  publish(2);
  log.entry_error = Error{Errc::network, "connection reset"};
  Witness witness = make_witness();
  const auto refused = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::network);
  EXPECT_FALSE(witness.in_alarm());
  log.entry_error.reset();
  EXPECT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
}

TEST_F(WitnessTest, AMalformedEntryIsAnErrorNotAnAlarm) {
  publish(3);
  const EntryFetcher garbled = [this](std::uint64_t index) -> Result<Bytes> {
    if (index == 1) return Bytes{std::byte{1}, std::byte{2}};
    return log.entry(index);
  };
  Witness witness = make_witness();
  const auto refused = witness.observe(log.signed_checkpoint(), garbled);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().code, Errc::invalid_proof);
  EXPECT_NE(refused.error().context.find("log entry 1: "), std::string::npos)
      << refused.error().context;
  EXPECT_FALSE(witness.in_alarm());
  EXPECT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
}

TEST_F(WitnessTest, RestartRebuildsTheAuditorFromTheLogAndGoesOn) {
  publish(3);
  WitnessState stored;
  {
    Witness witness = make_witness();
    ASSERT_TRUE(witness.observe(log.signed_checkpoint(), log.fetcher()));
    stored = witness.state();
  }
  publish(2);
  Witness restarted = make_witness(stored);
  ASSERT_TRUE(restarted.restore(log.fetcher()));
  EXPECT_EQ(restarted.audited_size(), 3u);
  const auto cosignature = restarted.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_TRUE(cosignature) << cosignature.error().describe();
  EXPECT_EQ(cosignature->checkpoint.size, 5u);
}

TEST_F(WitnessTest, RestartRaisesTheAlarmWhenTheLogNoLongerGivesTheCosignedRoot) {
  publish(3);
  WitnessState stored = make_witness().state();
  stored.size = 3;
  stored.root = log.checkpoint(3).root;
  stored.root[0] ^= std::byte{1};
  Witness restarted = make_witness(stored);
  const auto restored = restarted.restore(log.fetcher());
  ASSERT_FALSE(restored);
  EXPECT_EQ(restored.error().code, Errc::invalid_proof);
  EXPECT_TRUE(restarted.in_alarm());
  EXPECT_FALSE(restarted.observe(log.signed_checkpoint(), log.fetcher()));
}

TEST_F(WitnessTest, AStoredAlarmKeepsTheWitnessFromCosigning) {
  publish(2);
  WitnessState stored = make_witness().state();
  stored.alarm = "log checkpoint 2 has root X but ...";
  Witness witness = make_witness(stored);
  const auto refused = witness.observe(log.signed_checkpoint(), log.fetcher());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_proof);
  EXPECT_EQ(log.entries_fetched, 0u);
}

TEST_F(WitnessTest, CreateRefusesAStateOfAnotherLogAndABadVkeyOrName) {
  WitnessState other;
  other.log_vkey = "other.test/kt+00000000+AQ==";
  EXPECT_FALSE(
      Witness::create(LogKind::kt, log.vkey(), "w", testing::test_key(0x33), other, clock));
  EXPECT_FALSE(Witness::create(LogKind::kt, "not a vkey", "w", testing::test_key(0x33), {}, clock));
  EXPECT_FALSE(
      Witness::create(LogKind::kt, log.vkey(), "bad name", testing::test_key(0x33), {}, clock));
  const auto fresh =
      Witness::create(LogKind::kt, log.vkey(), "w", testing::test_key(0x33), {}, clock);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->state().log_vkey, log.vkey());
  EXPECT_EQ(fresh->origin(), testing::log_origin);
}

}  // namespace
}  // namespace bulwark::witness
