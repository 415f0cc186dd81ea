#include "session_fixture.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>

namespace bulwark::bench {
namespace {

// Prekey timestamps and the session clock. Real time, like bench.js's Date.now(): a fixed old
// date would make encrypt_message() treat the session as expired.
std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

[[noreturn]] void die(const char* what, const Error& error) {
  std::fprintf(stderr, "session benchmark: %s failed: %s\n", what, error.describe().c_str());
  std::abort();
}

template <class T>
T must(Result<T> result, const char* what) {
  if (!result) die(what, result.error());
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

void expect_plaintext(const Bytes& got, ByteView want) {
  if (!std::equal(got.begin(), got.end(), want.begin(), want.end())) {
    std::fprintf(stderr, "session benchmark: decrypted text differs from the sent text\n");
    std::abort();
  }
}

protocol::PreKeyBundle publish_bundle(Device& bob, Rng& rng) {
  // Ids only need to be distinct within Bob's stores, and every Bob is fresh.
  const std::uint64_t now = now_ms();
  const auto& identity = bob.stores.identities.identity_key_pair();
  auto signed_pre_key =
      protocol::SignedPreKeyRecord::generate(SignedPreKeyId(1), now, identity, rng);
  auto kyber = protocol::KyberPreKeyRecord::generate(KyberPreKeyId(2), now, identity, rng);
  auto one_time = protocol::PreKeyRecord::generate(PreKeyId(3), rng);
  must(bob.stores.signed_pre_keys.store_signed_pre_key(signed_pre_key), "storing a signed prekey");
  must(bob.stores.kyber_pre_keys.store_kyber_pre_key(kyber, protocol::KyberPreKeyKind::one_time),
       "storing a Kyber prekey");
  must(bob.stores.pre_keys.store_pre_key(one_time), "storing a one-time prekey");
  return protocol::PreKeyBundle::from_records(bob.stores.identities.local_registration_id(),
                                              bob.address.device, identity.public_key(),
                                              signed_pre_key, kyber, &one_time);
}

}  // namespace

Device::Device(std::string name, Rng& rng)
    : address{std::move(name), DeviceId(1)},
      stores(protocol::KeyPair::generate(rng), RegistrationId(1)) {}

SessionPair::SessionPair(Rng& rng)
    : alice("alice", rng), bob("bob", rng), bundle(publish_bundle(bob, rng)) {}

void send_one_way(Device& from, Device& to, ByteView plaintext, protocol::CiphertextType expected,
                  Rng& rng) {
  auto message =
      must(protocol::encrypt_message(plaintext, to.address, from.stores.view(), now_ms(), rng),
           "encrypt_message");
  if (message.type != expected) {
    std::fprintf(stderr, "session benchmark: message of type %d, expected %d\n",
                 static_cast<int>(message.type), static_cast<int>(expected));
    std::abort();
  }
  expect_plaintext(must(protocol::decrypt_message(message.type, message.body, from.address,
                                                  to.stores.view(), rng),
                        "decrypt_message"),
                   plaintext);
}

void set_up_session(SessionPair& pair, ByteView plaintext, Rng& rng) {
  must(protocol::process_pre_key_bundle(pair.bob.address, pair.bundle, pair.alice.stores.view(),
                                        now_ms(), rng),
       "process_pre_key_bundle");
  send_one_way(pair.alice, pair.bob, plaintext, protocol::CiphertextType::prekey, rng);
}

void establish_acknowledged_session(SessionPair& pair, ByteView plaintext, Rng& rng) {
  set_up_session(pair, plaintext, rng);
  send_one_way(pair.bob, pair.alice, plaintext, protocol::CiphertextType::whisper, rng);
}

}  // namespace bulwark::bench
