// LocalStore as the protocol's five stores: the behaviour of the in-memory reference stores
// (protocol/memory_store.h), record round trips, and whole sessions between a LocalStore-backed
// device and an in-memory one, across reopening and under injected store failures.
#include <gtest/gtest.h>

#include "protocol/faulty_stores.h"
#include "protocol/party.h"
#include "store_fixture.h"

namespace bulwark::testing {
namespace {

using protocol::CiphertextMessage;
using protocol::KyberPreKeyKind;

std::string secret_hex(const protocol::KeyPair& pair) {
  return to_hex(pair.secret().bytes().view());
}

// One device whose five stores are a LocalStore, beside the in-memory Party of party.h.
class LocalParty {
 public:
  LocalParty(const std::filesystem::path& dir, std::uint8_t id, std::uint64_t seed)
      : rng(seed), address{account_name(id), DeviceId(1)}, dir_(dir) {
    store = open_store(dir_);
    EXPECT_TRUE(store->save_account(make_account(rng, id)));
  }

  void reopen() {
    store.reset();
    store = open_store(dir_);
  }

  protocol::PreKeyBundle publish_bundle(bool with_one_time, KyberPreKeyKind kind) {
    const auto& identity = store->identity_key_pair();
    auto signed_pre_key = protocol::SignedPreKeyRecord::generate(SignedPreKeyId(++next_id_),
                                                                 test_now_ms, identity, rng);
    auto kyber = protocol::KyberPreKeyRecord::generate(KyberPreKeyId(++next_id_), test_now_ms,
                                                       identity, rng);
    std::optional<protocol::PreKeyRecord> one_time;
    if (with_one_time) {
      one_time.emplace(protocol::PreKeyRecord::generate(PreKeyId(++next_id_), rng));
      EXPECT_TRUE(store->store_pre_key(*one_time));
    }
    EXPECT_TRUE(store->store_signed_pre_key(signed_pre_key));
    EXPECT_TRUE(store->store_kyber_pre_key(kyber, kind));
    return protocol::PreKeyBundle::from_records(store->local_registration_id(), address.device,
                                                identity.public_key(), signed_pre_key, kyber,
                                                one_time ? &*one_time : nullptr);
  }

  // What the client does: decrypt, and everything it stores, in one transaction.
  Result<Bytes> receive(const protocol::ProtocolAddress& from, const CiphertextMessage& message,
                        protocol::ProtocolStores stores) {
    Bytes plaintext;
    auto done = store->transaction([&]() -> Result<void> {
      auto decrypted =
          BULWARK_TRY(protocol::decrypt_message(message.type, message.body, from, stores, rng));
      plaintext = std::move(decrypted);
      return {};
    });
    if (!done) return tl::unexpected(done.error());
    return plaintext;
  }
  std::string receive_text(const Party& from, const CiphertextMessage& message) {
    auto plaintext = receive(from.address, message, stores_of(*store));
    return plaintext ? text_of(*plaintext) : "<error: " + plaintext.error().describe() + ">";
  }

  CiphertextMessage send(const Party& to, std::string_view text) {
    auto message =
        protocol::encrypt_message(as_bytes(text), to.address, stores_of(*store), test_now_ms, rng);
    EXPECT_TRUE(message) << message.error().describe();
    return message ? std::move(*message) : CiphertextMessage{};
  }

  SeededRng rng;
  protocol::ProtocolAddress address;
  std::unique_ptr<client::LocalStore> store;

