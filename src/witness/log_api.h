// A server's log HTTP API as the witness uses it, without the transport: request targets
// and bodies, and what each response means. (The transport is https_client.h; the two meet
// in http_log_source.h.) Each log kind (log_kind.h) has the same three endpoints under its
// own prefix, /v1/kt for key transparency and /v1/lawful for the disclosure log:
//
//   GET  <prefix>/checkpoint      200 text/plain signed checkpoint note; 503 while the log is
//                                 empty
//   GET  <prefix>/entry/<index>   200 the entry's bytes (for kt, kt::encode_audit_entry of
//                                 it; opaque for disclosure); 404 past the end
//   POST <prefix>/cosignature     body "<size>\n<cosignature line>\n"; 200 accepted, 400
//                                 malformed, 403 unknown witness, 409 not the server's
//                                 checkpoint of that size
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "witness/log_kind.h"

namespace bulwark::witness {

struct HttpResponse {
  unsigned status = 0;
  std::string body;
};

// "/v1/kt" or "/v1/lawful".
[[nodiscard]] std::string_view api_prefix(LogKind kind) noexcept;
[[nodiscard]] std::string checkpoint_target(LogKind kind);
[[nodiscard]] std::string entry_target(LogKind kind, std::uint64_t index);
[[nodiscard]] std::string cosignature_target(LogKind kind);
[[nodiscard]] std::string cosignature_request_body(std::uint64_t size, std::string_view line);

// The note of a 200; std::nullopt for 503; Errc::network naming the status otherwise.
[[nodiscard]] Result<std::optional<std::string>> checkpoint_from_response(
    const HttpResponse& response);
// The entry's bytes, the body of a 200 as it is (the witness's replica decodes it);
// Errc::not_found for 404; Errc::network otherwise.
[[nodiscard]] Result<Bytes> entry_from_response(std::uint64_t index, const HttpResponse& response);
// Success for 200; Errc::invalid_argument (400), Errc::auth_failed (403), Errc::conflict
// (409: the server holds another checkpoint of that size than the one cosigned) or
// Errc::network otherwise, with the server's explanation (sanitised, bounded) if any.
[[nodiscard]] Result<void> cosignature_submission_result(const HttpResponse& response);

}  // namespace bulwark::witness
