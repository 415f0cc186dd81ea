// What must never happen to stored state: a failed store operation leaving half an update
// behind (fault loops, STYLE.md), a replayed first message reopening a session, an outer field
// rewriting who the peer is, and the trust decision being skipped.
#include <gtest/gtest.h>

#include "faulty_stores.h"
#include "party.h"

namespace bulwark::testing {
namespace {

using protocol::CiphertextMessage;
using protocol::CiphertextType;

constexpr std::size_t max_store_calls = 64;  // far more than any one operation makes

TEST(FaultLoopTest, PreKeyDecryptLeavesNoSessionUnlessItFullySucceeded) {
  Party alice("alice", 71);
  CiphertextMessage first;
  {
    Party bob("bob", 72);
    alice.connect_to(bob);
    first = alice.send(bob, "first");
  }
  bool succeeded = false;
  for (std::size_t n = 0; n < max_store_calls && !succeeded; ++n) {
    Party bob("bob", 72);  // the same keys every time (seeded)
    (void)bob.publish_bundle();
    FaultCounter faults;
    FaultyStores faulty(bob.stores, faults);
    faults.fail_call(n);
    auto result = protocol::decrypt_message(first.type, first.body, alice.address, faulty.view(), bob.rng);
    auto stored = bob.stores.sessions.load_session(alice.address).value();
    if (!result) {
      EXPECT_EQ(result.error().code, Errc::internal) << "call " << n;
      EXPECT_FALSE(stored.has_value()) << "a session was stored by a failed decrypt, call " << n;
      continue;
    }
    succeeded = true;
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(result->data()), result->size()), "first");
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(bob.stores.pre_keys.size(), 0u);
    EXPECT_EQ(bob.stores.kyber_pre_keys.size(), 0u);
  }
  EXPECT_TRUE(succeeded);
}

TEST(FaultLoopTest, WhisperDecryptAndEncryptChangeNothingWhenAStoreCallFails) {
  Party alice("alice", 73);
  Party bob("bob", 74);
  alice.connect_to(bob);
  ASSERT_EQ(bob.receive(alice, alice.send(bob, "hi")), "hi");
  auto message = bob.send(alice, "reply");
  FaultCounter faults;
  FaultyStores faulty(alice.stores, faults);
  bool decrypted = false;
  for (std::size_t n = 0; n < max_store_calls && !decrypted; ++n) {
    const std::string before = alice.record_bytes(bob);
    faults.fail_call(n);
    auto result = protocol::decrypt_message(message.type, message.body, bob.address, faulty.view(), alice.rng);
    faults.never_fail();
    if (!result) {
      EXPECT_EQ(alice.record_bytes(bob), before) << "call " << n;
      continue;
    }
    decrypted = true;
    EXPECT_NE(alice.record_bytes(bob), before);
  }
  ASSERT_TRUE(decrypted);
  bool encrypted = false;
  for (std::size_t n = 0; n < max_store_calls && !encrypted; ++n) {
    const std::string before = alice.record_bytes(bob);
    faults.fail_call(n);
    auto result = protocol::encrypt_message(as_bytes("next"), bob.address, faulty.view(), alice.now_ms, alice.rng);
    faults.never_fail();
    if (!result) {
      EXPECT_EQ(alice.record_bytes(bob), before) << "call " << n;
      continue;
    }
    encrypted = true;
    EXPECT_EQ(bob.receive(alice, *result), "next");
  }
  EXPECT_TRUE(encrypted);
}

TEST(FaultLoopTest, ProcessBundleStoresNothingWhenAStoreCallFails) {
  Party alice("alice", 75);
  Party bob("bob", 76);
  auto bundle = bob.publish_bundle();
  FaultCounter faults;
  FaultyStores faulty(alice.stores, faults);
  bool done = false;
  for (std::size_t n = 0; n < max_store_calls && !done; ++n) {
    faults.fail_call(n);
    auto result = protocol::process_pre_key_bundle(bob.address, bundle, faulty.view(), alice.now_ms, alice.rng);
    faults.never_fail();
    if (!result) {
      EXPECT_EQ(alice.record_bytes(bob), "") << "call " << n;
      continue;
    }
    done = true;
  }
  ASSERT_TRUE(done);
  EXPECT_EQ(bob.receive(alice, alice.send(bob, "works")), "works");
}