 private:
  std::filesystem::path dir_;
  std::uint32_t next_id_ = 0;
};

// The in-memory party's side of talking to a LocalParty.
Result<void> connect(Party& from, const LocalParty& to, const protocol::PreKeyBundle& bundle) {
  return protocol::process_pre_key_bundle(to.address, bundle, from.stores.view(), from.now_ms,
                                          from.rng);
}

CiphertextMessage send_to(Party& from, const LocalParty& to, std::string_view text) {
  auto message = protocol::encrypt_message(as_bytes(text), to.address, from.stores.view(),
                                           from.now_ms, from.rng);
  EXPECT_TRUE(message) << message.error().describe();
  return message ? std::move(*message) : CiphertextMessage{};
}

std::string receive_from(Party& at, const LocalParty& from, const CiphertextMessage& message) {
  auto plaintext =
      protocol::decrypt_message(message.type, message.body, from.address, at.stores.view(), at.rng);
  return plaintext ? text_of(*plaintext) : "<error: " + plaintext.error().describe() + ">";
}

class LocalStoreProtocolStoresTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::unique_ptr<client::LocalStore> store_ = open_store(dir_.data());
  SeededRng rng_{21};
  protocol::IdentityKeyPair identity_ = protocol::KeyPair::generate(rng_);
};

TEST_F(LocalStoreProtocolStoresTest, MissingPreKeysAreInvalidKeyId) {
  EXPECT_EQ(store_->load_pre_key(PreKeyId(1)).error().code, Errc::invalid_key_id);
  EXPECT_EQ(store_->load_signed_pre_key(SignedPreKeyId(1)).error().code, Errc::invalid_key_id);
  EXPECT_EQ(store_->load_kyber_pre_key(KyberPreKeyId(1)).error().code, Errc::invalid_key_id);
  EXPECT_EQ(
      store_->mark_kyber_pre_key_used(KyberPreKeyId(1), SignedPreKeyId(1), identity_.public_key())
          .error()
          .code,
      Errc::invalid_key_id);
}

TEST_F(LocalStoreProtocolStoresTest, PreKeyRoundTripsAndIsRemoved) {
  const auto record = protocol::PreKeyRecord::generate(PreKeyId(7), rng_);
  ASSERT_TRUE(store_->store_pre_key(record));
  ASSERT_TRUE(store_->store_pre_key(protocol::PreKeyRecord::generate(PreKeyId(8), rng_)));
  EXPECT_EQ(store_->pre_key_count().value(), 2u);
  auto loaded = store_->load_pre_key(PreKeyId(7));
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->id, PreKeyId(7));
  EXPECT_EQ(loaded->key_pair.public_key(), record.key_pair.public_key());
  EXPECT_EQ(secret_hex(loaded->key_pair), secret_hex(record.key_pair));
  ASSERT_TRUE(store_->remove_pre_key(PreKeyId(7)));
  ASSERT_TRUE(store_->remove_pre_key(PreKeyId(7)));  // removing again is fine
  EXPECT_EQ(store_->load_pre_key(PreKeyId(7)).error().code, Errc::invalid_key_id);
  EXPECT_EQ(store_->pre_key_count().value(), 1u);
}

TEST_F(LocalStoreProtocolStoresTest, SignedPreKeyRoundTripsWithSignatureAndTimestamp) {
  const auto record =
      protocol::SignedPreKeyRecord::generate(SignedPreKeyId(3), 1234, identity_, rng_);
  ASSERT_TRUE(store_->store_signed_pre_key(record));
  auto loaded = store_->load_signed_pre_key(SignedPreKeyId(3));
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->timestamp_ms, 1234u);
  EXPECT_EQ(loaded->signature, record.signature);
  EXPECT_EQ(loaded->key_pair.public_key(), record.key_pair.public_key());
  EXPECT_EQ(secret_hex(loaded->key_pair), secret_hex(record.key_pair));
}

TEST_F(LocalStoreProtocolStoresTest, KyberPreKeyRoundTrips) {
  const auto record = protocol::KyberPreKeyRecord::generate(KyberPreKeyId(4), 99, identity_, rng_);
  ASSERT_TRUE(store_->store_kyber_pre_key(record, KyberPreKeyKind::one_time));
  auto loaded = store_->load_kyber_pre_key(KyberPreKeyId(4));
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->timestamp_ms, 99u);
  EXPECT_EQ(loaded->signature, record.signature);
  EXPECT_EQ(loaded->key_pair.public_key(), record.key_pair.public_key());
  EXPECT_EQ(to_hex(loaded->key_pair.secret_key().view()),
            to_hex(record.key_pair.secret_key().view()));
}

