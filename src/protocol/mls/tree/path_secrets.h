// The derivations along a path of the ratchet tree (RFC 9420 §7.4):
//   path_secret[n] = DeriveSecret(path_secret[n-1], "path")
//   node_secret[n] = DeriveSecret(path_secret[n], "node")
//   node_priv[n], node_pub[n] = KEM.DeriveKeyPair(node_secret[n])
// and the commit secret is the "path" successor of the last path secret (§12.4.2).
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "crypto/hpke.h"
#include "protocol/mls/cipher_suite.h"

namespace bulwark::protocol::mls {

[[nodiscard]] Result<SecretBytes> next_path_secret(const CipherSuite& suite, ByteView path_secret);
[[nodiscard]] Result<crypto::HpkeDerivedKey> node_key_from_path_secret(const CipherSuite& suite,
                                                                       ByteView path_secret);

}  // namespace bulwark::protocol::mls
