#include "server/admin_auth.h"

#include <charconv>

#include "crypto/base64.h"
#include "crypto/ed25519.h"

namespace bulwark::server {

std::optional<std::uint64_t> parse_decimal_u64(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty() || text.size() > 20) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<const ModeratorKey*> authenticate_signed_request(
    std::span<const ModeratorKey> keys, moderation::RequestRole role,
    const SignedRequestHeaders& headers, bool post, std::string_view target, std::string_view body,
    moderation::RequestReplayGuard& replays, std::int64_t now_ms) {
  const bool moderator = role == moderation::RequestRole::moderator;
  if (headers.name.empty() || headers.time.empty() || headers.signature.empty())
    return fail(Errc::auth_failed, std::string("unsigned request: ") +
                                       (moderator ? "X-Bulwark-Moderator" : "X-Bulwark-Operator") +
                                       ", X-Bulwark-Time and X-Bulwark-Signature are required");
  const ModeratorKey* signer = nullptr;
  for (const ModeratorKey& candidate : keys)
    if (candidate.name == headers.name) signer = &candidate;
  auto time = parse_decimal_u64(headers.time);
  auto signature = crypto::base64_decode(headers.signature);
  if (!time || !signature) return fail(Errc::auth_failed, "malformed request signature headers");
  static const Bytes nobody = [] {
    auto secret = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x4e}));
    return secret ? to_bytes(secret->public_key().bytes()) : Bytes{};
  }();
  auto key =
      BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(signer ? signer->public_key : nobody));
  BULWARK_TRY(moderation::verify_request(key, post ? "POST" : "GET", target,
                                         static_cast<std::int64_t>(*time), as_bytes(body),
                                         *signature, now_ms, role));
  if (signer == nullptr)
    return fail(Errc::auth_failed, moderator ? "the moderator's request signature does not verify"
                                             : "the operator's request signature does not verify");
  BULWARK_TRY(replays.admit(*signature, static_cast<std::int64_t>(*time), now_ms));
  return signer;
}

}  // namespace bulwark::server
