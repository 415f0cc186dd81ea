// LocalStore basics: opening and reopening, the key, the directory lock, the account, the
// schema version, transactions, and that nothing readable reaches the disk.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "client/detail/schema.h"
#include "client/detail/sqlite.h"
#include "store_fixture.h"

namespace bulwark::testing {
namespace {

using client::LocalStore;

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

client::InboxMessage local_store_message(std::uint8_t id, std::string body) {
  client::InboxMessage m;
  m.envelope_id = Bytes(16, std::byte{id});
  m.sender_account = account_id(0xb0);
  m.sender_device = 2;
  m.body = std::move(body);
  m.sent_at_ms = 1000 + id;
  m.received_at_ms = 2000 + id;
  return m;
}

TEST(LocalStoreTest, OpenCreatesAPrivateDirectoryAndDatabase) {
  TempDir dir;
  auto store = open_store(dir.data());
  ASSERT_TRUE(store);
  EXPECT_EQ(mode_of(dir.data()), 0700u);
  EXPECT_EQ(mode_of(dir.data() / "client.db"), 0600u);
  EXPECT_EQ(mode_of(dir.data() / "client.lock"), 0600u);
  auto account = store->account();
  ASSERT_TRUE(account);
  EXPECT_FALSE(*account);
}

TEST(LocalStoreTest, AccountRoundTripsWithItsSecretsAcrossReopen) {
  TempDir dir;
  SeededRng rng(1);
  const auto saved = make_account(rng);
  {
    auto store = open_store(dir.data());
    ASSERT_TRUE(store->save_account(saved));
  }
  auto store = open_store(dir.data());
  auto loaded = store->account();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_TRUE(*loaded);
  const auto& a = **loaded;
  EXPECT_EQ(a.server_url, saved.server_url);
  EXPECT_EQ(a.phone, saved.phone);
  EXPECT_EQ(a.account_id, saved.account_id);
  EXPECT_EQ(a.device_id, saved.device_id);
  EXPECT_EQ(a.username, saved.username);
  EXPECT_EQ(a.registration_id, saved.registration_id);
  EXPECT_EQ(to_hex(a.auth_secret_key.view()), to_hex(saved.auth_secret_key.view()));
  EXPECT_EQ(a.auth_public_key, saved.auth_public_key);
  EXPECT_EQ(to_hex(a.identity_private.view()), to_hex(saved.identity_private.view()));
  EXPECT_EQ(a.identity_public, saved.identity_public);
  EXPECT_EQ(a.next_pre_key_id, saved.next_pre_key_id);
  EXPECT_EQ(a.next_kyber_pre_key_id, saved.next_kyber_pre_key_id);
  EXPECT_EQ(a.next_signed_pre_key_id, saved.next_signed_pre_key_id);
  // The protocol identity comes from the account.
  const auto serialized = store->identity_key_pair().public_key().serialize();
  EXPECT_EQ(Bytes(serialized.begin(), serialized.end()), saved.identity_public);
  EXPECT_EQ(store->local_registration_id(), saved.registration_id);
}

TEST(LocalStoreTest, SaveAccountReplacesTheAccount) {
  TempDir dir;
  SeededRng rng(2);
  auto store = open_store(dir.data());
  auto first = make_account(rng);
  ASSERT_TRUE(store->save_account(first));
  auto second = make_account(rng);
  second.username.reset();
  second.next_pre_key_id = 500;
  ASSERT_TRUE(store->save_account(second));
  auto loaded = store->account().value();
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->username);
  EXPECT_EQ(loaded->next_pre_key_id, 500u);
  EXPECT_EQ(loaded->identity_public, second.identity_public);
  const auto serialized = store->identity_key_pair().public_key().serialize();
  EXPECT_EQ(Bytes(serialized.begin(), serialized.end()), second.identity_public);
}

TEST(LocalStoreTest, AccountWithMismatchedOrMissizedKeysIsRefused) {
  TempDir dir;
  SeededRng rng(3);
  auto store = open_store(dir.data());
  auto mismatched = make_account(rng);
  mismatched.identity_public = make_account(rng).identity_public;
  EXPECT_EQ(store->save_account(mismatched).error().code, Errc::invalid_argument);
  auto short_id = make_account(rng);
  short_id.account_id.pop_back();
  EXPECT_EQ(store->save_account(short_id).error().code, Errc::invalid_length);
  auto short_auth = make_account(rng);
  short_auth.auth_secret_key = SecretBytes(32);
  EXPECT_EQ(store->save_account(short_auth).error().code, Errc::invalid_length);
  EXPECT_FALSE(store->account().value());
}

TEST(LocalStoreTest, WrongKeyIsAuthFailedAndLeavesTheDatabaseUntouched) {
  TempDir dir;
  SeededRng rng(4);
  {
    auto store = open_store(dir.data(), test_key(0x01));
    ASSERT_TRUE(store->save_account(make_account(rng)));
  }
  const std::string before = read_file(dir.data() / "client.db");
  auto wrong = LocalStore::open(dir.data(), test_key(0x02));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::auth_failed);
  EXPECT_EQ(wrong.error().context, "wrong key for the local database");
  EXPECT_EQ(read_file(dir.data() / "client.db"), before);
  // The failed open released the lock, and the right key still opens it.
  auto right = open_store(dir.data(), test_key(0x01));
  ASSERT_TRUE(right);
  EXPECT_TRUE(right->account().value());
}

TEST(LocalStoreTest, KeyOfTheWrongLengthIsRefused) {
  TempDir dir;
  auto store = LocalStore::open(dir.data(), client::StoreKey{SecretBytes(16)});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::invalid_length);
}

