// The keys that open the local database: key files (load_key_file) and passphrases
// (derive_key).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "client/local_store.h"
#include "store_fixture.h"

namespace bulwark::client {
namespace {

using bulwark::testing::read_file;
using bulwark::testing::TempDir;

void write_file(const std::filesystem::path& path, std::string_view contents, mode_t mode) {
  std::ofstream(path, std::ios::binary) << contents;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

TEST(LocalStoreKeyFileTest, CreatesAPrivateHexKeyFileWhenAbsent) {
  TempDir dir;
  const auto path = dir.path() / "client.key";
  auto key = load_key_file(path, /*create=*/true);
  ASSERT_TRUE(key) << key.error().describe();
  EXPECT_EQ(key->key.size(), 32u);
  EXPECT_EQ(mode_of(path), 0600u);
  const std::string text = read_file(path);
  ASSERT_EQ(text.size(), 65u);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.substr(0, 64), to_hex(key->key.view()));
}

TEST(LocalStoreKeyFileTest, LoadingAgainGivesTheSameKey) {
  TempDir dir;
  const auto path = dir.path() / "client.key";
  auto created = load_key_file(path, true);
  auto loaded = load_key_file(path, false);
  ASSERT_TRUE(created);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(to_hex(created->key.view()), to_hex(loaded->key.view()));
}

TEST(LocalStoreKeyFileTest, AbsentFileWithoutCreateIsNotFound) {
  TempDir dir;
  auto key = load_key_file(dir.path() / "missing.key", false);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Errc::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "missing.key"));
}

TEST(LocalStoreKeyFileTest, FileReadableByOthersIsRefusedNamingPathAndMode) {
  TempDir dir;
  const auto path = dir.path() / "client.key";
  write_file(path, std::string(64, 'a') + "\n", 0644);
  auto key = load_key_file(path, true);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Errc::invalid_argument);
  EXPECT_NE(key.error().context.find(path.string()), std::string::npos) << key.error().context;
  EXPECT_NE(key.error().context.find("0644"), std::string::npos) << key.error().context;
  EXPECT_EQ(key.error().context.find(std::string(64, 'a')), std::string::npos);
}

TEST(LocalStoreKeyFileTest, AnyGroupOrOtherBitIsRefused) {
  TempDir dir;
  const auto path = dir.path() / "client.key";
  for (mode_t mode : {0640u, 0620u, 0610u, 0604u, 0602u, 0601u}) {
    write_file(path, std::string(64, 'b'), mode);
    auto key = load_key_file(path, false);
    ASSERT_FALSE(key) << std::oct << mode;
    EXPECT_EQ(key.error().code, Errc::invalid_argument);
  }
  write_file(path, std::string(64, 'b'), 0400);
  EXPECT_TRUE(load_key_file(path, false));
}

TEST(LocalStoreKeyFileTest, AcceptsRawThirtyTwoBytes) {
  TempDir dir;
  const auto path = dir.path() / "raw.key";
  write_file(path, std::string(32, '\x07'), 0600);
  auto key = load_key_file(path, false);
  ASSERT_TRUE(key) << key.error().describe();
  EXPECT_EQ(to_hex(key->key.view()), to_hex(Bytes(32, std::byte{7})));
}

TEST(LocalStoreKeyFileTest, MalformedContentIsAnEncodingError) {
  TempDir dir;
  const auto path = dir.path() / "bad.key";
  for (std::string_view contents : {"", "abcd\n", "zz", "0123"}) {
    write_file(path, contents, 0600);
    auto key = load_key_file(path, false);
    ASSERT_FALSE(key) << contents;
    EXPECT_EQ(key.error().code, Errc::invalid_encoding) << contents;
  }
  write_file(path, std::string(63, 'a') + "g\n", 0600);
  EXPECT_EQ(load_key_file(path, false).error().code, Errc::invalid_encoding);
}

TEST(LocalStoreDeriveKeyTest, SamePassphraseAndSaltGiveTheSameKey) {
  TempDir dir;
  const auto salt = dir.path() / "client.salt";
  auto first = derive_key("hunter2 hunter2", salt, crypto::PwhashStrength::interactive);
  auto second = derive_key("hunter2 hunter2", salt, crypto::PwhashStrength::interactive);
  ASSERT_TRUE(first) << first.error().describe();
  ASSERT_TRUE(second);
  EXPECT_EQ(first->key.size(), 32u);
  EXPECT_EQ(to_hex(first->key.view()), to_hex(second->key.view()));
  const std::string text = read_file(salt);
  EXPECT_EQ(text.size(), 33u);
  EXPECT_EQ(mode_of(salt), 0600u);
}

TEST(LocalStoreDeriveKeyTest, DifferentPassphraseOrSaltGivesADifferentKey) {
  TempDir dir;
  const auto salt = dir.path() / "a.salt";
  auto base = derive_key("one passphrase", salt, crypto::PwhashStrength::interactive);
  auto other_pass = derive_key("another passphrase", salt, crypto::PwhashStrength::interactive);
  auto other_salt =
      derive_key("one passphrase", dir.path() / "b.salt", crypto::PwhashStrength::interactive);
  ASSERT_TRUE(base);
  ASSERT_TRUE(other_pass);
  ASSERT_TRUE(other_salt);
  EXPECT_NE(to_hex(base->key.view()), to_hex(other_pass->key.view()));
  EXPECT_NE(to_hex(base->key.view()), to_hex(other_salt->key.view()));
}

TEST(LocalStoreDeriveKeyTest, UsesTheSaltInTheFile) {
  TempDir dir;
  const auto salt = dir.path() / "client.salt";
  write_file(salt, "000102030405060708090a0b0c0d0e0f\n", 0600);
  auto key = derive_key("correct horse battery staple", salt, crypto::PwhashStrength::interactive);
  ASSERT_TRUE(key) << key.error().describe();
  // crypto/pwhash_test.cpp's reference-implementation answer for this passphrase and salt.
  EXPECT_EQ(to_hex(key->key.view()),
            "c05ce4c4dd7e0e45ee6011cc59d068ade47df1b01fc0cf9cd4678bdf68a5b7b0");
}

TEST(LocalStoreDeriveKeyTest, EmptyPassphraseAndBadSaltFileAreRefused) {
  TempDir dir;
  EXPECT_EQ(derive_key("", dir.path() / "s", crypto::PwhashStrength::interactive).error().code,
            Errc::invalid_argument);
  const auto salt = dir.path() / "short.salt";
  write_file(salt, "0001\n", 0600);
  EXPECT_EQ(derive_key("pass", salt, crypto::PwhashStrength::interactive).error().code,
            Errc::invalid_encoding);
}

}  // namespace
}  // namespace bulwark::client
