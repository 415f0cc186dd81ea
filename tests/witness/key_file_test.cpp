// The witness's key file (witness/key_file.h): made once with mode 0600, then loaded; a file
// others may read, or of the wrong size, is refused.
#include "witness/key_file.h"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "witness/support/temp_dir.h"

namespace bulwark::witness {
namespace {

TEST(WitnessKeyFileTest, KeyIsCreatedOnceWithMode0600AndLoadedAfterwards) {
  testing::TempDir dir;
  const auto path = dir.path() / "witness.key";
  auto created = load_or_create_witness_key(path);
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_TRUE(created->created);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);

  auto loaded = load_or_create_witness_key(path);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_FALSE(loaded->created);
  EXPECT_EQ(loaded->key.public_key(), created->key.public_key());
}

TEST(WitnessKeyFileTest, KeyFileOthersMayReadIsRefused) {
  testing::TempDir dir;
  const auto path = dir.path() / "witness.key";
  ASSERT_TRUE(load_or_create_witness_key(path));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  const auto refused = load_or_create_witness_key(path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::storage);
}

TEST(WitnessKeyFileTest, KeyFileOfAnotherSizeIsRefused) {
  testing::TempDir dir;
  const auto path = dir.path() / "witness.key";
  std::ofstream(path) << "too short";
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_EQ(load_or_create_witness_key(path).error().code, Errc::invalid_length);
  std::ofstream(path) << std::string(33, 'k');
  EXPECT_FALSE(load_or_create_witness_key(path));
}

}  // namespace
}  // namespace bulwark::witness
