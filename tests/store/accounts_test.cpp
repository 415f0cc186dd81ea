// Conformance: registration, re-registration, lookups, usernames and discoverability.
#include "conformance.h"

namespace bulwark::store::conformance {
namespace {

TEST_P(StoreAccountsTest, RegistrationCreatesTheAccountWithDeviceOne) {
  NewAccount fresh = new_account(1);
  fresh.discoverable = true;
  const AccountId id = must(store().register_account(fresh, new_device(1)));
  EXPECT_EQ(id, account_id(1));
  const auto account = must(store().account(id));
  ASSERT_TRUE(account);
  EXPECT_EQ(account->id, id);
  EXPECT_EQ(account->phone, phone(1));
  EXPECT_FALSE(account->username);
  EXPECT_EQ(account->identity_key, fresh.identity_key);
  EXPECT_TRUE(account->discoverable);
  EXPECT_EQ(account->created_at_ms, fresh.created_at_ms);
  const auto devices = must(store().devices(id));
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].id, DeviceId{1});
}

TEST_P(StoreAccountsTest, AccountIsFoundByPhone) {
  registered(1);
  registered(2);
  const auto account = must(store().account_by_phone(phone(2)));
  ASSERT_TRUE(account);
  EXPECT_EQ(account->id, account_id(2));
}

TEST_P(StoreAccountsTest, UnknownAccountIsAbsent) {
  registered(1);
  EXPECT_FALSE(must(store().account(account_id(9))));
  EXPECT_FALSE(must(store().account_by_phone(phone(9))));
  EXPECT_FALSE(must(store().account_by_username("nobody.01")));
}

TEST_P(StoreAccountsTest, ReRegistrationKeepsTheIdAndStartsEverythingElseOver) {
  const DeviceAddress first = registered(1);
  must(store().add_device(first.account, new_device(2)));
  must(store().set_username(first.account, "alice.01"));
  must(store().set_discoverable(first.account, true));
  std::vector<Envelope> queue{envelope(first, 1)};
  must(store().enqueue(queue));

  NewAccount again = new_account(1, 0x06);
  again.id = account_id(77);  // ignored: the phone already has an account
  again.created_at_ms += 5'000;
  const AccountId id = must(store().register_account(again, new_device(5, 1, 1)));

  EXPECT_EQ(id, first.account);
  EXPECT_FALSE(must(store().account(account_id(77))));
  const auto account = must(store().account(id));
  ASSERT_TRUE(account);
  EXPECT_EQ(account->identity_key, filled(33, 0x06));
  EXPECT_FALSE(account->username);
  EXPECT_FALSE(account->discoverable);
  EXPECT_EQ(account->created_at_ms, new_account(1).created_at_ms);
  const auto devices = must(store().devices(id));
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].id, DeviceId{1});
  EXPECT_EQ(devices[0].auth_key, filled(32, 5));
  EXPECT_EQ(must(store().queue_length(first)), 0u);
  EXPECT_EQ(must(store().queue_length(DeviceAddress{id, DeviceId{2}})), 0u);
  const PreKeyCounts counts = must(store().pre_key_counts(first));
  EXPECT_EQ(counts.pre_keys, 1u);
  EXPECT_EQ(counts.kyber_pre_keys, 1u);
  EXPECT_EQ(error_of(store().pre_key_counts(DeviceAddress{id, DeviceId{2}})), Errc::not_found);
}

TEST_P(StoreAccountsTest, ReRegistrationFreesTheUsername) {
  const DeviceAddress first = registered(1);
  const DeviceAddress second = registered(2);
  must(store().set_username(first.account, "alice.01"));
  registered(1);
  must(store().set_username(second.account, "alice.01"));
  EXPECT_EQ(must(store().account_by_username("alice.01"))->id, second.account);
}

TEST_P(StoreAccountsTest, ReRegistrationLeavesOtherAccountsAlone) {
  const DeviceAddress other = registered(2);
  std::vector<Envelope> queue{envelope(other, 1)};
  must(store().enqueue(queue));
  registered(1);
  registered(1);
  EXPECT_EQ(must(store().queue_length(other)), 1u);
  EXPECT_EQ(must(store().pre_key_counts(other)).pre_keys, 3u);
}

