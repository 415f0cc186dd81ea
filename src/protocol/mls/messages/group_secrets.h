// GroupSecrets and PathSecret (RFC 9420 §12.4.3.1): the plaintext a Welcome HPKE-encrypts to
// each new member.
//
// The joiner and path secrets are SecretBytes, so GroupSecrets is move-only and has no
// encode(TlsWriter&) overload (TlsWriter reallocates and would leave copies of the secrets
// behind): serialize() writes straight into SecretBytes of the exact size instead.
#pragma once

#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/psk_id.h"

namespace bulwark::protocol::mls {

// struct {
//   opaque path_secret<V>;
// } PathSecret;
struct PathSecret {
  SecretBytes path_secret;
};

// struct {
//   opaque joiner_secret<V>;
//   optional<PathSecret> path_secret;
//   PreSharedKeyID psks<V>;
// } GroupSecrets;
struct GroupSecrets {
  SecretBytes joiner_secret;
  std::optional<PathSecret> path_secret;
  std::vector<PreSharedKeyID> psks;
};

[[nodiscard]] Result<PathSecret> decode_path_secret(TlsReader& r);
[[nodiscard]] Result<GroupSecrets> decode_group_secrets(TlsReader& r);
// The encoding, as a secret (it holds the joiner secret).
[[nodiscard]] Result<SecretBytes> serialize(const GroupSecrets& v);
[[nodiscard]] Result<GroupSecrets> deserialize_group_secrets(ByteView input);

}  // namespace bulwark::protocol::mls
