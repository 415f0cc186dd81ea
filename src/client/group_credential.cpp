#include "client/group_credential.h"

#include <algorithm>

#include "crypto/compare.h"
#include "crypto/xeddsa.h"

namespace bulwark::client {
namespace {

Bytes signed_part(ByteView account_id, std::uint32_t device_id, ByteView signature_key) {
  Bytes out;
  out.reserve(mls_credential_domain.size() + 16 + 4 + 32);
  for (char c : mls_credential_domain) out.push_back(static_cast<std::byte>(c));
  out.insert(out.end(), account_id.begin(), account_id.end());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::byte>((device_id >> shift) & 0xff));
  }
  out.insert(out.end(), signature_key.begin(), signature_key.end());
  return out;
}

}  // namespace

Result<Bytes> make_mls_credential(ByteView account_id, std::uint32_t device_id,
                                  const crypto::Ed25519PublicKey& signature_key,
                                  const crypto::X25519SecretKey& identity, Rng& rng) {
  if (account_id.size() != 16) return fail(Errc::invalid_length, "an account id is 16 bytes");
  Bytes out = signed_part(account_id, device_id, signature_key.bytes());
  const crypto::XEdDsaSignature signature = crypto::xeddsa_sign(identity, out, rng);
  out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

Result<MlsCredential> parse_mls_credential(ByteView identity) {
  if (identity.size() != mls_credential_bytes) {
    return fail(Errc::invalid_encoding, "not a Bulwark MLS credential (wrong length)");
  }
  const ByteView domain = identity.first(mls_credential_domain.size());
  if (!std::ranges::equal(domain, as_bytes(mls_credential_domain))) {
    return fail(Errc::invalid_encoding, "not a Bulwark MLS credential (wrong domain)");
  }
  ByteView rest = identity.subspan(mls_credential_domain.size());
  MlsCredential out;
  std::ranges::copy(rest.first(16), out.account_id.begin());
  rest = rest.subspan(16);
  for (std::size_t i = 0; i < 4; ++i) {
    out.device_id = (out.device_id << 8) | std::to_integer<std::uint32_t>(rest[i]);
  }
  rest = rest.subspan(4);
  std::ranges::copy(rest.first(32), out.signature_key.begin());
  std::ranges::copy(rest.subspan(32), out.identity_signature.begin());
  return out;
}

Result<void> check_mls_credential(const MlsCredential& credential, ByteView leaf_signature_key,
                                  ByteView record_account_id, const kt::AccountRecord& record) {
  if (!std::ranges::equal(credential.account_id, record_account_id)) {
    return fail(Errc::untrusted_identity, "the credential names another account");
  }
  if (!crypto::constant_time_equal(credential.signature_key, leaf_signature_key)) {
    return fail(Errc::untrusted_identity, "the credential is for another signature key");
  }
  if (record.device(credential.device_id) == nullptr) {
    return fail(Errc::untrusted_identity, "device " + std::to_string(credential.device_id) +
                                              " is not in the account's key-transparency record");
  }
  // The record's identity key is 0x05 || X25519 public key.
  const ByteView identity_key = ByteView(record.identity_key).subspan(1);
  auto key = crypto::X25519PublicKey::from_bytes(identity_key);
  if (!key) return fail(Errc::untrusted_identity, "the record's identity key does not parse");
  const Bytes message =
      signed_part(credential.account_id, credential.device_id, credential.signature_key);
  if (!crypto::xeddsa_verify(*key, message, credential.identity_signature)) {
    return fail(Errc::untrusted_identity,
                "device " + std::to_string(credential.device_id) +
                    "'s credential is not signed by its account's identity key");
  }
  return {};
}

}  // namespace bulwark::client
