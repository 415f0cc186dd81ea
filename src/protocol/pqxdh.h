// PQXDH key agreement (Signal's PQXDH specification, revision 3; libsignal
// rust/protocol/src/ratchet.rs and pqxdh.rs), both roles.
//
//   secret = 0xFF*32 || DH(IK_A, SPK_B) || DH(EK_A, IK_B) || DH(EK_A, SPK_B)
//            [|| DH(EK_A, OPK_B)] || SS_kyber
//   (RK, CK, SPQR auth key) = HKDF-SHA256(ikm = secret, salt = none,
//                              "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024", 96)
//
// The initiator (Alice) and the responder (Bob) compute the same three keys; the DH order is
// the same on both sides with roles swapped. Any small-order key is Errc::weak_key.
#pragma once

#include <optional>

#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/keys.h"
#include "protocol/ratchet/keys.h"

namespace bulwark::protocol {

struct PqxdhKeys {
  ratchet::RootKey root_key;
  ratchet::ChainKey chain_key;
  SecretBytes pq_ratchet_key;  // seeds the SPQR ratchet; unused without SPQR
};

struct PqxdhInitiatorInputs {
  const IdentityKeyPair& our_identity;
  const KeyPair& our_base_key;
  const IdentityKey& their_identity;
  const PublicKey& their_signed_pre_key;
  const std::optional<PublicKey>& their_one_time_pre_key;
  const SecretBytes& kyber_shared_secret;
};

struct PqxdhResponderInputs {
  const IdentityKeyPair& our_identity;
  const KeyPair& our_signed_pre_key;
  const KeyPair* our_one_time_pre_key;  // null when the message used none
  const IdentityKey& their_identity;
  const PublicKey& their_base_key;
  const SecretBytes& kyber_shared_secret;
};

[[nodiscard]] Result<PqxdhKeys> pqxdh_initiate(const PqxdhInitiatorInputs& in);
[[nodiscard]] Result<PqxdhKeys> pqxdh_respond(const PqxdhResponderInputs& in);

}  // namespace bulwark::protocol