// libsignal's "reused base key" check: with no one-time prekey and a last-resort Kyber key,
// nothing but the Kyber store remembers a first message once its session has left Bob's
// record (40 newer states later), so the store must refuse the replay.
TEST(ReplayTest, FirstMessageOnALastResortKeyCannotBeReplayedAfterItsSessionLeftTheRecord) {
  Party alice("alice", 77);
  Party bob("bob", 78);
  auto bundle = bob.publish_bundle(/*with_one_time=*/false, protocol::KyberPreKeyKind::last_resort);
  ASSERT_TRUE(alice.process(bob, bundle));
  auto first = alice.send(bob, "pay 100 to mallory");
  ASSERT_EQ(bob.receive(alice, first), "pay 100 to mallory");
  for (std::size_t i = 0; i <= protocol::max_archived_states; ++i) {
    alice.connect_to(bob);
    ASSERT_EQ(bob.receive(alice, alice.send(bob, "again")), "again");
  }
  const std::string before = bob.record_bytes(alice);
  auto replay = bob.decrypt(alice, first);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, Errc::invalid_message);
  EXPECT_EQ(bob.record_bytes(alice), before);
}

// The identity key of a prekey message is not MAC-covered. When the message belongs to a
// session Bob already has, a different identity key in it must not be accepted.
TEST(ReplayTest, RewrappedPreKeyMessageCannotChangeThePeersIdentity) {
  Party alice("alice", 79);
  Party bob("bob", 80);
  Party mallory("mallory", 81);
  alice.connect_to(bob);
  ASSERT_EQ(bob.receive(alice, alice.send(bob, "one")), "one");
  auto second = alice.send(bob, "two");
  auto parsed = protocol::PreKeySignalMessage::parse(second.body).value();
  auto fields = parsed.fields();
  fields.identity_key = mallory.stores.identities.identity_key_pair().public_key();
  auto rewrapped = protocol::PreKeySignalMessage::create(fields, parsed.message());
  // Bob's trust store would even accept the new key (the user said so earlier).
  ASSERT_TRUE(bob.stores.identities.save_identity(alice.address, fields.identity_key));
  auto result = bob.decrypt(alice, {CiphertextType::prekey, to_bytes(rewrapped.serialized())});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_message);
}

TEST(TrustTest, EncryptAndDecryptRefuseAnIdentityTheStoreNoLongerTrusts) {
  Party alice("alice", 82);
  Party bob("bob", 83);
  Party other("other", 84);
  alice.connect_to(bob);
  ASSERT_EQ(bob.receive(alice, alice.send(bob, "hi")), "hi");
  auto reply = bob.send(alice, "reply");
  // Alice's identity store now pins another key for Bob (e.g. after a verified change).
  ASSERT_TRUE(alice.stores.identities.save_identity(bob.address, other.stores.identities.identity_key_pair().public_key()));
  const std::string before = alice.record_bytes(bob);
  EXPECT_EQ(alice.encrypt(bob, "x").error().code, Errc::untrusted_identity);
  EXPECT_EQ(alice.decrypt(bob, reply).error().code, Errc::untrusted_identity);
  EXPECT_EQ(alice.record_bytes(bob), before);
}

