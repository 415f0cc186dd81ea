// Room for the post-quantum triple ratchet (SPQR, signal.org/docs/specifications/mlkembraid).
//
// Bulwark does not speak SPQR yet; its sessions are SPQR version V0, which libsignal 0.90.0
// accepts (its SPQR min_version is V0, so it downgrades on the first message it decrypts that
// carries no pq_ratchet field, and from then on sends none and salts no message key).
//   - We never attach a pq_ratchet field.
//   - Until libsignal has decrypted our first message, its own messages carry V1 SPQR messages
//     of epoch 1, index 0: "no key yet" (a V1 sender has no chain before it has received a V1
//     message, and we never send one). Those are accepted and contribute no key.
//   - Any SPQR message that would carry a key is refused: a peer can only be there after
//     receiving V1 from us, which cannot happen.
// The PQXDH-derived SPQR auth key is kept, so that the real ratchet can be started from it
// when SPQR lands (libsignal 0.92+ requires it).
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::protocol::ratchet {

// Which side of the PQXDH handshake we were, which fixes the SPQR chain directions.
enum class PqRole { initiator, responder };

class PqRatchet {
 public:
  static PqRatchet start(SecretBytes auth_key, PqRole role) {
    return PqRatchet(std::move(auth_key), role);
  }
  [[nodiscard]] PqRatchet clone() const { return PqRatchet(auth_key_.clone(), role_); }
  [[nodiscard]] PqRole role() const noexcept { return role_; }
  [[nodiscard]] const SecretBytes& auth_key() const noexcept { return auth_key_; }

  // The pq_ratchet field for our next message: always empty (V0).
  [[nodiscard]] Bytes next_outgoing() const { return {}; }

  // The SPQR key that salts the message keys of an incoming message whose pq_ratchet field is
  // `message`: always empty in V0. Errc::invalid_message for a malformed SPQR message or one
  // that expects a key.
  [[nodiscard]] Result<SecretBytes> key_for_incoming(ByteView message) const;

 private:
  PqRatchet(SecretBytes auth_key, PqRole role) : auth_key_(std::move(auth_key)), role_(role) {}

  SecretBytes auth_key_;
  PqRole role_;
};

}  // namespace bulwark::protocol::ratchet
