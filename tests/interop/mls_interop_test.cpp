// Live MLS (RFC 9420) interop: three clients in one group, each a separate peer process of some
// kind (tests/interop/mls/README.md), run for every pairing of kinds below and for cipher suites
// 1 and 3. In a pairing (X, Y), Alice (the creator) and Carol are X and Bob is Y, so each kind
// commits, processes the other's commits, and joins from the other's Welcome.
//
// After every epoch change all members must report the same state (epoch, epoch_authenticator,
// roster), and every member sends one application message that every other member decrypts.
// Refusals are checked the same way as in interop_test.cpp: a refused message must leave the
// receiver's state unchanged, and a genuine message after it must still go through.
// Deterministic: plaintexts and garbage come from a fixed seed (mt19937); no sleeps.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "mls_driver.h"
#include "wire_edit.h"

namespace bulwark::interop {
namespace {

// The pairings run, as (kind of Alice and Carol, kind of Bob): {ts-mls, bulwark}^2.
const std::vector<std::pair<std::string, std::string>> mls_kind_pairs = {
    {"ts-mls", "ts-mls"},
    {"bulwark", "ts-mls"},
    {"ts-mls", "bulwark"},
    {"bulwark", "bulwark"},
};

// The cipher suites every pairing runs: RFC 9420's mandatory suite and the ChaCha20 one.
constexpr int mls_suites[] = {1, 3};

struct MlsPairing {
  std::string first;   // Alice and Carol
  std::string second;  // Bob
  int suite = 1;
};

void PrintTo(const MlsPairing& pairing, std::ostream* out) {
  *out << pairing.first << " + " << pairing.second << ", suite " << pairing.suite;
}

std::vector<MlsPairing> mls_pairings() {
  std::vector<MlsPairing> pairings;
  for (const auto& [first, second] : mls_kind_pairs) {
    for (int suite : mls_suites) pairings.push_back({first, second, suite});
  }
  return pairings;
}

std::string mls_pairing_name(const ::testing::TestParamInfo<MlsPairing>& info) {
  return mls_kind_test_name(info.param.first) + "With" + mls_kind_test_name(info.param.second) +
         "Suite" + std::to_string(info.param.suite);
}

std::string with_bit_flipped(std::string bytes, std::size_t index, std::uint8_t mask) {
  bytes.at(index) = static_cast<char>(static_cast<std::uint8_t>(bytes.at(index)) ^ mask);
  return bytes;
}

class MlsInteropTest : public ::testing::TestWithParam<MlsPairing> {
 protected:
  void SetUp() override {
    for (const auto& kind : {GetParam().first, GetParam().second}) {
      if (auto why = missing_mls_dependency(kind); !why.empty()) FAIL() << why;
    }
    alice_ = std::make_unique<MlsPeer>(GetParam().first, "alice", GetParam().suite);
    bob_ = std::make_unique<MlsPeer>(GetParam().second, "bob", GetParam().suite);
    carol_ = std::make_unique<MlsPeer>(GetParam().first, "carol", GetParam().suite);
  }

  // Alice creates the group and adds Bob, who joins from the Welcome and the ratchet tree.
  void form_alice_and_bob() {
    ASSERT_EQ(alice_->create_group(group_id_), 0u);
    auto genesis = alice_->state(group_id_);
    EXPECT_EQ(genesis.members, (std::vector<MlsMember>{{0, "alice"}}));
    auto add = alice_->add(group_id_, {bob_->key_package()});
    EXPECT_EQ(add.epoch, 1u);
    ASSERT_EQ(bob_->join(add), group_id_);
    ASSERT_NO_FATAL_FAILURE(expect_agreement({alice_.get(), bob_.get()}, 1));
    EXPECT_NE(alice_->state(group_id_).epoch_authenticator, genesis.epoch_authenticator);
    ASSERT_NO_FATAL_FAILURE(converse({alice_.get(), bob_.get()}));
  }

  // Bob adds Carol; Alice processes Bob's commit and Carol joins.
  void bob_adds_carol() {
    auto add = bob_->add(group_id_, {carol_->key_package()});
    EXPECT_EQ(add.epoch, 2u);
    ASSERT_NO_FATAL_FAILURE(deliver_commit(add, {alice_.get()}));
    ASSERT_EQ(carol_->join(add), group_id_);
    ASSERT_NO_FATAL_FAILURE(expect_agreement(everyone(), 2));
    ASSERT_NO_FATAL_FAILURE(converse(everyone()));
  }

