// Property test: thousands of random delivery schedules between two parties (reordering,
// drops, duplicates, forgeries), checked against a model of what must happen:
//   - every genuine message decrypts exactly once, to its own plaintext, unless the chain it
//     was sent on has been evicted (more than max_receiver_chains DH turns ago);
//   - a second delivery fails (duplicate_message while its chain is still held);
//   - a forged copy always fails, and never disturbs anything that follows.
// The model tracks ratchet "epochs": each party's sending key number, and the peer epochs it
// holds receiving chains for. A new epoch from the peer adds a chain and starts a new epoch of
// our own, exactly as the Double Ratchet does.
#include <algorithm>
#include <deque>
#include <random>

#include <gtest/gtest.h>

#include "party.h"

namespace bulwark::testing {
namespace {

struct InFlight {
  protocol::CiphertextMessage message;
  std::string plaintext;
  int epoch;
  bool delivered = false;
};

struct Side {
  explicit Side(Party p) : party(std::move(p)) {}
  Party party;
  int epoch = 0;          // our current sending epoch
  std::deque<int> held;   // peer epochs we hold receiving chains for, oldest first
  bool has_session = false;
};

class ScheduleRun {
 public:
  explicit ScheduleRun(std::uint64_t seed)
      : alice_(Party("alice", seed * 2 + 1)), bob_(Party("bob", seed * 2 + 2)), random_(seed) {
    alice_.party.connect_to(bob_.party, seed % 2 == 0);
    alice_.held = {0};  // Bob's signed prekey is Alice's first receiving chain
    alice_.has_session = true;
  }

  void run(int steps) {
    for (int step = 0; step < steps && !::testing::Test::HasFailure(); ++step) {
      auto dice = random_() % 10;
      if (dice < 4 || (pool_.empty())) {
        send(random_() % 2 == 0 ? alice_ : bob_, random_() % 2 == 0 ? bob_ : alice_);
      } else if (dice < 8) {
        deliver(random_() % pool_.size(), /*keep_copy=*/random_() % 5 == 0);
      } else if (dice == 8) {
        forge(random_() % pool_.size());
      } else {
        erase(random_() % pool_.size());  // dropped by the network
      }
    }
  }

 private:
  Side& peer_of(const Side& side) { return &side == &alice_ ? bob_ : alice_; }

  void send(Side& from, Side& to) {
    if (&from == &to || !from.has_session) return;
    std::string text = from.party.address.name + "#" + std::to_string(sent_++);
    auto message = from.party.encrypt(to.party, text);
    ASSERT_TRUE(message) << message.error().describe();
    pool_.push_back({std::move(*message), text, from.epoch});
    senders_.push_back(&from);
  }

  // Whether the receiver should decrypt a first delivery of epoch `epoch`, updating the model.
  static bool expect_and_apply(Side& to, int epoch) {
    if (std::find(to.held.begin(), to.held.end(), epoch) != to.held.end()) return true;
    if (!to.held.empty() && epoch < to.held.front()) return false;  // chain evicted
    to.held.push_back(epoch);
    if (to.held.size() > protocol::max_receiver_chains) to.held.pop_front();
    ++to.epoch;
    return true;
  }

  void deliver(std::size_t index, bool keep_copy) {
    InFlight flight = pool_[index].delivered || keep_copy ? copy(pool_[index]) : std::move(pool_[index]);
    Side& from = *senders_[index];
    if (!keep_copy) erase(index);
    Side& to = peer_of(from);
    auto result = to.party.decrypt(from.party, flight.message);
    if (flight.delivered) {
      ASSERT_FALSE(result) << "second delivery of " << flight.plaintext << " decrypted";
      bool chain_held = std::find(to.held.begin(), to.held.end(), flight.epoch) != to.held.end();
      if (chain_held) {
        EXPECT_EQ(result.error().code, Errc::duplicate_message);
      }
      return;
    }
    if (keep_copy) pool_[index].delivered = true;
    if (!expect_and_apply(to, flight.epoch)) {
      EXPECT_FALSE(result) << flight.plaintext << " decrypted on an evicted chain";
      return;
    }
    ASSERT_TRUE(result) << flight.plaintext << ": " << result.error().describe();
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(result->data()), result->size()),
              flight.plaintext);
    to.has_session = true;
    ++decrypted_;
  }

  void forge(std::size_t index) {
    InFlight forged = copy(pool_[index]);
    auto& body = forged.message.body;
    body[random_() % body.size()] ^= std::byte{static_cast<unsigned char>(1u << (random_() % 8))};
    Side& from = *senders_[index];
    auto result = peer_of(from).party.decrypt(from.party, forged.message);
    // A flipped bit in a prekey message's outer (not MAC-covered) fields may still decrypt the
    // genuine inner message; libsignal behaves the same. Only whisper forgeries must fail.
    if (forged.message.type == protocol::CiphertextType::whisper)
      EXPECT_FALSE(result) << "forged copy of " << forged.plaintext << " decrypted";
    else if (result)
      pool_[index].delivered = true;  // it was the genuine message, delivered
    if (result && forged.message.type == protocol::CiphertextType::prekey) {
      EXPECT_TRUE(expect_and_apply(peer_of(from), forged.epoch));
      peer_of(from).has_session = true;
    }
  }

  static InFlight copy(const InFlight& flight) { return flight; }
  void erase(std::size_t index) {
    pool_.erase(pool_.begin() + static_cast<std::ptrdiff_t>(index));
    senders_.erase(senders_.begin() + static_cast<std::ptrdiff_t>(index));
  }

 public:
  int decrypted_ = 0;

 private:
  Side alice_;
  Side bob_;
  std::mt19937_64 random_;
  std::vector<InFlight> pool_;
  std::vector<Side*> senders_;
  int sent_ = 0;
};

// 2000 schedules in four shards, so that ctest can run them side by side.
class SessionScheduleTest : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(SessionScheduleTest, RandomSchedulesDeliverEveryGenuineMessageExactlyOnce) {
  constexpr std::uint64_t schedules_per_shard = 500;
  const std::uint64_t first = GetParam() * schedules_per_shard;
  int decrypted = 0;
  for (std::uint64_t seed = first; seed < first + schedules_per_shard && !HasFailure(); ++seed) {
    SCOPED_TRACE("schedule seed " + std::to_string(seed));
    ScheduleRun run(seed);
    run.run(40);
    decrypted += run.decrypted_;
  }
  // The schedules must exercise real traffic, not mostly fail to deliver.
  EXPECT_GT(decrypted, static_cast<int>(schedules_per_shard) * 8);
}

INSTANTIATE_TEST_SUITE_P(Shards, SessionScheduleTest, ::testing::Values(0, 1, 2, 3));

}  // namespace
}  // namespace bulwark::testing