TEST(SessionFieldsTest, RegistrationIdsAndPreviousCounterAreLibsignals) {
  Party alice("alice", 85);
  Party bob("bob", 86);
  alice.connect_to(bob);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(bob.receive(alice, alice.send(bob, "a")), "a");
  auto a_record = alice.stores.sessions.load_session(bob.address).value().value();
  auto b_record = bob.stores.sessions.load_session(alice.address).value().value();
  EXPECT_EQ(a_record.current().local_registration_id(), alice.stores.identities.local_registration_id());
  EXPECT_EQ(a_record.current().remote_registration_id(), bob.stores.identities.local_registration_id());
  EXPECT_EQ(b_record.current().local_registration_id(), bob.stores.identities.local_registration_id());
  EXPECT_EQ(b_record.current().remote_registration_id(), alice.stores.identities.local_registration_id());
  // Alice sent counters 0, 1, 2 on her first chain; after Bob's reply her new chain's first
  // message reports 2 as the previous chain's last counter.
  ASSERT_EQ(alice.receive(bob, bob.send(alice, "b")), "b");
  auto next = alice.send(bob, "c");
  ASSERT_EQ(next.type, CiphertextType::whisper);
  auto parsed = protocol::SignalMessage::parse(next.body).value();
  EXPECT_EQ(parsed.fields().counter, 0u);
  EXPECT_EQ(parsed.fields().previous_counter, 2u);
}

class ArchivedStateTest : public ::testing::Test {
 protected:
  // Bob's record ends with Alice's first session archived and her second one current.
  void SetUp() override {
    alice_.connect_to(bob_);
    ASSERT_EQ(bob_.receive(alice_, alice_.send(bob_, "s1")), "s1");
    old_unacknowledged_ = alice_.send(bob_, "s1 again");  // still a prekey message of session 1
    old_ = bob_.send(alice_, "on the first session");
    alice_.connect_to(bob_);
    ASSERT_EQ(bob_.receive(alice_, alice_.send(bob_, "s2")), "s2");
  }

  Party alice_{"alice", 87};
  Party bob_{"bob", 88};
  CiphertextMessage old_unacknowledged_;
  CiphertextMessage old_;
};

TEST_F(ArchivedStateTest, AStateThatDecryptsBecomesCurrentAndIsSaved) {
  // Alice's session 1 is archived at her side too; Bob's message on it still decrypts ...
  EXPECT_EQ(alice_.receive(bob_, old_), "on the first session");
  // ... and the state it used was saved: a second delivery is a duplicate, found there.
  auto again = alice_.decrypt(bob_, old_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::duplicate_message);
  auto record = alice_.stores.sessions.load_session(bob_.address).value().value();
  EXPECT_EQ(record.archived_count(), 1u);
  EXPECT_FALSE(record.current().pending_pre_key().has_value());  // session 1 was answered
}

TEST_F(ArchivedStateTest, ADuplicateFoundInAnArchivedStateIsReportedAsADuplicate) {
  ASSERT_EQ(alice_.receive(bob_, old_), "on the first session");  // session 1 current again
  ASSERT_EQ(alice_.receive(bob_, bob_.send(alice_, "on the second")), "on the second");
  // Session 1 is archived once more; the replay is recognised there, and the search stops.
  auto again = alice_.decrypt(bob_, old_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::duplicate_message);
}

TEST_F(ArchivedStateTest, ARepeatedPreKeyMessageFindsItsArchivedSession) {
  // Session 1's one-time prekey is gone, so this only decrypts if the archived session is found.
  EXPECT_EQ(bob_.receive(alice_, old_unacknowledged_), "s1 again");
  EXPECT_EQ(bob_.decrypt(alice_, old_unacknowledged_).error().code, Errc::duplicate_message);
}

TEST(RoutingTest, AMessageDeliveredUnderTheWrongSenderFailsAndChangesNothing) {
  Party alice("alice", 89);
  Party bob("bob", 90);
  Party carol("carol", 91);
  alice.connect_to(bob);
  alice.connect_to(carol);
  ASSERT_EQ(bob.receive(alice, alice.send(bob, "b")), "b");
  ASSERT_EQ(carol.receive(alice, alice.send(carol, "c")), "c");
  auto from_bob = bob.send(alice, "from bob");
  const std::string carol_before = alice.record_bytes(carol);
  auto misrouted = alice.decrypt(carol, from_bob);
  ASSERT_FALSE(misrouted);
  EXPECT_EQ(misrouted.error().code, Errc::invalid_message);
  EXPECT_EQ(alice.record_bytes(carol), carol_before);
  EXPECT_EQ(alice.receive(bob, from_bob), "from bob");
}

}  // namespace
}  // namespace bulwark::testing
