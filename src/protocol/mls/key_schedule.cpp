#include "protocol/mls/key_schedule.h"

namespace bulwark::protocol::mls {
namespace {

Result<void> require_secret_size(ByteView secret, const char* name) {
  if (secret.size() != CipherSuite::hash_size()) {
    return fail(Errc::invalid_length,
                std::string("MLS key schedule: ") + name + " is not Nh bytes");
  }
  return {};
}

// Everything the member secret (Extract(joiner_secret, psk_secret)) and the epoch secret
// yield; the joiner_secret is filled in by the caller.
Result<EpochSecrets> expand_member_secret(const CipherSuite& suite, ByteView member_secret,
                                          ByteView group_context) {
  const auto nh = static_cast<std::uint16_t>(CipherSuite::hash_size());
  EpochSecrets out;
  out.welcome_secret = BULWARK_TRY(suite.derive_secret(member_secret, "welcome"));
  const SecretBytes epoch =
      BULWARK_TRY(suite.expand_with_label(member_secret, "epoch", group_context, nh));
  const ByteView epoch_secret = epoch.view();
  out.sender_data_secret = BULWARK_TRY(suite.derive_secret(epoch_secret, "sender data"));
  out.encryption_secret = BULWARK_TRY(suite.derive_secret(epoch_secret, "encryption"));
  out.exporter_secret = BULWARK_TRY(suite.derive_secret(epoch_secret, "exporter"));
  out.external_secret = BULWARK_TRY(suite.derive_secret(epoch_secret, "external"));
  out.confirmation_key = BULWARK_TRY(suite.derive_secret(epoch_secret, "confirm"));
  out.membership_key = BULWARK_TRY(suite.derive_secret(epoch_secret, "membership"));
  out.resumption_psk = BULWARK_TRY(suite.derive_secret(epoch_secret, "resumption"));
  out.epoch_authenticator = BULWARK_TRY(suite.derive_secret(epoch_secret, "authentication"));
  out.init_secret = BULWARK_TRY(suite.derive_secret(epoch_secret, "init"));
  return out;
}

}  // namespace

EpochSecrets EpochSecrets::clone() const {
  return EpochSecrets{
      joiner_secret.clone(),       welcome_secret.clone(),  sender_data_secret.clone(),
      encryption_secret.clone(),   exporter_secret.clone(), external_secret.clone(),
      confirmation_key.clone(),    membership_key.clone(),  resumption_psk.clone(),
      epoch_authenticator.clone(), init_secret.clone()};
}

Result<EpochSecrets> derive_epoch_secrets(const CipherSuite& suite, ByteView init_secret,
                                          ByteView commit_secret, ByteView psk_secret,
                                          ByteView group_context) {
  BULWARK_TRY(require_secret_size(init_secret, "init_secret"));
  BULWARK_TRY(require_secret_size(commit_secret, "commit_secret"));
  const SecretBytes extracted = BULWARK_TRY(suite.kdf_extract(init_secret, commit_secret));
  const SecretBytes joiner =
      BULWARK_TRY(suite.expand_with_label(extracted.view(), "joiner", group_context,
                                          static_cast<std::uint16_t>(CipherSuite::hash_size())));
  return derive_epoch_secrets_from_joiner(suite, joiner.view(), psk_secret, group_context);
}

Result<EpochSecrets> derive_epoch_secrets_from_joiner(const CipherSuite& suite,
                                                      ByteView joiner_secret, ByteView psk_secret,
                                                      ByteView group_context) {
  BULWARK_TRY(require_secret_size(joiner_secret, "joiner_secret"));
  BULWARK_TRY(require_secret_size(psk_secret, "psk_secret"));
  const SecretBytes member = BULWARK_TRY(suite.kdf_extract(joiner_secret, psk_secret));
  EpochSecrets out = BULWARK_TRY(expand_member_secret(suite, member.view(), group_context));
  out.joiner_secret = SecretBytes::copy_of(joiner_secret);
  return out;
}

Result<SecretBytes> mls_exporter(const CipherSuite& suite, ByteView exporter_secret,
                                 std::string_view label, ByteView context, std::uint16_t length) {
  const SecretBytes derived = BULWARK_TRY(suite.derive_secret(exporter_secret, label));
  return suite.expand_with_label(derived.view(), "exported", suite.hash(context), length);
}

Result<crypto::HpkeDerivedKey> external_key_pair(const CipherSuite& suite,
                                                 ByteView external_secret) {
  return suite.derive_hpke_key_pair(external_secret);
}

Result<KeyAndNonce> welcome_key_nonce(const CipherSuite& suite, ByteView welcome_secret) {
  KeyAndNonce out;
  out.key = BULWARK_TRY(suite.expand_with_label(welcome_secret, "key", {},
                                                static_cast<std::uint16_t>(suite.aead_key_size())));
  out.nonce = BULWARK_TRY(suite.expand_with_label(
      welcome_secret, "nonce", {}, static_cast<std::uint16_t>(CipherSuite::aead_nonce_size())));
  return out;
}

}  // namespace bulwark::protocol::mls