TEST_P(StoreAccountsTest, RegistrationWithoutPhoneOrIdentityKeyIsInvalid) {
  NewAccount no_phone = new_account(1);
  no_phone.phone.clear();
  EXPECT_EQ(error_of(store().register_account(no_phone, new_device(1))), Errc::invalid_argument);
  NewAccount no_key = new_account(1);
  no_key.identity_key.clear();
  EXPECT_EQ(error_of(store().register_account(no_key, new_device(1))), Errc::invalid_argument);
  EXPECT_FALSE(must(store().account(account_id(1))));
}

TEST_P(StoreAccountsTest, NewPhoneWithATakenAccountIdIsConflict) {
  registered(1);
  NewAccount clash = new_account(2);
  clash.id = account_id(1);
  EXPECT_EQ(error_of(store().register_account(clash, new_device(2))), Errc::conflict);
  EXPECT_FALSE(must(store().account_by_phone(phone(2))));
}

TEST_P(StoreAccountsTest, UsernameFindsItsAccount) {
  const DeviceAddress alice = registered(1);
  must(store().set_username(alice.account, "alice.01"));
  const auto found = must(store().account_by_username("alice.01"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, alice.account);
  EXPECT_EQ(found->username, std::optional<std::string>("alice.01"));
  EXPECT_FALSE(must(store().account_by_username("ALICE.01")));
}

TEST_P(StoreAccountsTest, UsernameHeldByAnotherAccountIsConflict) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  must(store().set_username(alice.account, "alice.01"));
  EXPECT_EQ(error_of(store().set_username(bob.account, "alice.01")), Errc::conflict);
  EXPECT_FALSE(must(store().account(bob.account))->username);
}

TEST_P(StoreAccountsTest, SettingTheSameUsernameAgainSucceeds) {
  const DeviceAddress alice = registered(1);
  must(store().set_username(alice.account, "alice.01"));
  must(store().set_username(alice.account, "alice.01"));
  EXPECT_EQ(must(store().account_by_username("alice.01"))->id, alice.account);
}

TEST_P(StoreAccountsTest, NewUsernameReleasesTheOldOne) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  must(store().set_username(alice.account, "alice.01"));
  must(store().set_username(alice.account, "alice.02"));
  EXPECT_FALSE(must(store().account_by_username("alice.01")));
  must(store().set_username(bob.account, "alice.01"));
}

TEST_P(StoreAccountsTest, EmptyUsernameClearsItForEveryAccount) {
  const DeviceAddress alice = registered(1);
  const DeviceAddress bob = registered(2);
  must(store().set_username(alice.account, "alice.01"));
  must(store().set_username(alice.account, ""));
  must(store().set_username(bob.account, ""));
  EXPECT_FALSE(must(store().account(alice.account))->username);
  EXPECT_FALSE(must(store().account_by_username("alice.01")));
  EXPECT_FALSE(must(store().account_by_username("")));
}

TEST_P(StoreAccountsTest, DiscoverabilityIsStored) {
  const DeviceAddress alice = registered(1);
  must(store().set_discoverable(alice.account, true));
  EXPECT_TRUE(must(store().account(alice.account))->discoverable);
  must(store().set_discoverable(alice.account, false));
  EXPECT_FALSE(must(store().account(alice.account))->discoverable);
}

TEST_P(StoreAccountsTest, ChangingAnUnknownAccountIsNotFound) {
  EXPECT_EQ(error_of(store().set_username(account_id(9), "x")), Errc::not_found);
  EXPECT_EQ(error_of(store().set_username(account_id(9), "")), Errc::not_found);
  EXPECT_EQ(error_of(store().set_discoverable(account_id(9), true)), Errc::not_found);
}

TEST_P(StoreAccountsTest, AccountsSurviveReopening) {
  const DeviceAddress alice = registered(1);
  must(store().set_username(alice.account, "alice.01"));
  backend().reopen();
  const auto account = must(store().account_by_username("alice.01"));
  ASSERT_TRUE(account);
  EXPECT_EQ(account->phone, phone(1));
}

}  // namespace
}  // namespace bulwark::store::conformance
