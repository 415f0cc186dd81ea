#include "witness/server_url.h"

#include <charconv>

namespace bulwark::witness {
namespace {

constexpr std::string_view scheme = "https://";
constexpr std::size_t max_host_bytes = 253;

bool valid_port(std::string_view port) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  return !port.empty() && port.size() <= 5 && port.front() != '0' && error == std::errc{} &&
         end == port.data() + port.size() && value <= 65535;
}

bool valid_host(std::string_view host, bool bracketed) {
  const std::string_view allowed =
      bracketed ? "0123456789abcdefABCDEF:."
                : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-";
  return !host.empty() && host.size() <= max_host_bytes &&
         host.find_first_not_of(allowed) == std::string_view::npos &&
         (!bracketed || host.find(':') != std::string_view::npos);
}

Result<ServerUrl> bad(std::string_view why) {
  return fail(Errc::invalid_argument, "server URL: " + std::string(why));
}

}  // namespace

Result<ServerUrl> parse_server_url(std::string_view url) {
  if (!url.starts_with(scheme)) return bad("must start with https://");
  std::string_view rest = url.substr(scheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  ServerUrl out;
  std::string_view port_part;
  const bool bracketed = rest.starts_with('[');
  if (bracketed) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad("unclosed [");
    out.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return bad("expected :PORT after ]");
    port_part = rest.empty() ? std::string_view() : rest.substr(1);
    if (rest.size() == 1) return bad("empty port");
  } else {
    const auto colon = rest.find(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_part = rest.substr(colon + 1);
      if (port_part.empty()) return bad("empty port");
    }
  }
  if (!valid_host(out.host, bracketed)) return bad("bad host (no path or userinfo allowed)");
  out.port = port_part.empty() ? "443" : std::string(port_part);
  if (!valid_port(out.port)) return bad("bad port");
  return out;
}

}  // namespace bulwark::witness
