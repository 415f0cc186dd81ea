// --server URLs: wss:// only; a host name, an IPv4 address or a bracketed IPv6 address; the
// path defaults to /v1/websocket; and whatever is accepted prints back (url()) as a URL that parses to the same address.
#include <gtest/gtest.h>

#include "client/server_connection.h"

namespace bulwark::client {
namespace {

TEST(ServerUrlTest, AcceptedUrlsParseAndRoundTrip) {
  struct Case {
    const char* url;
    const char* host;
    const char* port;
    const char* path;
  };
  for (const Case& c : {Case{"wss://chat.example.org", "chat.example.org", "443", "/v1/websocket"},
                        Case{"wss://127.0.0.1:8443/v1/websocket", "127.0.0.1", "8443", "/v1/websocket"},
                        Case{"wss://[::1]:9000", "::1", "9000", "/v1/websocket"},
                        Case{"wss://[2001:db8::7]/other", "2001:db8::7", "443", "/other"}}) {
    auto address = parse_server_url(c.url);
    ASSERT_TRUE(address) << c.url << ": " << address.error().describe();
    EXPECT_EQ(address->host, c.host) << c.url;
    EXPECT_EQ(address->port, c.port) << c.url;
    EXPECT_EQ(address->path, c.path) << c.url;
    auto again = parse_server_url(address->url());
    ASSERT_TRUE(again) << address->url();
    EXPECT_EQ(again->host, address->host);
    EXPECT_EQ(again->port, address->port);
    EXPECT_EQ(again->path, address->path);
  }
}

TEST(ServerUrlTest, MalformedUrlsAreRefused) {
  for (const char* url : {"https://example.org", "wss://", "wss://:443", "wss://host:", "wss://host:12ab",
                          "wss://host:123456", "wss://[::1", "wss://[::1]x", "wss://\xa3::1]:443",
                          "wss://a::b", "wss://[host]", "wss://host/with space", "wss://ho st"}) {
    auto address = parse_server_url(url);
    ASSERT_FALSE(address) << url << " was accepted as " << address->url();
    EXPECT_EQ(address.error().code, Errc::invalid_argument) << url;
  }
}

}  // namespace
}  // namespace bulwark::client