  // Every member reports the same state at `epoch`; it is returned for later comparisons.
  MlsGroupState expect_agreement(const std::vector<MlsPeer*>& members, std::uint64_t epoch) {
    auto reference = members.front()->state(group_id_);
    EXPECT_EQ(reference.epoch, epoch) << members.front()->name();
    EXPECT_FALSE(reference.epoch_authenticator.empty());
    for (std::size_t i = 1; i < members.size(); ++i) {
      EXPECT_EQ(members[i]->state(group_id_), reference)
          << members[i]->name() << " disagrees with " << members.front()->name();
    }
    return reference;
  }

  // Every listed member processes `commit` and reaches the committer's new epoch.
  void deliver_commit(const MlsCommit& commit, const std::vector<MlsPeer*>& receivers) {
    for (auto* receiver : receivers) {
      auto response = receiver->process(group_id_, commit.commit);
      ASSERT_TRUE(response["ok"].get<bool>()) << receiver->name() << ": " << response.dump();
      EXPECT_EQ(response.value("kind", ""), "commit") << receiver->name();
      EXPECT_EQ(mls_uint_field(response, "epoch"), commit.epoch) << receiver->name();
    }
  }

  // A fresh plaintext: the sender's name and a counter, then 0..47 seeded bytes of any value.
  std::string plaintext_from(const MlsPeer& sender) {
    std::string text = sender.name() + "#" + std::to_string(++sent_) + ":";
    for (int n = std::uniform_int_distribution<int>(0, 47)(rng_); n > 0; --n) {
      text += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng_));
    }
    return text;
  }

  ::testing::AssertionResult delivered(MlsPeer& receiver, const std::string& message,
                                       const std::string& plaintext) {
    auto response = receiver.process(group_id_, message);
    if (!response["ok"].get<bool>() || response.value("kind", "") != "application") {
      return ::testing::AssertionFailure() << receiver.name() << ": " << response.dump();
    }
    if (mls_bytes_field(response, "plaintext") != plaintext) {
      return ::testing::AssertionFailure() << receiver.name() << " got another plaintext";
    }
    return ::testing::AssertionSuccess();
  }

  // `receiver` refuses `message` and its state stays as it was. Error texts differ by library
  // and are not compared.
  ::testing::AssertionResult refused(MlsPeer& receiver, const std::string& message) {
    auto before = receiver.state(group_id_);
    auto response = receiver.process(group_id_, message);
    if (response["ok"].get<bool>()) {
      return ::testing::AssertionFailure() << receiver.name() << " accepted: " << response.dump();
    }
    if (!response.contains("error") || !response["error"].is_string()) {
      return ::testing::AssertionFailure() << "refusal without error text: " << response.dump();
    }
    if (receiver.state(group_id_) != before) {
      return ::testing::AssertionFailure() << receiver.name() << "'s state changed on refusal";
    }
    return ::testing::AssertionSuccess();
  }

  // Each member sends one message; every other member decrypts it.
  void converse(const std::vector<MlsPeer*>& members) {
    for (auto* sender : members) {
      auto plaintext = plaintext_from(*sender);
      auto message = sender->encrypt(group_id_, plaintext);
      for (auto* receiver : members) {
        if (receiver == sender) continue;
        ASSERT_TRUE(delivered(*receiver, message, plaintext)) << "from " << sender->name();
      }
    }
  }

  std::vector<MlsPeer*> everyone() { return {alice_.get(), bob_.get(), carol_.get()}; }

  std::string group_id_ = "bulwark-mls-interop";
  std::mt19937 rng_{0x5EED9u};
  int sent_ = 0;
  std::unique_ptr<MlsPeer> alice_;
  std::unique_ptr<MlsPeer> bob_;
  std::unique_ptr<MlsPeer> carol_;
};

TEST_P(MlsInteropTest, TwoMembersAgreeAndTalkBothWays) {
  ASSERT_NO_FATAL_FAILURE(form_alice_and_bob());
  // Several messages per sender in one epoch advance the secret tree's ratchets.
  for (int round = 0; round < 5; ++round) {
    ASSERT_NO_FATAL_FAILURE(converse({alice_.get(), bob_.get()}));
  }
}

