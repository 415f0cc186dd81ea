#include "protocol/mls/welcome.h"

#include <utility>

#include "protocol/mls/key_package.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/limits.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::string_view group_info_label = "GroupInfoTBS";
constexpr std::string_view welcome_label = "Welcome";

Result<KeyAndNonce> welcome_key(const CipherSuite& suite, ByteView joiner_secret,
                                ByteView psk_secret) {
  const SecretBytes secret = BULWARK_TRY(derive_welcome_secret(suite, joiner_secret, psk_secret));
  return welcome_key_nonce(suite, secret.view());
}

Result<EncryptedGroupSecrets> encrypt_group_secrets(const CipherSuite& suite,
                                                    const WelcomeRecipient& recipient,
                                                    const GroupSecrets& secrets,
                                                    ByteView encrypted_group_info, Rng& rng) {
  if (recipient.key_package == nullptr) {
    return fail(Errc::invalid_argument, "Welcome recipient without a KeyPackage");
  }
  const KeyPackage& key_package = *recipient.key_package;
  KeyPackageRef ref = BULWARK_TRY(key_package_ref(suite, key_package));
  const auto init_key = crypto::X25519PublicKey::from_bytes(key_package.init_key);
  if (!init_key) return fail(Errc::invalid_argument, "KeyPackage init_key is not an X25519 key");
  const SecretBytes plain = BULWARK_TRY(serialize(secrets));
  LabeledCiphertext sealed = BULWARK_TRY(
      suite.encrypt_with_label(*init_key, welcome_label, encrypted_group_info, plain.view(), rng));
  return EncryptedGroupSecrets{
      std::move(ref), HPKECiphertext{std::move(sealed.kem_output), std::move(sealed.ciphertext)}};
}

}  // namespace

Result<SecretBytes> derive_welcome_secret(const CipherSuite& suite, ByteView joiner_secret,
                                          ByteView psk_secret) {
  if (joiner_secret.size() != CipherSuite::hash_size() ||
      psk_secret.size() != CipherSuite::hash_size()) {
    return fail(Errc::invalid_length, "welcome secret inputs are not Nh bytes");
  }
  const SecretBytes member = BULWARK_TRY(suite.kdf_extract(joiner_secret, psk_secret));
  return suite.derive_secret(member.view(), "welcome");
}

Result<void> sign_group_info(const CipherSuite& suite, const crypto::Ed25519SecretKey& signer,
                             GroupInfo& info) {
  const Bytes tbs = BULWARK_TRY(group_info_tbs(info));
  info.signature = BULWARK_TRY(suite.sign_with_label(signer, group_info_label, tbs));
  return {};
}

Result<void> verify_group_info(const CipherSuite& suite, const GroupInfo& info,
                               ByteView signer_key) {
  const Bytes tbs = BULWARK_TRY(group_info_tbs(info));
  return suite.verify_with_label(signer_key, group_info_label, tbs, info.signature);
}

Result<Welcome> create_welcome(const CipherSuite& suite, ByteView joiner_secret,
                               ByteView psk_secret, const std::vector<PreSharedKeyID>& psks,
                               ByteView group_info, std::span<const WelcomeRecipient> recipients,
                               Rng& rng) {
  if (recipients.size() > max_welcome_secrets) {
    return fail(Errc::invalid_argument, "too many Welcome recipients");
  }
  const KeyAndNonce key = BULWARK_TRY(welcome_key(suite, joiner_secret, psk_secret));
  Welcome out;
  out.cipher_suite = static_cast<std::uint16_t>(suite.id());
  out.encrypted_group_info =
      BULWARK_TRY(suite.aead_seal(key.key.view(), key.nonce.view(), {}, group_info));
  out.secrets.reserve(recipients.size());
  for (const WelcomeRecipient& recipient : recipients) {
    GroupSecrets secrets;
    secrets.joiner_secret = SecretBytes::copy_of(joiner_secret);
    if (recipient.path_secret) {
      secrets.path_secret = PathSecret{SecretBytes::copy_of(*recipient.path_secret)};
    }
    secrets.psks = psks;
    EncryptedGroupSecrets sealed = BULWARK_TRY(
        encrypt_group_secrets(suite, recipient, secrets, out.encrypted_group_info, rng));
    out.secrets.push_back(std::move(sealed));
  }
  return out;
}

Result<GroupSecrets> open_group_secrets(const Welcome& welcome, const KeyPackage& key_package,
                                        const crypto::X25519SecretKey& init_key) {
  if (welcome.cipher_suite != key_package.cipher_suite) {
    return fail(Errc::invalid_message, "Welcome of another cipher suite than the KeyPackage");
  }
  const CipherSuite suite = BULWARK_TRY(CipherSuite::from_id(welcome.cipher_suite));
  const KeyPackageRef ref = BULWARK_TRY(key_package_ref(suite, key_package));
  const EncryptedGroupSecrets* entry = nullptr;
  for (const EncryptedGroupSecrets& candidate : welcome.secrets) {
    if (candidate.new_member == ref) {
      entry = &candidate;
      break;
    }
  }
  if (entry == nullptr)
    return fail(Errc::invalid_message, "the Welcome is not for this KeyPackage");
  const auto plain = suite.decrypt_with_label(init_key, welcome_label, welcome.encrypted_group_info,
                                              entry->encrypted_group_secrets.kem_output,
                                              entry->encrypted_group_secrets.ciphertext);
  if (!plain) return fail(Errc::auth_failed, "Welcome group secrets do not decrypt");
  return deserialize_group_secrets(plain->view());
}

Result<GroupInfo> open_group_info(const Welcome& welcome, ByteView joiner_secret,
                                  ByteView psk_secret) {
  const CipherSuite suite = BULWARK_TRY(CipherSuite::from_id(welcome.cipher_suite));
  const KeyAndNonce key = BULWARK_TRY(welcome_key(suite, joiner_secret, psk_secret));
  const auto plain =
      suite.aead_open(key.key.view(), key.nonce.view(), {}, welcome.encrypted_group_info);
  if (!plain) return fail(Errc::auth_failed, "Welcome group info does not decrypt");
  GroupInfo info = BULWARK_TRY(deserialize_group_info(*plain));
  if (info.group_context.cipher_suite != welcome.cipher_suite) {
    return fail(Errc::invalid_message, "GroupInfo of another cipher suite than its Welcome");
  }
  return info;
}

}  // namespace bulwark::protocol::mls
