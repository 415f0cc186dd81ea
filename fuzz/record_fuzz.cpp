// Records read back from storage (a client's database may be corrupted or tampered with):
// session records (raw bytes, and a valid record with fuzz bytes XORed in), and libsignal's
// identity-key-pair and prekey record formats.
//
// Oracle: whatever decodes re-encodes to bytes that decode to the same re-encoding (each codec
// is stable), and a session record never holds more than libsignal's bounds allow.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "mutation.h"
#include "protocol/protocol.h"

namespace {

using namespace bulwark;
using namespace bulwark::protocol;

void must(bool condition) {
  if (!condition) std::abort();
}

// A record with a pending prekey, a receiver chain and a skipped key.
Bytes valid_record() {
  fuzz::CountingRng rng{11};
  InMemoryProtocolStores alice(KeyPair::generate(rng), RegistrationId(1));
  InMemoryProtocolStores bob(KeyPair::generate(rng), RegistrationId(2));
  const ProtocolAddress alice_address{"alice", DeviceId(1)};
  const ProtocolAddress bob_address{"bob", DeviceId(1)};
  const auto& identity = bob.identities.identity_key_pair();
  auto spk = SignedPreKeyRecord::generate(SignedPreKeyId(1), 0, identity, rng);
  auto kyber = KyberPreKeyRecord::generate(KyberPreKeyId(2), 0, identity, rng);
  must(bob.signed_pre_keys.store_signed_pre_key(spk).has_value());
  must(bob.kyber_pre_keys.store_kyber_pre_key(kyber, KyberPreKeyKind::last_resort).has_value());
  auto bundle = PreKeyBundle::from_records(RegistrationId(2), DeviceId(1), identity.public_key(),
                                           spk, kyber, nullptr);
  must(process_pre_key_bundle(bob_address, bundle, alice.view(), 0, rng).has_value());
  auto first = encrypt_message(as_bytes("x"), bob_address, alice.view(), 0, rng).value();
  must(decrypt_message(first.type, first.body, alice_address, bob.view(), rng).has_value());
  (void)encrypt_message(as_bytes("skipped"), alice_address, bob.view(), 0, rng).value();
  auto reply = encrypt_message(as_bytes("y"), alice_address, bob.view(), 0, rng).value();
  must(decrypt_message(reply.type, reply.body, bob_address, alice.view(), rng).has_value());
  auto record = alice.sessions.load_session(bob_address).value().value();
  return to_bytes(serialize_session_record(record).view());
}

void check(ByteView bytes) {
  auto record = deserialize_session_record(bytes);
  if (!record) return;
  must(record->archived_count() <= max_archived_states);
  if (record->has_current_state())
    must(record->current().receiver_chain_count() <= max_receiver_chains);
  auto encoded = serialize_session_record(*record);
  auto again = deserialize_session_record(encoded.view());
  must(again.has_value());
  must(to_bytes(serialize_session_record(*again).view()) == to_bytes(encoded.view()));
}

template <class Decode, class Encode>
void check_stable(ByteView bytes, Decode decode, Encode encode) {
  auto value = decode(bytes);
  if (!value) return;
  auto encoded = encode(*value);
  auto again = decode(encoded.view());
  must(again.has_value());
  must(to_bytes(encode(*again).view()) == to_bytes(encoded.view()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Bytes valid = valid_record();
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  check(input);
  check(fuzz::xor_into(valid, input).bytes);
  check_stable(input, deserialize_identity_key_pair, serialize_identity_key_pair);
  check_stable(input, deserialize_pre_key, serialize_pre_key);
  check_stable(input, deserialize_signed_pre_key, serialize_signed_pre_key);
  check_stable(input, deserialize_kyber_pre_key, serialize_kyber_pre_key);
  return 0;
}
