// The HTTP headers of every web preview response (pages, the 404 page and the Atom feed).
//
// The pages carry no JavaScript at all and load nothing: no scripts, images, fonts, frames or
// forms. The Content-Security-Policy says exactly that, so even markup that escaped our
// escaping (html.h) could not run or fetch anything. The one inline <style> block
// (page_style.h) is allowed by its hash, never by 'unsafe-inline'.
#pragma once

#include <array>
#include <string_view>

namespace bulwark::server::web {

// base64(SHA-256(page_style)); web_security_headers_test checks it against page_style.
inline constexpr std::string_view page_style_sha256 =
    "VR887Ngr0ZKVGgpYyEkqJyir3SgfiSQeYckyM3hQ+1s=";

inline constexpr std::string_view content_security_policy =
    "default-src 'none'; style-src 'sha256-VR887Ngr0ZKVGgpYyEkqJyir3SgfiSQeYckyM3hQ+1s='; "
    "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

// Every one of these on every web preview response, whatever its status.
inline constexpr std::array<HeaderField, 4> security_headers = {{
    {"Content-Security-Policy", content_security_policy},
    {"X-Content-Type-Options", "nosniff"},  // the feed is XML, never a guessed type
    {"Referrer-Policy", "no-referrer"},     // links out must not tell where a reader was
    {"X-Frame-Options", "DENY"},            // frame-ancestors for browsers without CSP 2
}};

inline constexpr std::string_view html_content_type = "text/html; charset=utf-8";
inline constexpr std::string_view atom_content_type = "application/atom+xml; charset=utf-8";

}  // namespace bulwark::server::web
