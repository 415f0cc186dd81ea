#include "server/admin_auth.h"

#include <charconv>
#include <memory>

#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "server/metrics.h"
#include "server/store_executor.h"

namespace bulwark::server {

std::optional<std::uint64_t> parse_decimal_u64(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty() || text.size() > 20) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<SignedAdmission> authenticate_signed_request(std::span<const ModeratorKey> keys,
                                                    moderation::RequestRole role,
                                                    const SignedRequestHeaders& headers, bool post,
                                                    std::string_view target, std::string_view body,
                                                    std::int64_t now_ms) {
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
  // Remembered a window longer than the clock check needs: the node that sweeps expired
  // signatures may run ahead of the one a replay is sent to, by up to a window (docs/OPERATIONS.md
  // asks for node clocks within 5 minutes), and must not forget one the other still accepts.
  return SignedAdmission{
      signer, std::move(*signature),
      static_cast<std::int64_t>(*time) + 2 * moderation::max_request_skew.count(), now_ms};
}

void admit_signed_request_then(ServerContext& context, SignedAdmission admission,
                               std::function<void(Result<void>)> then) {
  auto shared_then = std::make_shared<std::function<void(Result<void>)>>(std::move(then));
  const bool queued = context.store.submit(
      [admission = std::move(admission)](store::Store& store) -> Result<void> {
        auto admitted = store.admit_signed_request(admission.signature, admission.expires_at_ms,
                                                   admission.checked_at_ms);
        if (!admitted && admitted.error().code == Errc::conflict)
          return fail(Errc::auth_failed, admitted.error().context);
        return admitted;
      },
      [&context, shared_then](Result<void> result) {
        // On the store's sync thread, which only hands work on: the request is served on an
        // I/O thread, as before its admission (not on the blocking pool, where webhook calls
        // may hold it for seconds).
        context.run_on_io([shared_then, result = std::move(result)]() mutable {
          (*shared_then)(std::move(result));
        });
      });
  if (!queued) {
    context.metrics.store_unavailable++;
    (*shared_then)(fail(Errc::unavailable, "busy, retry"));
  }
}

int admission_refusal_status(const Error& error) noexcept {
  return error.code == Errc::auth_failed ? 401 : 503;
}

}  // namespace bulwark::server
