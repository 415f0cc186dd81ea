#include "client/channel_invite.h"

#include "channel/handle.h"
#include "crypto/base64.h"
#include "crypto/hash.h"

namespace bulwark::client {
namespace {

constexpr std::string_view invite_query = "?invite=";
constexpr std::string_view not_an_invite =
    "that is not a channel invite: give the link bulwark:channel/HANDLE?invite=CODE or its code";

void require_secret_size(const SecretBytes& secret) {
  if (secret.size() != invite_secret_bytes) contract_violation("channel invite: 32-byte secret");
}

// base64url (RFC 4648 §5) is standard base64 with two letters swapped and no padding: the
// crypto module's constant-time codec does the work, this only maps the alphabet.
std::string to_url_alphabet(std::string text) {
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

Result<SecretBytes> decode_code(std::string_view code) {
  // 32 bytes are 43 characters of unpadded base64url; anything else is not a code of ours.
  if (code.size() != 43) return fail(Errc::invalid_argument, std::string(not_an_invite));
  std::string standard(code);
  for (char& c : standard) {
    if (c == '+' || c == '/') return fail(Errc::invalid_argument, std::string(not_an_invite));
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  standard += '=';
  auto decoded = crypto::base64_decode(standard);
  if (!decoded || decoded->size() != invite_secret_bytes)
    return fail(Errc::invalid_argument, std::string(not_an_invite));
  SecretBytes secret = SecretBytes::copy_of(*decoded);
  secure_wipe(*decoded);
  secure_wipe(MutableByteView(reinterpret_cast<std::byte*>(standard.data()), standard.size()));
  return secret;
}

}  // namespace

SecretBytes new_invite_secret(Rng& rng) {
  SecretBytes secret(invite_secret_bytes);
  rng.fill(secret.writable());
  return secret;
}

Bytes invite_hash(const SecretBytes& secret) {
  require_secret_size(secret);
  const crypto::Sha256Digest digest = crypto::sha256(secret.view());
  return Bytes(digest.begin(), digest.end());
}

std::string invite_code(const SecretBytes& secret) {
  require_secret_size(secret);
  return to_url_alphabet(crypto::base64_encode(secret.view()));
}

std::string invite_link(std::string_view handle, const SecretBytes& secret) {
  return std::string(invite_link_prefix) + std::string(handle) + std::string(invite_query) +
         invite_code(secret);
}

Result<SecretBytes> parse_invite(std::string_view text, std::string_view handle) {
  if (!text.starts_with(invite_link_prefix)) return decode_code(text);
  text.remove_prefix(invite_link_prefix.size());
  const std::size_t query = text.find(invite_query);
  if (query == std::string_view::npos)
    return fail(Errc::invalid_argument, std::string(not_an_invite));
  auto linked = channel::canonical_handle(text.substr(0, query));
  if (!linked) return fail(Errc::invalid_argument, std::string(not_an_invite));
  if (*linked != handle)
    return fail(Errc::invalid_argument, "that invite is for @" + *linked + ", not @" +
                                            std::string(handle));
  return decode_code(text.substr(query + invite_query.size()));
}

}  // namespace bulwark::client