TEST_F(LocalStoreProtocolStoresTest, OneTimeKyberKeyIsDeletedWhenUsed) {
  ASSERT_TRUE(store_->store_kyber_pre_key(
      protocol::KyberPreKeyRecord::generate(KyberPreKeyId(5), 1, identity_, rng_),
      KyberPreKeyKind::one_time));
  EXPECT_EQ(store_->kyber_one_time_pre_key_count().value(), 1u);
  const auto base_key = protocol::KeyPair::generate(rng_).public_key();
  ASSERT_TRUE(store_->mark_kyber_pre_key_used(KyberPreKeyId(5), SignedPreKeyId(1), base_key));
  EXPECT_EQ(store_->load_kyber_pre_key(KyberPreKeyId(5)).error().code, Errc::invalid_key_id);
  EXPECT_EQ(store_->kyber_one_time_pre_key_count().value(), 0u);
}

TEST_F(LocalStoreProtocolStoresTest, LastResortKyberKeyIsKeptButRefusesAReusedBaseKey) {
  ASSERT_TRUE(store_->store_kyber_pre_key(
      protocol::KyberPreKeyRecord::generate(KyberPreKeyId(6), 1, identity_, rng_),
      KyberPreKeyKind::last_resort));
  EXPECT_EQ(store_->kyber_one_time_pre_key_count().value(), 0u);
  const auto base_key = protocol::KeyPair::generate(rng_).public_key();
  const auto other_base_key = protocol::KeyPair::generate(rng_).public_key();
  ASSERT_TRUE(store_->mark_kyber_pre_key_used(KyberPreKeyId(6), SignedPreKeyId(1), base_key));
  EXPECT_TRUE(store_->load_kyber_pre_key(KyberPreKeyId(6)));
  auto reused = store_->mark_kyber_pre_key_used(KyberPreKeyId(6), SignedPreKeyId(1), base_key);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code, Errc::invalid_message);
  // Another base key, or the same one with another signed prekey, is a different session.
  EXPECT_TRUE(store_->mark_kyber_pre_key_used(KyberPreKeyId(6), SignedPreKeyId(1), other_base_key));
  EXPECT_TRUE(store_->mark_kyber_pre_key_used(KyberPreKeyId(6), SignedPreKeyId(2), base_key));
}

TEST_F(LocalStoreProtocolStoresTest, StoringAKyberKeyAgainForgetsItsUsedBaseKeys) {
  const auto record = protocol::KyberPreKeyRecord::generate(KyberPreKeyId(9), 1, identity_, rng_);
  const auto base_key = protocol::KeyPair::generate(rng_).public_key();
  ASSERT_TRUE(store_->store_kyber_pre_key(record, KyberPreKeyKind::last_resort));
  ASSERT_TRUE(store_->mark_kyber_pre_key_used(KyberPreKeyId(9), SignedPreKeyId(1), base_key));
  ASSERT_TRUE(store_->store_kyber_pre_key(record, KyberPreKeyKind::last_resort));
  EXPECT_TRUE(store_->mark_kyber_pre_key_used(KyberPreKeyId(9), SignedPreKeyId(1), base_key));
}

TEST_F(LocalStoreProtocolStoresTest, PreKeysPersistAcrossReopen) {
  ASSERT_TRUE(store_->store_pre_key(protocol::PreKeyRecord::generate(PreKeyId(1), rng_)));
  ASSERT_TRUE(store_->store_kyber_pre_key(
      protocol::KyberPreKeyRecord::generate(KyberPreKeyId(1), 1, identity_, rng_),
      KyberPreKeyKind::one_time));
  store_.reset();
  store_ = open_store(dir_.data());
  EXPECT_EQ(store_->pre_key_count().value(), 1u);
  EXPECT_EQ(store_->kyber_one_time_pre_key_count().value(), 1u);
}

