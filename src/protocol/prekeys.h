// Prekeys and prekey bundles (libsignal rust/protocol/src/state/{prekey,signed_prekey,
// kyber_prekey,bundle}.rs).
//
// A bundle is what a device publishes so that others can start a session with it while it is
// offline: its identity key, a signed EC prekey, a signed Kyber1024 prekey (mandatory since
// PQXDH) and optionally a one-time EC prekey. Both signatures are XEdDSA by the identity key
// over the serialised prekey (33 or 1569 bytes). Kyber prekeys are either one-time (deleted
// once used) or last-resort (kept and reused); that is the store's business, not the record's.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/result.h"
#include "common/rng.h"
#include "protocol/keys.h"

namespace bulwark::protocol {

struct PreKeyRecord {
  PreKeyId id;
  KeyPair key_pair;

  [[nodiscard]] static PreKeyRecord generate(PreKeyId id, Rng& rng);
  [[nodiscard]] PreKeyRecord clone() const { return {id, key_pair.clone()}; }
};

struct SignedPreKeyRecord {
  SignedPreKeyId id;
  std::uint64_t timestamp_ms = 0;
  KeyPair key_pair;
  Bytes signature;

  [[nodiscard]] static SignedPreKeyRecord generate(SignedPreKeyId id, std::uint64_t timestamp_ms,
                                                   const IdentityKeyPair& identity, Rng& rng);
  [[nodiscard]] SignedPreKeyRecord clone() const {
    return {id, timestamp_ms, key_pair.clone(), signature};
  }
};

struct KyberPreKeyRecord {
  KyberPreKeyId id;
  std::uint64_t timestamp_ms = 0;
  KyberKeyPair key_pair;
  Bytes signature;

  [[nodiscard]] static KyberPreKeyRecord generate(KyberPreKeyId id, std::uint64_t timestamp_ms,
                                                  const IdentityKeyPair& identity, Rng& rng);
  [[nodiscard]] KyberPreKeyRecord clone() const {
    return {id, timestamp_ms, key_pair.clone(), signature};
  }
};

struct PreKeyBundle {
  RegistrationId registration_id;
  DeviceId device_id;
  std::optional<PreKeyId> pre_key_id;  // both or neither
  std::optional<PublicKey> pre_key;
  SignedPreKeyId signed_pre_key_id;
  PublicKey signed_pre_key;
  Bytes signed_pre_key_signature;
  IdentityKey identity_key;
  KyberPreKeyId kyber_pre_key_id;
  KyberPublicKey kyber_pre_key;
  Bytes kyber_pre_key_signature;

  // The public bundle for a device's records; `one_time` may be null.
  [[nodiscard]] static PreKeyBundle from_records(RegistrationId registration_id, DeviceId device_id,
                                                 const IdentityKey& identity_key,
                                                 const SignedPreKeyRecord& signed_pre_key,
                                                 const KyberPreKeyRecord& kyber_pre_key,
                                                 const PreKeyRecord* one_time);

  // Checks both signatures against identity_key and that the one-time prekey id and key come
  // together. Errc::auth_failed for a bad signature.
  [[nodiscard]] Result<void> verify() const;
};

}  // namespace bulwark::protocol
