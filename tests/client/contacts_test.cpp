// Contacts and identity trust: trust on first use, a changed key kept pending until the user
// accepts it, and contact names.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace bulwark::testing {
namespace {

using client::TrustLevel;
using protocol::Direction;

protocol::IdentityKey new_key(Rng& rng) { return protocol::KeyPair::generate(rng).public_key(); }

Bytes bytes_of(const protocol::IdentityKey& key) {
  const auto serialized = key.serialize();
  return {serialized.begin(), serialized.end()};
}

class LocalStoreContactsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::unique_ptr<client::LocalStore> store_ = open_store(dir_.data());
  SeededRng rng_{11};
  protocol::ProtocolAddress bob_{account_name(0xb0), DeviceId(1)};
  protocol::ProtocolAddress bob_tablet_{account_name(0xb0), DeviceId(2)};
};

TEST_F(LocalStoreContactsTest, UnknownContactIsTrustedOnFirstUse) {
  const auto key = new_key(rng_);
  EXPECT_TRUE(store_->is_trusted_identity(bob_, key, Direction::sending).value());
  EXPECT_FALSE(store_->identity(bob_).value());
  ASSERT_TRUE(store_->save_identity(bob_, key));
  EXPECT_EQ(store_->identity(bob_).value(), key);
  auto contact = store_->contact(account_id(0xb0)).value();
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->identity_key, bytes_of(key));
  EXPECT_EQ(contact->trust, TrustLevel::trusted_unverified);
  EXPECT_FALSE(contact->pending_identity_key);
}

TEST_F(LocalStoreContactsTest, TrustIsPerAccountSoEveryDeviceSharesIt) {
  const auto key = new_key(rng_);
  ASSERT_TRUE(store_->save_identity(bob_, key));
  EXPECT_TRUE(store_->is_trusted_identity(bob_tablet_, key, Direction::receiving).value());
  EXPECT_FALSE(
      store_->is_trusted_identity(bob_tablet_, new_key(rng_), Direction::receiving).value());
  EXPECT_EQ(store_->identity(bob_tablet_).value(), key);
}

TEST_F(LocalStoreContactsTest, ChangedKeyIsNotTrustedAndWaitsAsPending) {
  const auto first = new_key(rng_);
  const auto changed = new_key(rng_);
  ASSERT_TRUE(store_->save_identity(bob_, first));
  EXPECT_FALSE(store_->is_trusted_identity(bob_, changed, Direction::sending).value());
  EXPECT_FALSE(store_->is_trusted_identity(bob_, changed, Direction::receiving).value());
  ASSERT_TRUE(store_->save_identity(bob_, changed));  // recorded, not adopted
  EXPECT_EQ(store_->identity(bob_).value(), first);
  EXPECT_TRUE(store_->is_trusted_identity(bob_, first, Direction::sending).value());
  EXPECT_FALSE(store_->is_trusted_identity(bob_, changed, Direction::sending).value());
  auto contact = store_->contact(account_id(0xb0)).value();
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->identity_key, bytes_of(first));
  EXPECT_EQ(contact->pending_identity_key, bytes_of(changed));
}

TEST_F(LocalStoreContactsTest, NoteUntrustedIdentityRecordsOnlyAChange) {
  const auto first = new_key(rng_);
  const auto changed = new_key(rng_);
  // Nothing trusted yet: nothing to record.
  ASSERT_TRUE(store_->note_untrusted_identity(bob_, changed));
  EXPECT_FALSE(store_->contact(account_id(0xb0)).value());
  ASSERT_TRUE(store_->save_identity(bob_, first));
  ASSERT_TRUE(store_->note_untrusted_identity(bob_, first));
  EXPECT_FALSE(store_->contact(account_id(0xb0)).value()->pending_identity_key);
  ASSERT_TRUE(store_->note_untrusted_identity(bob_, changed));
  EXPECT_EQ(store_->contact(account_id(0xb0)).value()->pending_identity_key, bytes_of(changed));
}

TEST_F(LocalStoreContactsTest, TrustIdentityAcceptsThePendingKey) {
  const auto first = new_key(rng_);
  const auto changed = new_key(rng_);
  ASSERT_TRUE(store_->save_identity(bob_, first));
  ASSERT_TRUE(store_->save_identity(bob_, changed));
  ASSERT_TRUE(store_->trust_identity(account_id(0xb0), bytes_of(changed), TrustLevel::verified));
  EXPECT_EQ(store_->identity(bob_).value(), changed);
  EXPECT_TRUE(store_->is_trusted_identity(bob_, changed, Direction::sending).value());
  EXPECT_FALSE(store_->is_trusted_identity(bob_, first, Direction::sending).value());
  auto contact = store_->contact(account_id(0xb0)).value();
  EXPECT_EQ(contact->trust, TrustLevel::verified);
  EXPECT_FALSE(contact->pending_identity_key);
}

