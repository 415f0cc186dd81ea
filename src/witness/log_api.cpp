#include "witness/log_api.h"

#include <cstddef>

namespace bulwark::witness {
namespace {

constexpr std::size_t max_quoted_bytes = 200;

// A server's error body, fit for a log line: printable ASCII only, bounded.
std::string quoted(std::string_view body) {
  std::string out;
  for (const char c : body.substr(0, max_quoted_bytes)) out += (c >= 0x20 && c <= 0x7e) ? c : '?';
  if (body.size() > max_quoted_bytes) out += "...";
  return out.empty() ? std::string() : ": " + out;
}

Error unexpected_status(std::string_view what, const HttpResponse& response) {
  return Error{Errc::network, std::string(what) + ": HTTP status " +
                                  std::to_string(response.status) + quoted(response.body)};
}

}  // namespace

std::string_view api_prefix(LogKind kind) noexcept {
  switch (kind) {
    case LogKind::kt:
      return "/v1/kt";
    case LogKind::disclosure:
      return "/v1/lawful";
  }
  contract_violation("witness::api_prefix: not a LogKind");
}

std::string checkpoint_target(LogKind kind) {
  return std::string(api_prefix(kind)) + "/checkpoint";
}

std::string entry_target(LogKind kind, std::uint64_t index) {
  return std::string(api_prefix(kind)) + "/entry/" + std::to_string(index);
}

std::string cosignature_target(LogKind kind) {
  return std::string(api_prefix(kind)) + "/cosignature";
}

std::string cosignature_request_body(std::uint64_t size, std::string_view line) {
  return std::to_string(size) + "\n" + std::string(line) + "\n";
}

Result<std::optional<std::string>> checkpoint_from_response(const HttpResponse& response) {
  if (response.status == 200) return std::optional<std::string>(response.body);
  if (response.status == 503) return std::nullopt;
  return tl::unexpected(unexpected_status("GET checkpoint", response));
}

Result<Bytes> entry_from_response(std::uint64_t index, const HttpResponse& response) {
  const std::string what = "GET entry " + std::to_string(index);
  if (response.status == 404) return fail(Errc::not_found, what + ": past the end of the log");
  if (response.status != 200) return tl::unexpected(unexpected_status(what, response));
  return to_bytes(as_bytes(response.body));
}

Result<void> cosignature_submission_result(const HttpResponse& response) {
  const std::string said = quoted(response.body);
  switch (response.status) {
    case 200:
      return {};
    case 400:
      return fail(Errc::invalid_argument, "the server found the cosignature malformed" + said);
    case 403:
      return fail(Errc::auth_failed, "the server does not know this witness" + said);
    case 409:
      return fail(Errc::conflict,
                  "the server's checkpoint of that size is not the one cosigned" + said);
    default:
      return tl::unexpected(unexpected_status("POST cosignature", response));
  }
}

}  // namespace bulwark::witness
