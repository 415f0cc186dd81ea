// The two parties of a session benchmark, built the way tests/interop/bench.js builds them
// (newPair: fresh Alice, fresh Bob, Bob's freshly published bundle), and the two operations
// that are timed against libsignal-client. Every protocol call is checked: a benchmark of a
// failing path would measure an early return, so any error aborts the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/rng.h"
#include "protocol/protocol.h"

namespace bulwark::bench {

// bench.js encrypts 100 random bytes.
inline constexpr std::size_t session_message_bytes = 100;

struct Device {
  Device(std::string name, Rng& rng);

  protocol::ProtocolAddress address;
  protocol::InMemoryProtocolStores stores;
};

// Alice and Bob with no session yet, and the bundle Bob published: identity, signed prekey,
// one-time EC prekey and one-time Kyber1024 prekey (what bench.js's newBundle() makes).
struct SessionPair {
  explicit SessionPair(Rng& rng);

  Device alice;
  Device bob;
  protocol::PreKeyBundle bundle;
};

// The timed part of one session setup: Alice processes Bob's bundle and encrypts `plaintext`,
// Bob decrypts the PreKey message. Aborts unless Bob reads back `plaintext`.
void set_up_session(SessionPair& pair, ByteView plaintext, Rng& rng);

// One message `from` → `to`; aborts unless it has type `expected` and decrypts to `plaintext`.
void send_one_way(Device& from, Device& to, ByteView plaintext, protocol::CiphertextType expected,
                  Rng& rng);

// set_up_session() plus one reply from Bob, so that Alice's next messages are Whisper messages
// (bench.js's acknowledged session).
void establish_acknowledged_session(SessionPair& pair, ByteView plaintext, Rng& rng);

}  // namespace bulwark::bench
