// Sessions between two Bulwark parties: setup in both roles, conversations, reordering,
// duplicates and tampering. Interop with libsignal itself is in tests/interop/.
#include <gtest/gtest.h>

#include "party.h"

namespace bulwark::testing {
namespace {

using protocol::CiphertextType;

TEST(SessionTest, InitiatorSendsPreKeyMessagesUntilTheFirstReply) {
  Party alice("alice", 1);
  Party bob("bob", 2);
  alice.connect_to(bob);
  auto first = alice.send(bob, "hello");
  auto second = alice.send(bob, "again");
  EXPECT_EQ(first.type, CiphertextType::prekey);
  EXPECT_EQ(second.type, CiphertextType::prekey);
  EXPECT_EQ(first.body[0], std::byte{0x44});
  EXPECT_EQ(bob.receive(alice, first), "hello");
  EXPECT_EQ(bob.receive(alice, second), "again");
  auto reply = bob.send(alice, "hi");
  EXPECT_EQ(reply.type, CiphertextType::whisper);
  EXPECT_EQ(reply.body[0], std::byte{0x44});
  EXPECT_EQ(alice.receive(bob, reply), "hi");
  auto after = alice.send(bob, "now whisper");
  EXPECT_EQ(after.type, CiphertextType::whisper);
  EXPECT_EQ(bob.receive(alice, after), "now whisper");
}

TEST(SessionTest, WorksWithoutAOneTimePreKey) {
  Party alice("alice", 3);
  Party bob("bob", 4);
  alice.connect_to(bob, /*with_one_time=*/false);
  EXPECT_EQ(bob.receive(alice, alice.send(bob, "no opk")), "no opk");
  EXPECT_EQ(alice.receive(bob, bob.send(alice, "fine")), "fine");
}

TEST(SessionTest, PingPongTurnsTheRatchetEveryTime) {
  Party alice("alice", 5);
  Party bob("bob", 6);
  alice.connect_to(bob);
  for (int round = 0; round < 20; ++round) {
    std::string a = "a" + std::to_string(round);
    std::string b = "b" + std::to_string(round);
    ASSERT_EQ(bob.receive(alice, alice.send(bob, a)), a);
    ASSERT_EQ(alice.receive(bob, bob.send(alice, b)), b);
  }
}

TEST(SessionTest, OutOfOrderAcrossSeveralRatchetTurns) {
  Party alice("alice", 7);
  Party bob("bob", 8);
  alice.connect_to(bob);
  ASSERT_EQ(bob.receive(alice, alice.send(bob, "start")), "start");
  std::vector<protocol::CiphertextMessage> late;
  for (int turn = 0; turn < 4; ++turn) {
    std::vector<protocol::CiphertextMessage> burst;
    for (int i = 0; i < 5; ++i) burst.push_back(bob.send(alice, "t" + std::to_string(turn) + "m" + std::to_string(i)));
    // Deliver the last, then the first; keep the rest for later.
    ASSERT_EQ(alice.receive(bob, burst[4]), "t" + std::to_string(turn) + "m4");
    ASSERT_EQ(alice.receive(bob, burst[0]), "t" + std::to_string(turn) + "m0");
    for (int i = 1; i < 4; ++i) late.push_back(std::move(burst[i]));
    ASSERT_EQ(bob.receive(alice, alice.send(bob, "ack")), "ack");
  }
  for (std::size_t i = late.size(); i-- > 0;) {
    int turn = static_cast<int>(i / 3);
    int index = static_cast<int>(i % 3) + 1;
    EXPECT_EQ(alice.receive(bob, late[i]), "t" + std::to_string(turn) + "m" + std::to_string(index));
  }
}

TEST(SessionTest, DuplicateIsRejectedAndSessionContinues) {
  Party alice("alice", 9);
  Party bob("bob", 10);
  alice.connect_to(bob);
  auto first = alice.send(bob, "once");
  ASSERT_EQ(bob.receive(alice, first), "once");
  auto again = bob.decrypt(alice, first);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::duplicate_message);
  auto reply = bob.send(alice, "r");
  ASSERT_EQ(alice.receive(bob, reply), "r");
  EXPECT_EQ(alice.decrypt(bob, reply).error().code, Errc::duplicate_message);
  EXPECT_EQ(bob.receive(alice, alice.send(bob, "next")), "next");
}

TEST(SessionTest, BothSidesInitiatingConvergeOnTheLatestSession) {
  Party alice("alice", 11);
  Party bob("bob", 12);
  alice.connect_to(bob);
  bob.connect_to(alice);
  auto from_alice = alice.send(bob, "from alice");
  auto from_bob = bob.send(alice, "from bob");
  EXPECT_EQ(bob.receive(alice, from_alice), "from alice");
  EXPECT_EQ(alice.receive(bob, from_bob), "from bob");
  // Each side's current session is now the one the other started; messages keep flowing.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(bob.receive(alice, alice.send(bob, "x")), "x");
    EXPECT_EQ(alice.receive(bob, bob.send(alice, "y")), "y");
  }
}

TEST(SessionTest, MessagesOnAnArchivedSessionStillDecrypt) {
  Party alice("alice", 13);
  Party bob("bob", 14);
  alice.connect_to(bob);
  ASSERT_EQ(bob.receive(alice, alice.send(bob, "one")), "one");
  ASSERT_EQ(alice.receive(bob, bob.send(alice, "two")), "two");
  auto in_flight = bob.send(alice, "old session");
  alice.connect_to(bob);  // Alice starts over (e.g. after a reinstall on her side)
  ASSERT_EQ(bob.receive(alice, alice.send(bob, "new session")), "new session");
  EXPECT_EQ(alice.receive(bob, in_flight), "old session");
}

TEST(SessionTest, EncryptWithoutSessionIsSessionNotFound) {
  Party alice("alice", 15);
  Party bob("bob", 16);
  EXPECT_EQ(alice.encrypt(bob, "x").error().code, Errc::session_not_found);
  Party carol("carol", 17);
  carol.connect_to(bob);
  auto reply_to_carol = [&] {
    auto message = carol.send(bob, "hi");
    EXPECT_EQ(bob.receive(carol, message), "hi");
    return bob.send(carol, "hi carol");
  }();
  // A whisper message from someone we have no session with.
  EXPECT_EQ(alice.decrypt(bob, reply_to_carol).error().code, Errc::session_not_found);
}

TEST(SessionTest, UnacknowledgedSessionExpiresAfterThirtyDays) {
  Party alice("alice", 18);
  Party bob("bob", 19);
  alice.connect_to(bob);
  alice.now_ms += protocol::max_unacknowledged_session_age_ms;
  EXPECT_TRUE(alice.encrypt(bob, "still fine"));
  alice.now_ms += 1;
  EXPECT_EQ(alice.encrypt(bob, "too late").error().code, Errc::session_not_found);
}

}  // namespace
}  // namespace bulwark::testing