TEST(LocalStoreTest, SecondOpenOfTheSameDirectoryConflictsWhileTheFirstLives) {
  TempDir dir;
  auto first = open_store(dir.data());
  ASSERT_TRUE(first);
  auto second = LocalStore::open(dir.data(), test_key());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::conflict);
  EXPECT_EQ(second.error().context, "another bulwark process is using " + dir.data().string());
  first.reset();
  EXPECT_TRUE(open_store(dir.data()));
}

TEST(LocalStoreTest, DatabaseFromANewerSchemaIsRefused) {
  TempDir dir;
  { ASSERT_TRUE(open_store(dir.data())); }
  {
    auto db = client::detail::Database::open(dir.data() / "client.db", test_key().key);
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE(
        db->exec("PRAGMA user_version = " + std::to_string(client::detail::schema_version + 1)));
  }
  auto store = LocalStore::open(dir.data(), test_key());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::storage);
  EXPECT_NE(store.error().context.find("newer"), std::string::npos) << store.error().context;
}

TEST(LocalStoreTest, FileHoldsNeitherPlaintextNorThePrivateKey) {
  TempDir dir;
  SeededRng rng(5);
  const auto account = make_account(rng);
  const std::string marker = "BULWARK-PLAINTEXT-MARKER-7d1f0c";
  {
    auto store = open_store(dir.data());
    ASSERT_TRUE(store->save_account(account));
    ASSERT_TRUE(store->add_to_inbox(local_store_message(1, marker)));
    ASSERT_TRUE(store->upsert_contact_names(account_id(0xb0), std::string("+15555550199"),
                                            std::string("bob.42")));
  }
  const ByteView secret = account.identity_private.view();
  const std::string private_key(reinterpret_cast<const char*>(secret.data()), secret.size());
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.data())) {
    const std::string contents = read_file(entry.path());
    ++files;
    EXPECT_EQ(contents.find(marker), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find(private_key), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find("bob.42"), std::string::npos) << entry.path();
    EXPECT_EQ(contents.find("SQLite format"), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 1u);
  EXPECT_GT(std::filesystem::file_size(dir.data() / "client.db"), 0u);
}

TEST(LocalStoreTest, FailedTransactionLeavesNothing) {
  TempDir dir;
  auto store = open_store(dir.data());
  auto result = store->transaction([&]() -> Result<void> {
    BULWARK_TRY(
        store->upsert_contact_names(account_id(0xc1), std::string("+15555550111"), std::nullopt));
    BULWARK_TRY(store->add_to_inbox(local_store_message(2, "rolled back")));
    BULWARK_TRY(store->mark_envelope_seen(Bytes(16, std::byte{2}), 5));
    return fail(Errc::invalid_message, "body failed");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_message);
  EXPECT_EQ(result.error().context, "body failed");
  EXPECT_TRUE(store->contacts().value().empty());
  EXPECT_TRUE(store->unshown_messages(10).value().empty());
  EXPECT_FALSE(store->envelope_seen(Bytes(16, std::byte{2})).value());
}

TEST(LocalStoreTest, SuccessfulTransactionCommitsEverything) {
  TempDir dir;
  {
    auto store = open_store(dir.data());
    ASSERT_TRUE(store->transaction([&]() -> Result<void> {
      BULWARK_TRY(store->add_to_inbox(local_store_message(3, "kept")));
      return store->mark_envelope_seen(Bytes(16, std::byte{3}), 5);
    }));
  }
  auto store = open_store(dir.data());
  EXPECT_EQ(store->unshown_messages(10).value().size(), 1u);
  EXPECT_TRUE(store->envelope_seen(Bytes(16, std::byte{3})).value());
}

TEST(LocalStoreTest, FailedInnerTransactionRollsBackOnlyItself) {
  TempDir dir;
  auto store = open_store(dir.data());
  ASSERT_TRUE(store->transaction([&]() -> Result<void> {
    BULWARK_TRY(store->add_to_inbox(local_store_message(4, "outer")));
    auto inner = store->transaction([&]() -> Result<void> {
      BULWARK_TRY(store->add_to_inbox(local_store_message(5, "inner")));
      return fail(Errc::internal, "inner failed");
    });
    EXPECT_FALSE(inner);
    return store->mark_envelope_seen(Bytes(16, std::byte{4}), 5);
  }));
  auto messages = store->unshown_messages(10).value();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "outer");
  EXPECT_TRUE(store->envelope_seen(Bytes(16, std::byte{4})).value());
}

TEST(LocalStoreTest, RolledBackAccountChangeDoesNotChangeTheIdentity) {
  TempDir dir;
  SeededRng rng(6);
  auto store = open_store(dir.data());
  const auto first = make_account(rng);
  ASSERT_TRUE(store->save_account(first));
  const protocol::IdentityKeyPair& identity = store->identity_key_pair();
  const auto second = make_account(rng);
  auto result = store->transaction([&]() -> Result<void> {
    BULWARK_TRY(store->save_account(second));
    return fail(Errc::internal, "abandon");
  });
  ASSERT_FALSE(result);
  const auto serialized = store->identity_key_pair().public_key().serialize();
  EXPECT_EQ(Bytes(serialized.begin(), serialized.end()), first.identity_public);
  EXPECT_EQ(&identity, &store->identity_key_pair());
  EXPECT_EQ(store->account().value()->identity_public, first.identity_public);
}

}  // namespace
}  // namespace bulwark::testing
