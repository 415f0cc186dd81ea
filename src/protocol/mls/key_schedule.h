// The MLS key schedule (RFC 9420 §8): from one epoch's init_secret, the commit's
// commit_secret, the PSK secret and the new epoch's GroupContext, every secret of the new
// epoch and the init_secret of the next.
//
//   joiner_secret  = ExpandWithLabel(Extract(init_secret, commit_secret), "joiner", GC, Nh)
//   member secret  = Extract(joiner_secret, psk_secret)
//   welcome_secret = DeriveSecret(member secret, "welcome")
//   epoch_secret   = ExpandWithLabel(member secret, "epoch", GC, Nh)
//   <secret>       = DeriveSecret(epoch_secret, <label>)      (§8 table)
//
// Inputs are Nh bytes each (checked: invalid_length); a commit without a path has an all-zero
// commit_secret and a commit without PSKs an all-zero psk_secret, which the caller passes
// explicitly. `group_context` is the serialized GroupContext of the new epoch. The epoch
// secret itself is not kept: every use of it is derived here.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "crypto/hpke.h"
#include "protocol/mls/cipher_suite.h"

namespace bulwark::protocol::mls {

struct EpochSecrets {
  SecretBytes joiner_secret;
  SecretBytes welcome_secret;
  SecretBytes sender_data_secret;
  SecretBytes encryption_secret;
  SecretBytes exporter_secret;
  SecretBytes external_secret;
  SecretBytes confirmation_key;
  SecretBytes membership_key;
  SecretBytes resumption_psk;
  SecretBytes epoch_authenticator;
  SecretBytes init_secret;  // the next epoch's

  [[nodiscard]] EpochSecrets clone() const;
};

// A member advancing the group: the previous epoch's init_secret and the commit's secret.
[[nodiscard]] Result<EpochSecrets> derive_epoch_secrets(const CipherSuite& suite,
                                                        ByteView init_secret,
                                                        ByteView commit_secret, ByteView psk_secret,
                                                        ByteView group_context);

// A new member joining from a Welcome: the joiner_secret from its GroupSecrets.
[[nodiscard]] Result<EpochSecrets> derive_epoch_secrets_from_joiner(const CipherSuite& suite,
                                                                    ByteView joiner_secret,
                                                                    ByteView psk_secret,
                                                                    ByteView group_context);

// MLS-Exporter(label, context, length) (§8.5) =
// ExpandWithLabel(DeriveSecret(exporter_secret, label), "exported", Hash(context), length).
// Application labels are arbitrary bytes; a string_view carries them as they are.
[[nodiscard]] Result<SecretBytes> mls_exporter(const CipherSuite& suite, ByteView exporter_secret,
                                               std::string_view label, ByteView context,
                                               std::uint16_t length);

// The epoch's external HPKE key pair, KEM.DeriveKeyPair(external_secret) (§8.3); its public
// key is the GroupInfo's external_pub.
[[nodiscard]] Result<crypto::HpkeDerivedKey> external_key_pair(const CipherSuite& suite,
                                                               ByteView external_secret);

// The key and nonce that encrypt a Welcome's GroupInfo (§12.4.3.1):
// ExpandWithLabel(welcome_secret, "key" / "nonce", "", Nk / Nn).
[[nodiscard]] Result<KeyAndNonce> welcome_key_nonce(const CipherSuite& suite,
                                                    ByteView welcome_secret);

}  // namespace bulwark::protocol::mls
