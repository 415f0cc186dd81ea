// Test helper: one device with its own identity, stores and seeded RNG, and one-line
// operations for the common steps of a session test.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "protocol/protocol.h"
#include "support/seeded_rng.h"

namespace bulwark::testing {

inline constexpr std::uint64_t test_now_ms = 1'700'000'000'000;

class Party {
 public:
  Party(std::string name, std::uint64_t seed)
      : rng(seed),
        address{std::move(name), DeviceId(1)},
        stores(protocol::KeyPair::generate(rng), RegistrationId(static_cast<std::uint32_t>(seed % 16380 + 1))) {}

  // Generates, stores and returns a fresh bundle.
  protocol::PreKeyBundle publish_bundle(bool with_one_time = true,
                                        protocol::KyberPreKeyKind kind =
                                            protocol::KyberPreKeyKind::one_time) {
    const auto& identity = stores.identities.identity_key_pair();
    auto signed_pre_key = protocol::SignedPreKeyRecord::generate(SignedPreKeyId(++next_id_),
                                                                 test_now_ms, identity, rng);
    auto kyber = protocol::KyberPreKeyRecord::generate(KyberPreKeyId(++next_id_), test_now_ms,
                                                       identity, rng);
    std::optional<protocol::PreKeyRecord> one_time;
    if (with_one_time) {
      one_time.emplace(protocol::PreKeyRecord::generate(PreKeyId(++next_id_), rng));
      EXPECT_TRUE(stores.pre_keys.store_pre_key(*one_time));
    }
    EXPECT_TRUE(stores.signed_pre_keys.store_signed_pre_key(signed_pre_key));
    EXPECT_TRUE(stores.kyber_pre_keys.store_kyber_pre_key(kyber, kind));
    return protocol::PreKeyBundle::from_records(stores.identities.local_registration_id(),
                                                address.device, identity.public_key(),
                                                signed_pre_key, kyber,
                                                one_time ? &*one_time : nullptr);
  }

  Result<void> process(const Party& peer, const protocol::PreKeyBundle& bundle) {
    return protocol::process_pre_key_bundle(peer.address, bundle, stores.view(), now_ms, rng);
  }

  // Starts a session with `peer` from a fresh bundle of theirs.
  void connect_to(Party& peer, bool with_one_time = true) {
    ASSERT_TRUE(process(peer, peer.publish_bundle(with_one_time)));
  }

  Result<protocol::CiphertextMessage> encrypt(const Party& to, std::string_view text) {
    return protocol::encrypt_message(as_bytes(text), to.address, stores.view(), now_ms, rng);
  }

  Result<Bytes> decrypt(const Party& from, const protocol::CiphertextMessage& message) {
    return protocol::decrypt_message(message.type, message.body, from.address, stores.view(), rng);
  }

  // Decrypts and returns the text, or "<error: ...>".
  std::string receive(const Party& from, const protocol::CiphertextMessage& message) {
    auto plaintext = decrypt(from, message);
    if (!plaintext) return "<error: " + plaintext.error().describe() + ">";
    return {reinterpret_cast<const char*>(plaintext->data()), plaintext->size()};
  }

  // The stored session record with `peer`, serialised ("" without one): compared before and
  // after an operation to show it changed nothing.
  std::string record_bytes(const Party& peer) const {
    auto record = stores.sessions.load_session(peer.address);
    EXPECT_TRUE(record);
    if (!record || !*record) return {};
    auto bytes = protocol::serialize_session_record(**record);
    return {reinterpret_cast<const char*>(bytes.view().data()), bytes.size()};
  }

  protocol::CiphertextMessage send(const Party& to, std::string_view text) {
    auto message = encrypt(to, text);
    EXPECT_TRUE(message) << message.error().describe();
    return message ? std::move(*message) : protocol::CiphertextMessage{};
  }

  SeededRng rng;
  protocol::ProtocolAddress address;
  protocol::InMemoryProtocolStores stores;
  std::uint64_t now_ms = test_now_ms;

 private:
  std::uint32_t next_id_ = 0;
};

}  // namespace bulwark::testing