// The issue's scenario: add, add by a joiner, update, remove, with agreement and traffic after
// every change, and the removed member locked out of the new epoch.
TEST_P(MlsInteropTest, AddUpdateRemoveKeepEveryoneInAgreement) {
  ASSERT_NO_FATAL_FAILURE(form_alice_and_bob());
  ASSERT_NO_FATAL_FAILURE(bob_adds_carol());
  auto carol_leaf = expect_agreement(everyone(), 2).members.at(2);
  ASSERT_EQ(carol_leaf, (MlsMember{2, "carol"}));

  auto before_update = alice_->state(group_id_);
  auto update = bob_->update(group_id_);
  EXPECT_EQ(update.epoch, 3u);
  ASSERT_NO_FATAL_FAILURE(deliver_commit(update, {alice_.get(), carol_.get()}));
  auto after_update = expect_agreement(everyone(), 3);
  EXPECT_EQ(after_update.members, before_update.members);
  EXPECT_NE(after_update.epoch_authenticator, before_update.epoch_authenticator);
  ASSERT_NO_FATAL_FAILURE(converse(everyone()));

  auto remove = alice_->remove(group_id_, {carol_leaf.leaf});
  EXPECT_EQ(remove.epoch, 4u);
  ASSERT_NO_FATAL_FAILURE(deliver_commit(remove, {bob_.get()}));
  auto after_remove = expect_agreement({alice_.get(), bob_.get()}, 4);
  EXPECT_EQ(after_remove.members, (std::vector<MlsMember>{{0, "alice"}, {1, "bob"}}));
  ASSERT_NO_FATAL_FAILURE(converse({alice_.get(), bob_.get()}));

  // Carol never saw the remove; she holds epoch 3 and cannot read epoch 4.
  for (auto* sender : {alice_.get(), bob_.get()}) {
    auto plaintext = plaintext_from(*sender);
    auto message = sender->encrypt(group_id_, plaintext);
    EXPECT_TRUE(refused(*carol_, message)) << "from " << sender->name();
    EXPECT_TRUE(delivered(sender == alice_.get() ? *bob_ : *alice_, message, plaintext));
  }
  EXPECT_EQ(carol_->state(group_id_).epoch, 3u);
}

// Each corruption of an application message is refused without a state change, and the
// genuine message still decrypts afterwards; so does a replay of a consumed message.
TEST_P(MlsInteropTest, CorruptedApplicationMessagesAreRefused) {
  ASSERT_NO_FATAL_FAILURE(form_alice_and_bob());
  auto plaintext = plaintext_from(*alice_);
  auto message = alice_->encrypt(group_id_, plaintext);
  ASSERT_GT(message.size(), 16u + group_id_.size());
  // PrivateMessage: version(2) wire_format(2) group_id<V> epoch(8) content_type(1) ...
  std::size_t epoch_low_byte = 2 + 2 + 1 + group_id_.size() + 7;
  std::string garbage(message.size(), '\0');
  for (auto& c : garbage) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng_));
  const std::vector<std::pair<std::string, std::string>> corruptions = {
      {"tag bit", with_bit_flipped(message, message.size() - 1, 0x01)},
      {"middle bit", with_bit_flipped(message, message.size() / 2, 0x80)},
      {"epoch", with_bit_flipped(message, epoch_low_byte, 0x01)},
      {"wire format", with_bit_flipped(message, 3, 0x06)},
      {"truncated", message.substr(0, message.size() - 1)},
      {"trailing byte", message + std::string(1, '\0')},
      {"garbage", garbage},
      {"empty", ""},
  };
  for (const auto& [what, corrupted] : corruptions) {
    EXPECT_TRUE(refused(*bob_, corrupted)) << what;
  }
  EXPECT_TRUE(delivered(*bob_, message, plaintext));
  EXPECT_TRUE(refused(*bob_, message)) << "replay";
  ASSERT_NO_FATAL_FAILURE(converse({alice_.get(), bob_.get()}));
}

// A corrupted commit is refused and leaves the receiver in the old epoch; the genuine commit
// then applies and both sides agree.
TEST_P(MlsInteropTest, CorruptedCommitIsRefusedAndTheGenuineOneApplies) {
  ASSERT_NO_FATAL_FAILURE(form_alice_and_bob());
  auto update = alice_->update(group_id_);
  EXPECT_TRUE(refused(*bob_, with_bit_flipped(update.commit, update.commit.size() - 1, 0x01)));
  EXPECT_TRUE(refused(*bob_, with_bit_flipped(update.commit, update.commit.size() / 2, 0x10)));
  EXPECT_TRUE(refused(*bob_, update.commit.substr(0, update.commit.size() / 2)));
  EXPECT_EQ(bob_->state(group_id_).epoch, 1u);
  ASSERT_NO_FATAL_FAILURE(deliver_commit(update, {bob_.get()}));
  ASSERT_NO_FATAL_FAILURE(expect_agreement({alice_.get(), bob_.get()}, 2));
  ASSERT_NO_FATAL_FAILURE(converse({alice_.get(), bob_.get()}));
}

INSTANTIATE_TEST_SUITE_P(Pairings, MlsInteropTest, ::testing::ValuesIn(mls_pairings()),
                         mls_pairing_name);

}  // namespace
}  // namespace bulwark::interop
