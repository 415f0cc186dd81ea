#include "moderation/request_auth.h"

#include <string>

#include "common/writer.h"
#include "crypto/hash.h"

namespace bulwark::moderation {
namespace {

constexpr std::string_view moderator_domain = "bulwark-moderation-request-v1";
constexpr std::string_view operator_domain = "bulwark-lawful-request-v1";
constexpr std::size_t max_method_bytes = 16;

}  // namespace

Result<Bytes> request_signing_bytes(std::string_view method, std::string_view path,
                                    std::int64_t time_ms, ByteView body, RequestRole role) {
  const std::string_view request_domain =
      role == RequestRole::moderator ? moderator_domain : operator_domain;
  if (method.empty() || method.size() > max_method_bytes)
    return fail(Errc::invalid_argument, "bad request method");
  if (path.size() > max_request_path_bytes) return fail(Errc::invalid_argument, "path too long");
  Writer out(request_domain.size() + 1 + max_method_bytes + 2 + max_request_path_bytes + 8 + 32);
  out.bytes(as_bytes(request_domain));
  out.u8(static_cast<std::uint8_t>(method.size()));
  out.bytes(as_bytes(method));
  out.u16_be(static_cast<std::uint16_t>(path.size()));
  out.bytes(as_bytes(path));
  out.u64_be(static_cast<std::uint64_t>(time_ms));
  out.bytes(view_of(crypto::sha256(body)));
  return std::move(out).finish();
}

Result<crypto::Ed25519Signature> sign_request(const crypto::Ed25519SecretKey& key,
                                              std::string_view method, std::string_view path,
                                              std::int64_t time_ms, ByteView body,
                                              RequestRole role) {
  const Bytes message = BULWARK_TRY(request_signing_bytes(method, path, time_ms, body, role));
  return crypto::ed25519_sign(key, message);
}

Result<void> verify_request(const crypto::Ed25519PublicKey& key, std::string_view method,
                            std::string_view path, std::int64_t time_ms, ByteView body,
                            ByteView signature, std::int64_t now_ms, RequestRole role) {
  const std::int64_t skew = max_request_skew.count();
  if (time_ms < now_ms - skew || time_ms > now_ms + skew)
    return fail(Errc::invalid_argument,
                "clock skew: the request's time is more than 5 minutes from the server's "
                "(check the clock of the machine running bulwark-admin)");
  const Bytes message = BULWARK_TRY(request_signing_bytes(method, path, time_ms, body, role));
  if (auto verified = crypto::ed25519_verify(key, message, signature); !verified)
    return fail(Errc::auth_failed, role == RequestRole::moderator
                                       ? "the moderator's request signature does not verify"
                                       : "the operator's request signature does not verify");
  return {};
}

}  // namespace bulwark::moderation
