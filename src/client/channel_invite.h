// Private channels' invites (client/channels.h): a 32-byte random secret, handed on as the link
// `bulwark:channel/HANDLE?invite=CODE` where CODE is the secret in unpadded base64url. The
// server keeps only SHA-256(secret) (ChannelCreate.invite_hash) and is shown the secret when
// someone subscribes, so a server's database alone never lets anyone in.
//
// Secrets never appear in an Error's context: a malformed invite is described, not quoted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"

namespace bulwark::client {

inline constexpr std::size_t invite_secret_bytes = 32;
inline constexpr std::string_view invite_link_prefix = "bulwark:channel/";

[[nodiscard]] SecretBytes new_invite_secret(Rng& rng);
// SHA-256 of the secret: what the server stores.
[[nodiscard]] Bytes invite_hash(const SecretBytes& secret);
// The code alone (unpadded base64url) and the whole link. Requires a 32-byte secret.
[[nodiscard]] std::string invite_code(const SecretBytes& secret);
[[nodiscard]] std::string invite_link(std::string_view handle, const SecretBytes& secret);

// A link or a bare code. A link must name `handle` (canonical), else Errc::invalid_argument,
// as for anything that is not an invite.
[[nodiscard]] Result<SecretBytes> parse_invite(std::string_view text, std::string_view handle);

}  // namespace bulwark::client