TEST_F(LocalStoreContactsTest, TrustingAnotherKeyKeepsThePendingOne) {
  const auto first = new_key(rng_);
  const auto changed = new_key(rng_);
  ASSERT_TRUE(store_->save_identity(bob_, first));
  ASSERT_TRUE(store_->save_identity(bob_, changed));
  ASSERT_TRUE(store_->trust_identity(account_id(0xb0), bytes_of(first), TrustLevel::verified));
  auto contact = store_->contact(account_id(0xb0)).value();
  EXPECT_EQ(contact->identity_key, bytes_of(first));
  EXPECT_EQ(contact->pending_identity_key, bytes_of(changed));
}

TEST_F(LocalStoreContactsTest, RefusedKeyIsNotTrusted) {
  const auto key = new_key(rng_);
  ASSERT_TRUE(store_->save_identity(bob_, key));
  ASSERT_TRUE(store_->trust_identity(account_id(0xb0), bytes_of(key), TrustLevel::untrusted));
  EXPECT_FALSE(store_->is_trusted_identity(bob_, key, Direction::sending).value());
  EXPECT_EQ(store_->contact(account_id(0xb0)).value()->trust, TrustLevel::untrusted);
  ASSERT_TRUE(
      store_->trust_identity(account_id(0xb0), bytes_of(key), TrustLevel::trusted_unverified));
  EXPECT_TRUE(store_->is_trusted_identity(bob_, key, Direction::sending).value());
}

TEST_F(LocalStoreContactsTest, TrustIdentityRefusesMalformedInput) {
  EXPECT_EQ(
      store_->trust_identity(Bytes(15), bytes_of(new_key(rng_)), TrustLevel::verified).error().code,
      Errc::invalid_length);
  EXPECT_FALSE(store_->trust_identity(account_id(0xb0), Bytes(33), TrustLevel::verified));
  EXPECT_FALSE(store_->contact(account_id(0xb0)).value());
}

TEST_F(LocalStoreContactsTest, AddressNameMustBeAnAccountId) {
  const protocol::ProtocolAddress alice{"alice", DeviceId(1)};
  const auto key = new_key(rng_);
  EXPECT_EQ(store_->is_trusted_identity(alice, key, Direction::sending).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(store_->save_identity(alice, key).error().code, Errc::invalid_argument);
  EXPECT_EQ(store_->identity(alice).error().code, Errc::invalid_argument);
  EXPECT_EQ(store_->load_session(alice).error().code, Errc::invalid_argument);
}

TEST_F(LocalStoreContactsTest, NamesAreFoundByPhoneAndUsernameAndKeepTrust) {
  const auto key = new_key(rng_);
  ASSERT_TRUE(store_->save_identity(bob_, key));
  ASSERT_TRUE(store_->upsert_contact_names(account_id(0xb0), std::string("+15555550123"),
                                           std::string("bob.42")));
  auto by_phone = store_->contact_by_phone("+15555550123").value();
  auto by_name = store_->contact_by_username("bob.42").value();
  ASSERT_TRUE(by_phone);
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_phone->account_id, account_id(0xb0));
  EXPECT_EQ(by_name->account_id, account_id(0xb0));
  EXPECT_EQ(by_phone->identity_key, bytes_of(key));
  EXPECT_FALSE(store_->contact_by_phone("+15555550000").value());
  EXPECT_FALSE(store_->contact_by_username("nobody.00").value());
}

TEST_F(LocalStoreContactsTest, MissingNameKeepsTheStoredOne) {
  ASSERT_TRUE(store_->upsert_contact_names(account_id(0xb0), std::string("+15555550123"),
                                           std::string("bob.42")));
  ASSERT_TRUE(store_->upsert_contact_names(account_id(0xb0), std::nullopt, std::string("bob.43")));
  auto contact = store_->contact(account_id(0xb0)).value();
  EXPECT_EQ(contact->phone, "+15555550123");
  EXPECT_EQ(contact->username, "bob.43");
}

TEST_F(LocalStoreContactsTest, PhoneNumberMovesToTheAccountThatNowHasIt) {
  ASSERT_TRUE(
      store_->upsert_contact_names(account_id(0xb0), std::string("+15555550123"), std::nullopt));
  ASSERT_TRUE(
      store_->upsert_contact_names(account_id(0xc0), std::string("+15555550123"), std::nullopt));
  EXPECT_EQ(store_->contact_by_phone("+15555550123").value()->account_id, account_id(0xc0));
  EXPECT_FALSE(store_->contact(account_id(0xb0)).value()->phone);
  EXPECT_EQ(store_->contacts().value().size(), 2u);
}

TEST_F(LocalStoreContactsTest, ContactsPersistAcrossReopen) {
  const auto key = new_key(rng_);
  ASSERT_TRUE(store_->save_identity(bob_, key));
  ASSERT_TRUE(
      store_->upsert_contact_names(account_id(0xb0), std::string("+15555550123"), std::nullopt));
  store_.reset();
  store_ = open_store(dir_.data());
  auto contacts = store_->contacts().value();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].phone, "+15555550123");
  EXPECT_EQ(contacts[0].identity_key, bytes_of(key));
}

}  // namespace
}  // namespace bulwark::testing
