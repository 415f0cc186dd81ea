// Encrypting and decrypting session messages (libsignal rust/protocol/src/session_cipher.rs).
//
// Every operation loads a copy of the session record, works on the copy and stores it only
// when the whole operation succeeded: a forged, tampered, replayed or truncated message
// never changes a stored session, and never consumes a prekey.
// Decryption tries the current state first, then the archived ones, newest first; a state
// that decrypts the message becomes current. A message whose key was already used is
// Errc::duplicate_message; every other authentication failure is Errc::invalid_message.
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "protocol/address.h"
#include "protocol/message.h"
#include "protocol/store.h"

namespace bulwark::protocol {

// Transport metadata, not on the wire (libsignal CiphertextMessageType).
enum class CiphertextType : std::uint8_t { whisper = 2, prekey = 3 };

struct CiphertextMessage {
  CiphertextType type;
  Bytes body;
};

// A session whose initiator never heard back expires after this long (libsignal
// MAX_UNACKNOWLEDGED_SESSION_AGE): its prekeys have long been rotated away.
inline constexpr std::uint64_t max_unacknowledged_session_age_ms = 30ull * 24 * 3600 * 1000;

// Errc::session_not_found without a usable session, Errc::untrusted_identity when the
// identity store no longer trusts the session's remote identity.
[[nodiscard]] Result<CiphertextMessage> encrypt_message(ByteView plaintext,
                                                        const ProtocolAddress& remote,
                                                        ProtocolStores stores,
                                                        std::uint64_t now_ms, Rng& rng);

[[nodiscard]] Result<Bytes> decrypt_signal_message(const SignalMessage& message,
                                                   const ProtocolAddress& remote,
                                                   ProtocolStores stores, Rng& rng);

[[nodiscard]] Result<Bytes> decrypt_pre_key_message(const PreKeySignalMessage& message,
                                                    const ProtocolAddress& remote,
                                                    ProtocolStores stores, Rng& rng);

// Parses `body` as `type` and decrypts it.
[[nodiscard]] Result<Bytes> decrypt_message(CiphertextType type, ByteView body,
                                            const ProtocolAddress& remote, ProtocolStores stores,
                                            Rng& rng);

}  // namespace bulwark::protocol
