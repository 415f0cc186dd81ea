// Session setup, both roles (libsignal rust/protocol/src/session.rs and ratchet.rs).
//
// Initiator: process_pre_key_bundle() verifies the bundle's signatures and trust, runs PQXDH,
// and stores a new session that keeps sending PreKeySignalMessages until the first reply.
// Responder: process_pre_key_message() builds the matching session from a PreKeySignalMessage
// in the caller's copy of the record (or finds the one an earlier copy of the message built).
#pragma once

#include <cstdint>
#include <optional>

#include "common/ids.h"
#include "common/result.h"
#include "common/rng.h"
#include "protocol/address.h"
#include "protocol/message.h"
#include "protocol/prekeys.h"
#include "protocol/state/session_record.h"
#include "protocol/store.h"

namespace bulwark::protocol {

// Errc::auth_failed for a bad prekey signature, Errc::untrusted_identity when the identity
// store does not trust the bundle's identity key. On error nothing is stored.
[[nodiscard]] Result<void> process_pre_key_bundle(const ProtocolAddress& remote,
                                                  const PreKeyBundle& bundle,
                                                  ProtocolStores stores, std::uint64_t now_ms,
                                                  Rng& rng);

// What the responder must do once the message has decrypted: delete the one-time prekeys it
// used. Empty when the message matched an existing session.
struct UsedPreKeys {
  std::optional<PreKeyId> pre_key_id;
  std::optional<KyberPreKeyId> kyber_pre_key_id;
  SignedPreKeyId signed_pre_key_id;
  std::optional<PublicKey> base_key;
};

// Makes `record`'s current state the session `message` belongs to, building it if needed.
// Touches only `record` (the caller's copy), never the stores' contents.
[[nodiscard]] Result<UsedPreKeys> process_pre_key_message(const PreKeySignalMessage& message,
                                                          SessionRecord& record,
                                                          const ProtocolStores& stores);

}  // namespace bulwark::protocol
