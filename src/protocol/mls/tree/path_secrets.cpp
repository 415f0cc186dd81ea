#include "protocol/mls/tree/path_secrets.h"

namespace bulwark::protocol::mls {

Result<SecretBytes> next_path_secret(const CipherSuite& suite, ByteView path_secret) {
  return suite.derive_secret(path_secret, "path");
}

Result<crypto::HpkeDerivedKey> node_key_from_path_secret(const CipherSuite& suite,
                                                         ByteView path_secret) {
  const SecretBytes node_secret = BULWARK_TRY(suite.derive_secret(path_secret, "node"));
  return suite.derive_hpke_key_pair(node_secret.view());
}

}  // namespace bulwark::protocol::mls
