// The session cipher on hostile input: genuine messages with fuzz bytes XORed in, and raw
// fuzz bytes, delivered to an established session (whisper) and to a fresh responder
// (prekey). Every input starts from the same stored state.
//
// Oracles: a whisper message decrypts if and only if no bit changed (the MAC covers every
// byte), and then to the genuine plaintext; an altered prekey message may only decrypt to
// the genuine plaintext (its outer fields are not MAC-covered, as in libsignal); and after
// any failure the stored session is byte for byte what it was, no prekey is consumed, and the
// genuine message still decrypts.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "mutation.h"
#include "protocol/protocol.h"

namespace {

using namespace bulwark;
using namespace bulwark::protocol;

void must(bool condition) {
  if (!condition) std::abort();
}

constexpr std::uint64_t now_ms = 1'700'000'000'000;
const ProtocolAddress alice_address{"alice", DeviceId(1)};
const ProtocolAddress bob_address{"bob", DeviceId(1)};
const Bytes plaintext = to_bytes(as_bytes("the genuine plaintext"));

// Bob's keys before any message arrived, from which a fresh responder is rebuilt per input.
struct BobKeys {
  KeyPair identity;
  PreKeyRecord pre_key;
  SignedPreKeyRecord signed_pre_key;
  KyberPreKeyRecord kyber_pre_key;

  std::unique_ptr<InMemoryProtocolStores> fresh_stores() const {
    auto stores = std::make_unique<InMemoryProtocolStores>(identity.clone(), RegistrationId(2));
    must(stores->pre_keys.store_pre_key(pre_key).has_value());
    must(stores->signed_pre_keys.store_signed_pre_key(signed_pre_key).has_value());
    must(stores->kyber_pre_keys.store_kyber_pre_key(kyber_pre_key, KyberPreKeyKind::one_time)
             .has_value());
    return stores;
  }
};

struct World {
  fuzz::CountingRng rng{7};
  std::unique_ptr<BobKeys> bob_keys;
  std::unique_ptr<InMemoryProtocolStores> alice;
  SessionRecord alice_before_whisper;
  CiphertextMessage prekey;   // Alice -> Bob, first message
  CiphertextMessage whisper;  // Bob -> Alice, after the session is acknowledged

  World() {
    auto bob_identity = KeyPair::generate(rng);
    auto signed_pre_key = SignedPreKeyRecord::generate(SignedPreKeyId(1), now_ms, bob_identity, rng);
    auto kyber = KyberPreKeyRecord::generate(KyberPreKeyId(2), now_ms, bob_identity, rng);
    bob_keys = std::make_unique<BobKeys>(BobKeys{std::move(bob_identity),
                                                 PreKeyRecord::generate(PreKeyId(3), rng),
                                                 std::move(signed_pre_key), std::move(kyber)});
    alice = std::make_unique<InMemoryProtocolStores>(KeyPair::generate(rng), RegistrationId(1));
    const auto& keys = *bob_keys;
    auto bundle = PreKeyBundle::from_records(RegistrationId(2), DeviceId(1),
                                             keys.identity.public_key(), keys.signed_pre_key,
                                             keys.kyber_pre_key, &keys.pre_key);
    must(process_pre_key_bundle(bob_address, bundle, alice->view(), now_ms, rng).has_value());
    prekey = encrypt_message(plaintext, bob_address, alice->view(), now_ms, rng).value();

    auto bob = keys.fresh_stores();
    must(decrypt_message(prekey.type, prekey.body, alice_address, bob->view(), rng).has_value());
    auto ack = encrypt_message(plaintext, alice_address, bob->view(), now_ms, rng).value();
    must(decrypt_message(ack.type, ack.body, bob_address, alice->view(), rng).has_value());
    whisper = encrypt_message(plaintext, alice_address, bob->view(), now_ms, rng).value();
    alice_before_whisper = alice->sessions.load_session(bob_address).value()->clone();
  }

  // Alice as she was before `whisper` arrived.
  void reset_alice() { must(alice->sessions.store_session(bob_address, alice_before_whisper).has_value()); }

  // Whether Alice's stored session is still exactly alice_before_whisper.
  bool alice_unchanged() {
    static const Bytes expected = to_bytes(serialize_session_record(alice_before_whisper).view());
    auto stored = alice->sessions.load_session(bob_address).value().value();
    return to_bytes(serialize_session_record(stored).view()) == expected;
  }
};

void check_whisper(World& world, ByteView mask) {
  auto mutated = fuzz::xor_into(world.whisper.body, mask);
  world.reset_alice();
  auto result = decrypt_message(CiphertextType::whisper, mutated.bytes, bob_address,
                                world.alice->view(), world.rng);
  must(result.has_value() == !mutated.changed);
  if (result) {
    must(*result == plaintext);
    return;
  }
  must(world.alice_unchanged());
  auto genuine = decrypt_message(CiphertextType::whisper, world.whisper.body, bob_address,
                                 world.alice->view(), world.rng);
  must(genuine.has_value() && *genuine == plaintext);
}

void check_prekey(World& world, ByteView body) {
  auto bob = world.bob_keys->fresh_stores();
  auto result = decrypt_message(CiphertextType::prekey, body, alice_address, bob->view(), world.rng);
  if (result) {
    must(*result == plaintext);
    return;
  }
  must(bob->pre_keys.size() == 1 && bob->kyber_pre_keys.size() == 1);
  must(!bob->sessions.load_session(alice_address).value().has_value());
  auto genuine = decrypt_message(CiphertextType::prekey, world.prekey.body, alice_address,
                                 bob->view(), world.rng);
  must(genuine.has_value() && *genuine == plaintext);
}

void check_raw_whisper(World& world, ByteView body) {
  world.reset_alice();
  auto result = decrypt_message(CiphertextType::whisper, body, bob_address, world.alice->view(), world.rng);
  must(!result.has_value() || to_bytes(body) == world.whisper.body);
  must(result.has_value() || world.alice_unchanged());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  check_whisper(world, input);
  check_prekey(world, fuzz::xor_into(world.prekey.body, input).bytes);
  check_prekey(world, input);
  check_raw_whisper(world, input);
  return 0;
}
