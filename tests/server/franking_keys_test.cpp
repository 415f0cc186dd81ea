// The server's franking keys on disk (server/franking_keys.h): made on first start, kept across
// restarts, rotated per epoch, and destroyed - in memory and on disk - after the retention
// window, so old messages can no longer be proven.
#include "server/franking_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "support/seeded_rng.h"

namespace bulwark::server {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t hour_ms = 3'600'000;
// Epochs of one hour, messages provable for three hours after their epoch.
const FrankingSettings test_settings{std::chrono::hours(1), std::chrono::hours(3)};

class FrankingKeysTest : public ::testing::Test {
 protected:
  FrankingKeysTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("bulwark-franking-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
  }
  ~FrankingKeysTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<FrankingKeys> open(std::int64_t now_ms) {
    auto keys = FrankingKeys::open(dir_, test_settings, rng_, now_ms);
    EXPECT_TRUE(keys) << keys.error().describe();
    return keys ? std::move(*keys) : nullptr;
  }
  franking::Stamp stamp(const FrankingKeys& keys, std::int64_t now_ms) {
    const franking::StampRequest request{tag_, sender_, recipient_};
    return keys.sign_batch(std::span(&request, 1), now_ms).value().stamp(0);
  }
  Result<void> verify(const FrankingKeys& keys, const franking::Stamp& stamp) {
    return keys.verify(stamp, tag_, sender_, recipient_);
  }

  std::filesystem::path dir_;
  testing::SeededRng rng_{21};
  franking::FrankingTag tag_{};
  Bytes sender_ = Bytes(16, std::byte{1});
  Bytes recipient_ = Bytes(16, std::byte{2});
};

TEST_F(FrankingKeysTest, FirstStartMakesOwnerOnlyKeysThatStamp) {
  auto keys = open(10 * hour_ms + 5);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->epochs(), std::vector<std::uint32_t>{10});
  const franking::Stamp stamped = stamp(*keys, 10 * hour_ms + 5);
  EXPECT_EQ(stamped.epoch, 10u);
  EXPECT_TRUE(verify(*keys, stamped));
  EXPECT_TRUE(franking::verify_stamp_signature(keys->public_key(), stamped));
  for (const char* name : {"signing.key", "epoch-10.key"}) {
    struct stat info {};
    ASSERT_EQ(::stat((dir_ / name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << name;
    EXPECT_EQ(info.st_size, 32) << name;
  }
  struct stat dir_info {};
  ASSERT_EQ(::stat(dir_.c_str(), &dir_info), 0);
  EXPECT_EQ(dir_info.st_mode & 0777, 0700u);
}

TEST_F(FrankingKeysTest, ARestartKeepsTheKeysSoEarlierStampsStillVerify) {
  franking::Stamp before;
  crypto::Ed25519PublicKey public_key = [&] {
    auto keys = open(10 * hour_ms);
    before = stamp(*keys, 10 * hour_ms);
    return keys->public_key();
  }();
  auto reopened = open(11 * hour_ms + 1);  // the next epoch: a new key beside the old one
  ASSERT_TRUE(reopened);
  EXPECT_EQ(to_hex(reopened->public_key().bytes()), to_hex(public_key.bytes()));
  EXPECT_EQ(reopened->epochs(), (std::vector<std::uint32_t>{10, 11}));
  EXPECT_TRUE(verify(*reopened, before));
  EXPECT_EQ(stamp(*reopened, 11 * hour_ms + 1).epoch, 11u);
}

TEST_F(FrankingKeysTest, KeysPastTheRetentionWindowAreDestroyedAndTheirStampsNoLongerVerify) {
  auto keys = open(10 * hour_ms);
  const franking::Stamp old_stamp = stamp(*keys, 10 * hour_ms + 1);
  ASSERT_TRUE(keys->rotate(11 * hour_ms, rng_));
  const franking::Stamp newer_stamp = stamp(*keys, 11 * hour_ms + 1);
  // Epoch 10 ends at 11 h; provable until 14 h.
  ASSERT_TRUE(keys->rotate(14 * hour_ms - 1, rng_));
  EXPECT_TRUE(verify(*keys, old_stamp));
  ASSERT_TRUE(keys->rotate(14 * hour_ms, rng_));
  EXPECT_EQ(keys->epochs(), (std::vector<std::uint32_t>{11, 13, 14}));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "epoch-10.key"));
  auto refused = verify(*keys, old_stamp);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::not_found);
  EXPECT_TRUE(verify(*keys, newer_stamp));
  // And after a restart too: the key is gone from disk, not only from memory.
  keys.reset();
  auto reopened = open(14 * hour_ms + 1);
  EXPECT_EQ(verify(*reopened, old_stamp).error().code, Errc::not_found);
  EXPECT_TRUE(verify(*reopened, newer_stamp));
}

TEST_F(FrankingKeysTest, ADamagedKeyFileIsReportedNeverReplaced) {
  open(10 * hour_ms).reset();
  {
    std::ofstream truncate(dir_ / "epoch-10.key", std::ios::binary | std::ios::trunc);
    truncate << "short";
  }
  auto refused = FrankingKeys::open(dir_, test_settings, rng_, 10 * hour_ms);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_length);
  EXPECT_EQ(std::filesystem::file_size(dir_ / "epoch-10.key"), 5u);
}

TEST_F(FrankingKeysTest, OtherFilesInTheDirectoryAreLeftAlone) {
  std::filesystem::create_directories(dir_);
  { std::ofstream(dir_ / "epoch-x.key") << "not a key"; }
  { std::ofstream(dir_ / "notes.txt") << "hello"; }
  auto keys = open(3 * hour_ms);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->epochs(), std::vector<std::uint32_t>{3});
  EXPECT_TRUE(std::filesystem::exists(dir_ / "notes.txt"));
}

// A cluster's nodes share DATA_DIR/franking: each rotates on its own clock, and whichever does
// first makes the new epoch's key; the other loads it, so a stamp made on one node verifies on
// the other (a report can reach any node). No stray files are left behind.
TEST_F(FrankingKeysTest, NodesSharingTheDirectoryRotateToOneKeyPerEpoch) {
  auto node_a = open(10 * hour_ms);
  auto node_b = open(10 * hour_ms + 1);
  ASSERT_TRUE(node_a && node_b);
  EXPECT_EQ(node_a->public_key(), node_b->public_key());
  ASSERT_TRUE(node_a->rotate(11 * hour_ms, rng_));
  ASSERT_TRUE(node_b->rotate(11 * hour_ms + 5, rng_));
  EXPECT_EQ(node_b->epochs(), (std::vector<std::uint32_t>{10, 11}));
  const franking::Stamp from_b = stamp(*node_b, 11 * hour_ms + 10);
  EXPECT_EQ(from_b.epoch, 11u);
  EXPECT_TRUE(verify(*node_a, from_b));
  EXPECT_TRUE(verify(*node_b, stamp(*node_a, 11 * hour_ms + 10)));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".new-"), std::string::npos) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 3u) << "signing.key, epoch-10.key, epoch-11.key";
}

}  // namespace
}  // namespace bulwark::server
