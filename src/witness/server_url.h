// The server address a witness follows: "https://HOST[:PORT]" with an optional trailing "/".
// HOST is a DNS name or IPv4 address, or an IPv6 address in brackets; PORT defaults to 443.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::witness {

struct ServerUrl {
  std::string host;  // without brackets
  std::string port;
  friend bool operator==(const ServerUrl&, const ServerUrl&) = default;
};

// Errc::invalid_argument for anything else (another scheme, a path, userinfo, a bad port).
[[nodiscard]] Result<ServerUrl> parse_server_url(std::string_view url);

}  // namespace bulwark::witness
