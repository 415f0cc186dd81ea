#include "protocol/store.h"

namespace bulwark::protocol {

Result<void> require_trusted_identity(const IdentityKeyStore& identities,
                                      const ProtocolAddress& address, const IdentityKey& key,
                                      Direction direction) {
  if (!BULWARK_TRY(identities.is_trusted_identity(address, key, direction)))
    return fail(Errc::untrusted_identity, "untrusted identity for " + address.to_string());
  return {};
}

}  // namespace bulwark::protocol
