// libsignal's bounds, which keep a hostile or broken peer from making a session grow without
// limit: 25,000 forward jumps, 2,000 skipped keys per chain, 5 receiver chains, 40 archived
// states; and the prekey life cycle (one-time keys deleted, last-resort Kyber keys kept).
#include <gtest/gtest.h>

#include "party.h"

namespace bulwark::testing {
namespace {

using protocol::CiphertextMessage;

class SessionLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_.connect_to(bob_);
    ASSERT_EQ(bob_.receive(alice_, alice_.send(bob_, "hi")), "hi");
  }

  std::vector<CiphertextMessage> bob_sends(std::size_t count) {
    std::vector<CiphertextMessage> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back(bob_.send(alice_, "m" + std::to_string(i)));
    return out;
  }

  Party alice_{"alice", 41};
  Party bob_{"bob", 42};
};

TEST_F(SessionLimitsTest, ForwardJumpBeyondTwentyFiveThousandIsRejected) {
  auto messages = bob_sends(protocol::max_forward_jump + 2);
  auto too_far = alice_.decrypt(bob_, messages.back());  // counter 25001: 25001 keys ahead
  ASSERT_FALSE(too_far);
  EXPECT_EQ(too_far.error().code, Errc::invalid_message);
  // Exactly the limit is fine.
  EXPECT_EQ(alice_.receive(bob_, messages[protocol::max_forward_jump]), "m25000");
}

TEST_F(SessionLimitsTest, OnlyTheNewestTwoThousandSkippedKeysAreKept) {
  auto messages = bob_sends(2501);
  ASSERT_EQ(alice_.receive(bob_, messages[2500]), "m2500");  // skips keys 0..2499
  auto evicted = alice_.decrypt(bob_, messages[499]);
  ASSERT_FALSE(evicted);
  EXPECT_EQ(evicted.error().code, Errc::duplicate_message);
  EXPECT_EQ(alice_.receive(bob_, messages[500]), "m500");
  EXPECT_EQ(alice_.receive(bob_, messages[2499]), "m2499");
}

TEST_F(SessionLimitsTest, OnlyFiveReceiverChainsAreKept) {
  // Each round trip gives Alice one more receiving chain (Bob's new ratchet key).
  std::vector<CiphertextMessage> late;
  for (int turn = 0; turn < 7; ++turn) {
    auto first = bob_.send(alice_, "late" + std::to_string(turn));
    late.push_back(bob_.send(alice_, "late" + std::to_string(turn)));
    ASSERT_EQ(alice_.receive(bob_, first), "late" + std::to_string(turn));
    ASSERT_EQ(bob_.receive(alice_, alice_.send(bob_, "turn")), "turn");
  }
  auto record = alice_.stores.sessions.load_session(bob_.address).value();
  EXPECT_EQ(record->current().receiver_chain_count(), protocol::max_receiver_chains);
  // Chains of the last five turns are held; older ones are gone.
  EXPECT_FALSE(alice_.decrypt(bob_, late[0]));
  EXPECT_FALSE(alice_.decrypt(bob_, late[1]));
  for (int turn = 2; turn < 7; ++turn)
    EXPECT_EQ(alice_.receive(bob_, late[static_cast<std::size_t>(turn)]), "late" + std::to_string(turn));
}

TEST_F(SessionLimitsTest, AtMostFortyArchivedStates) {
  for (int i = 0; i < 45; ++i) alice_.connect_to(bob_);
  auto record = alice_.stores.sessions.load_session(bob_.address).value();
  ASSERT_TRUE(record);
  EXPECT_EQ(record->archived_count(), protocol::max_archived_states);
  // Archived states no longer carry their prekey parameters.
  for (std::size_t i = 0; i < record->archived_count(); ++i)
    EXPECT_FALSE(record->archived(i).pending_pre_key().has_value());
}

TEST(PreKeyLifecycleTest, OneTimeKeysAreDeletedAndLastResortKyberKeysKept) {
  Party bob("bob", 43);
  Party alice("alice", 44);
  Party carol("carol", 45);
  auto bundle = bob.publish_bundle(/*with_one_time=*/false, protocol::KyberPreKeyKind::last_resort);
  ASSERT_TRUE(alice.process(bob, bundle));
  ASSERT_TRUE(carol.process(bob, bundle));
  EXPECT_EQ(bob.receive(alice, alice.send(bob, "from alice")), "from alice");
  EXPECT_EQ(bob.stores.kyber_pre_keys.size(), 1u);
  EXPECT_EQ(bob.receive(carol, carol.send(bob, "from carol")), "from carol");
  EXPECT_EQ(bob.stores.kyber_pre_keys.size(), 1u);

  auto one_time = bob.publish_bundle(/*with_one_time=*/true, protocol::KyberPreKeyKind::one_time);
  Party dave("dave", 46);
  ASSERT_TRUE(dave.process(bob, one_time));
  EXPECT_EQ(bob.stores.pre_keys.size(), 1u);
  EXPECT_EQ(bob.stores.kyber_pre_keys.size(), 2u);
  EXPECT_EQ(bob.receive(dave, dave.send(bob, "from dave")), "from dave");
  EXPECT_EQ(bob.stores.pre_keys.size(), 0u);
  EXPECT_EQ(bob.stores.kyber_pre_keys.size(), 1u);
  // Reusing a consumed one-time bundle cannot start a second session.
  Party eve("eve", 47);
  ASSERT_TRUE(eve.process(bob, one_time));
  auto refused = bob.decrypt(eve, eve.send(bob, "reuse"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_key_id);
}

}  // namespace
}  // namespace bulwark::testing