TEST(LocalStoreSessionTest, SessionWithAnInMemoryPeerSurvivesReopen) {
  TempDir dir;
  LocalParty alice(dir.data(), 0xa1, 31);
  Party bob(account_name(0xb0), 32);
  ASSERT_TRUE(protocol::process_pre_key_bundle(bob.address, bob.publish_bundle(),
                                               stores_of(*alice.store), test_now_ms, alice.rng));
  auto first = alice.send(bob, "hello from sqlcipher");
  EXPECT_EQ(first.type, protocol::CiphertextType::prekey);
  EXPECT_EQ(receive_from(bob, alice, first), "hello from sqlcipher");
  EXPECT_EQ(alice.receive_text(bob, send_to(bob, alice, "hi back")), "hi back");
  alice.reopen();
  for (int round = 0; round < 3; ++round) {
    const std::string a = "a" + std::to_string(round);
    const std::string b = "b" + std::to_string(round);
    EXPECT_EQ(receive_from(bob, alice, alice.send(bob, a)), a);
    EXPECT_EQ(alice.receive_text(bob, send_to(bob, alice, b)), b);
  }
  auto devices = alice.store->session_devices(account_id(0xb0));
  ASSERT_TRUE(devices);
  EXPECT_EQ(*devices, std::vector<std::uint32_t>{1});
}

TEST(LocalStoreSessionTest, InMemoryPeerStartsASessionFromTheLocalStoresBundle) {
  TempDir dir;
  LocalParty alice(dir.data(), 0xa1, 33);
  Party bob(account_name(0xb0), 34);
  ASSERT_TRUE(connect(bob, alice, alice.publish_bundle(true, KyberPreKeyKind::one_time)));
  EXPECT_EQ(alice.store->pre_key_count().value(), 1u);
  EXPECT_EQ(alice.store->kyber_one_time_pre_key_count().value(), 1u);
  EXPECT_EQ(alice.receive_text(bob, send_to(bob, alice, "first")), "first");
  // Both one-time keys were used up, and Bob's identity was trusted on first use.
  EXPECT_EQ(alice.store->pre_key_count().value(), 0u);
  EXPECT_EQ(alice.store->kyber_one_time_pre_key_count().value(), 0u);
  EXPECT_EQ(alice.store->identity(bob.address).value(),
            bob.stores.identities.identity_key_pair().public_key());
  EXPECT_EQ(receive_from(bob, alice, alice.send(bob, "reply")), "reply");
}

TEST(LocalStoreSessionTest, ReplayedFirstMessageIsRefusedByTheLastResortKey) {
  TempDir dir;
  LocalParty alice(dir.data(), 0xa1, 35);
  Party bob(account_name(0xb0), 36);
  ASSERT_TRUE(connect(bob, alice, alice.publish_bundle(false, KyberPreKeyKind::last_resort)));
  const auto first = send_to(bob, alice, "once");
  EXPECT_EQ(alice.receive_text(bob, first), "once");
  // The session leaves the store (reset by the user, say): the replay must not rebuild it.
  ASSERT_TRUE(alice.store->delete_session(bob.address));
  auto replay = alice.receive(bob.address, first, stores_of(*alice.store));
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, Errc::invalid_message);
  EXPECT_FALSE(alice.store->load_session(bob.address).value());
}

TEST(LocalStoreSessionTest, ChangedPeerIdentityIsRefusedUntilTrusted) {
  TempDir dir;
  LocalParty alice(dir.data(), 0xa1, 37);
  Party bob(account_name(0xb0), 38);
  ASSERT_TRUE(connect(bob, alice, alice.publish_bundle(true, KyberPreKeyKind::one_time)));
  EXPECT_EQ(alice.receive_text(bob, send_to(bob, alice, "old key")), "old key");
  // Bob reinstalls: same account, new identity.
  Party new_bob(account_name(0xb0), 39);
  ASSERT_TRUE(connect(new_bob, alice, alice.publish_bundle(true, KyberPreKeyKind::one_time)));
  const auto message = send_to(new_bob, alice, "new key");
  auto refused = alice.receive(new_bob.address, message, stores_of(*alice.store));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::untrusted_identity);
  const auto new_key = new_bob.stores.identities.identity_key_pair().public_key();
  ASSERT_TRUE(alice.store->note_untrusted_identity(new_bob.address, new_key));
  const auto serialized = new_key.serialize();
  const Bytes new_key_bytes(serialized.begin(), serialized.end());
  EXPECT_EQ(alice.store->contact(account_id(0xb0)).value()->pending_identity_key, new_key_bytes);
  // The user accepts the change; the old sessions go.
  ASSERT_TRUE(alice.store->trust_identity(account_id(0xb0), new_key_bytes,
                                          client::TrustLevel::trusted_unverified));
  ASSERT_TRUE(alice.store->delete_sessions(account_id(0xb0)));
  EXPECT_EQ(alice.receive_text(new_bob, message), "new key");
}

