// The cryptography of Welcome messages and GroupInfo signatures (RFC 9420 §12.4.3), with no
// group state: the committer's side builds a Welcome from secrets it already has, the
// joiner's side opens one in two steps (GroupSecrets first, since the PSKs it names must be
// resolved before the GroupInfo can be decrypted).
//
//   welcome_secret          = DeriveSecret(Extract(joiner_secret, psk_secret), "welcome")
//   encrypted_group_info    = AEAD.Seal(welcome_key, welcome_nonce, "", GroupInfo)
//   encrypted_group_secrets = EncryptWithLabel(init_key, "Welcome", encrypted_group_info,
//                                              GroupSecrets)
//
// What a joiner must check afterwards with the tree (the signer's leaf key, the tree hash, its
// own leaf, the confirmation tag against the epoch's confirmation_key) is the group's.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/messages/group_info.h"
#include "protocol/mls/messages/group_secrets.h"
#include "protocol/mls/messages/key_package.h"
#include "protocol/mls/messages/psk_id.h"
#include "protocol/mls/messages/welcome.h"

namespace bulwark::protocol::mls {

// DeriveSecret(Extract(joiner_secret, psk_secret), "welcome"); both inputs Nh bytes (an
// all-zero psk_secret when there are no PSKs).
[[nodiscard]] Result<SecretBytes> derive_welcome_secret(const CipherSuite& suite,
                                                        ByteView joiner_secret,
                                                        ByteView psk_secret);

// --- GroupInfo signatures ---

// SignWithLabel(signer, "GroupInfoTBS", GroupInfoTBS): sets info.signature.
[[nodiscard]] Result<void> sign_group_info(const CipherSuite& suite,
                                           const crypto::Ed25519SecretKey& signer, GroupInfo& info);
// auth_failed unless info.signature verifies with `signer_key` (the signature_key of the
// leaf at info.signer).
[[nodiscard]] Result<void> verify_group_info(const CipherSuite& suite, const GroupInfo& info,
                                             ByteView signer_key);

// --- The committer's side ---

// A member being welcomed: its KeyPackage (validated by the caller) and, if the commit had a
// path, the path secret of the lowest node shared by the committer's and its direct paths.
struct WelcomeRecipient {
  const KeyPackage* key_package = nullptr;
  std::optional<ByteView> path_secret;
};

// The Welcome for `recipients` (each KeyPackage of `suite`, else invalid_argument):
// `group_info` is the serialized, signed GroupInfo of the new epoch, `psks` the PSK ids the
// epoch injected (in commit order) and `psk_secret` their secret.
[[nodiscard]] Result<Welcome> create_welcome(const CipherSuite& suite, ByteView joiner_secret,
                                             ByteView psk_secret,
                                             const std::vector<PreSharedKeyID>& psks,
                                             ByteView group_info,
                                             std::span<const WelcomeRecipient> recipients,
                                             Rng& rng);

// --- The joiner's side ---

// Step 1: the entry for `key_package` (found by KeyPackageRef; invalid_message if none or if
// the Welcome's suite is not the KeyPackage's), decrypted with its init key (auth_failed).
[[nodiscard]] Result<GroupSecrets> open_group_secrets(const Welcome& welcome,
                                                      const KeyPackage& key_package,
                                                      const crypto::X25519SecretKey& init_key);

// Step 2: the GroupInfo, decrypted with the welcome key and nonce of (joiner_secret,
// psk_secret) (auth_failed) and decoded; invalid_message unless its GroupContext has the
// Welcome's cipher suite. The signature is not checked here: the signer's key is in the tree.
[[nodiscard]] Result<GroupInfo> open_group_info(const Welcome& welcome, ByteView joiner_secret,
                                                ByteView psk_secret);

}  // namespace bulwark::protocol::mls
