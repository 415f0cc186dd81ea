// libsignal's serialisations of identity key pairs and prekey records (proto/records.proto),
// byte for byte, so that keys can move between Bulwark and any libsignal-based store. The
// bytes hold private keys: SecretBytes, wiped after use.
//
// Reading checks that each private key belongs to its public key, so a corrupted record can
// never make a device sign with one key and publish another.
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/keys.h"
#include "protocol/prekeys.h"

namespace bulwark::protocol {

[[nodiscard]] SecretBytes serialize_identity_key_pair(const IdentityKeyPair& pair);
[[nodiscard]] Result<IdentityKeyPair> deserialize_identity_key_pair(ByteView bytes);

[[nodiscard]] SecretBytes serialize_pre_key(const PreKeyRecord& record);
[[nodiscard]] Result<PreKeyRecord> deserialize_pre_key(ByteView bytes);

[[nodiscard]] SecretBytes serialize_signed_pre_key(const SignedPreKeyRecord& record);
[[nodiscard]] Result<SignedPreKeyRecord> deserialize_signed_pre_key(ByteView bytes);

[[nodiscard]] SecretBytes serialize_kyber_pre_key(const KyberPreKeyRecord& record);
[[nodiscard]] Result<KyberPreKeyRecord> deserialize_kyber_pre_key(ByteView bytes);

}  // namespace bulwark::protocol