TEST(LocalStoreSessionTest, SessionsAreKeptPerDevice) {
  TempDir dir;
  LocalParty alice(dir.data(), 0xa1, 40);
  Party phone(account_name(0xb0), 41);
  Party tablet(account_name(0xb0), 41);  // same seed: same identity, as one account's devices
  tablet.address.device = DeviceId(2);
  for (Party* device : {&phone, &tablet})
    ASSERT_TRUE(protocol::process_pre_key_bundle(device->address, device->publish_bundle(),
                                                 stores_of(*alice.store), test_now_ms, alice.rng));
  EXPECT_EQ(alice.store->session_devices(account_id(0xb0)).value(),
            (std::vector<std::uint32_t>{1, 2}));
  ASSERT_TRUE(alice.store->delete_session(tablet.address));
  EXPECT_EQ(alice.store->session_devices(account_id(0xb0)).value(), std::vector<std::uint32_t>{1});
  ASSERT_TRUE(alice.store->delete_sessions(account_id(0xb0)));
  EXPECT_TRUE(alice.store->session_devices(account_id(0xb0)).value().empty());
  EXPECT_FALSE(alice.store->load_session(phone.address).value());
}

// A failed store call anywhere in a prekey decrypt rolls the whole transaction back: no
// session, no contact, and both one-time prekeys still there (not only "no session").
TEST(LocalStoreSessionTest, FaultLoopPreKeyDecryptInATransactionIsAllOrNothing) {
  constexpr std::size_t max_store_calls = 64;
  TempDir dir;
  LocalParty alice(dir.data(), 0xa1, 42);
  Party bob(account_name(0xb0), 43);
  ASSERT_TRUE(connect(bob, alice, alice.publish_bundle(true, KyberPreKeyKind::one_time)));
  const auto first = send_to(bob, alice, "first");
  FaultCounter faults;
  auto& store = *alice.store;
  FaultySessionStore sessions(store, faults);
  FaultyIdentityKeyStore identities(store, faults);
  FaultyPreKeyStore pre_keys(store, faults);
  FaultySignedPreKeyStore signed_pre_keys(store, faults);
  FaultyKyberPreKeyStore kyber_pre_keys(store, faults);
  const protocol::ProtocolStores faulty{sessions, identities, pre_keys, signed_pre_keys,
                                        kyber_pre_keys};
  bool succeeded = false;
  for (std::size_t n = 0; n < max_store_calls && !succeeded; ++n) {
    faults.fail_call(n);
    auto result = alice.receive(bob.address, first, faulty);
    if (!result) {
      EXPECT_EQ(result.error().code, Errc::internal) << "call " << n;
      EXPECT_FALSE(store.load_session(bob.address).value()) << "call " << n;
      EXPECT_FALSE(store.contact(account_id(0xb0)).value()) << "call " << n;
      EXPECT_EQ(store.pre_key_count().value(), 1u) << "call " << n;
      EXPECT_EQ(store.kyber_one_time_pre_key_count().value(), 1u) << "call " << n;
      continue;
    }
    succeeded = true;
    EXPECT_EQ(text_of(*result), "first");
    EXPECT_TRUE(store.load_session(bob.address).value());
    EXPECT_EQ(store.pre_key_count().value(), 0u);
    EXPECT_EQ(store.kyber_one_time_pre_key_count().value(), 0u);
  }
  EXPECT_TRUE(succeeded);
}

}  // namespace
}  // namespace bulwark::testing
