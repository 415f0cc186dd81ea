#include "protocol/prekeys.h"

namespace bulwark::protocol {
namespace {

Bytes to_signature_bytes(const crypto::XEdDsaSignature& signature) {
  return {signature.begin(), signature.end()};
}

}  // namespace

PreKeyRecord PreKeyRecord::generate(PreKeyId id, Rng& rng) {
  return {id, KeyPair::generate(rng)};
}

SignedPreKeyRecord SignedPreKeyRecord::generate(SignedPreKeyId id, std::uint64_t timestamp_ms,
                                                const IdentityKeyPair& identity, Rng& rng) {
  KeyPair pair = KeyPair::generate(rng);
  Bytes signature = to_signature_bytes(identity.sign(pair.public_key().serialize(), rng));
  return {id, timestamp_ms, std::move(pair), std::move(signature)};
}

KyberPreKeyRecord KyberPreKeyRecord::generate(KyberPreKeyId id, std::uint64_t timestamp_ms,
                                              const IdentityKeyPair& identity, Rng& rng) {
  KyberKeyPair pair = KyberKeyPair::generate(rng);
  Bytes signature = to_signature_bytes(identity.sign(pair.public_key().serialized(), rng));
  return {id, timestamp_ms, std::move(pair), std::move(signature)};
}

PreKeyBundle PreKeyBundle::from_records(RegistrationId registration_id, DeviceId device_id,
                                       const IdentityKey& identity_key,
                                       const SignedPreKeyRecord& signed_pre_key,
                                       const KyberPreKeyRecord& kyber_pre_key,
                                       const PreKeyRecord* one_time) {
  std::optional<PreKeyId> pre_key_id;
  std::optional<PublicKey> pre_key;
  if (one_time != nullptr) {
    pre_key_id = one_time->id;
    pre_key = one_time->key_pair.public_key();
  }
  return {registration_id,
          device_id,
          pre_key_id,
          pre_key,
          signed_pre_key.id,
          signed_pre_key.key_pair.public_key(),
          signed_pre_key.signature,
          identity_key,
          kyber_pre_key.id,
          kyber_pre_key.key_pair.public_key(),
          kyber_pre_key.signature};
}

Result<void> PreKeyBundle::verify() const {
  if (pre_key_id.has_value() != pre_key.has_value())
    return fail(Errc::invalid_argument, "bundle: one-time prekey id and key must come together");
  if (!identity_key.verify_signature(signed_pre_key.serialize(), signed_pre_key_signature))
    return fail(Errc::auth_failed, "bundle: signature on signed prekey is invalid");
  if (!identity_key.verify_signature(kyber_pre_key.serialized(), kyber_pre_key_signature))
    return fail(Errc::auth_failed, "bundle: signature on Kyber prekey is invalid");
  return {};
}

}  // namespace bulwark::protocol
