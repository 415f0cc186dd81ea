// The web preview's security headers (server/web/security_headers.h): the CSP allows exactly
// the one inline style, by the hash of its bytes, and nothing that runs or loads.
#include <gtest/gtest.h>

#include <string>

#include "common/bytes.h"
#include "crypto/base64.h"
#include "crypto/hash.h"
#include "server/web/page_style.h"
#include "server/web/security_headers.h"

namespace bulwark::server::web {
namespace {

std::string header(std::string_view name) {
  for (const HeaderField& field : security_headers)
    if (field.name == name) return std::string(field.value);
  return {};
}

TEST(WebSecurityHeadersTest, StyleHashMatchesTheStyleBlock) {
  const std::string actual = crypto::base64_encode(view_of(crypto::sha256(as_bytes(page_style))));
  EXPECT_EQ(page_style_sha256, actual) << "page_style changed: set page_style_sha256 and the CSP's "
                                          "style-src in security_headers.h to "
                                       << actual;
  EXPECT_NE(content_security_policy.find("style-src 'sha256-" + actual + "'"), std::string::npos);
}

TEST(WebSecurityHeadersTest, PolicyForbidsScriptsAndLoadsNothing) {
  const std::string csp(content_security_policy);
  for (std::string_view directive : {"default-src 'none'", "img-src 'none'", "base-uri 'none'",
                                     "form-action 'none'", "frame-ancestors 'none'"}) {
    EXPECT_NE(csp.find(directive), std::string::npos) << directive;
  }
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(csp.find("script-src"), std::string::npos);  // default-src 'none' covers scripts
  EXPECT_EQ(csp.find('*'), std::string::npos);
}

TEST(WebSecurityHeadersTest, EveryHeaderIsThere) {
  EXPECT_EQ(header("Content-Security-Policy"), content_security_policy);
  EXPECT_EQ(header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(header("X-Frame-Options"), "DENY");
  EXPECT_EQ(html_content_type, "text/html; charset=utf-8");
  EXPECT_EQ(atom_content_type, "application/atom+xml; charset=utf-8");
}

TEST(WebSecurityHeadersTest, StyleCannotEndItsOwnBlock) {
  // page_style goes between <style> and </style> unescaped.
  EXPECT_EQ(page_style.find('<'), std::string_view::npos);
}

}  // namespace
}  // namespace bulwark::server::web
