// The web preview's only style: one inline <style> block, the same on every page, allowed by
// its SHA-256 in the Content-Security-Policy (security_headers.h; a unit test checks that the
// two match, so an edit here fails the build's tests until the hash there is updated too).
// Phone first: one narrow column, system fonts, long words wrap, dark mode follows the device.
#pragma once

#include <string_view>

namespace bulwark::server::web {

// The exact bytes between <style> and </style>: the hash covers every one of them.
inline constexpr std::string_view page_style =
    ":root{color-scheme:light dark;--fg:#1b1d21;--muted:#5c6270;--bg:#fff;--card:#f4f5f7;"
    "--line:#d9dce1;--ok:#13683a;--bad:#a01818;--bad-bg:#fdecec;--link:#1a56b8}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#a3a9b5;--bg:#121417;"
    "--card:#1d2025;--line:#30343b;--ok:#6fd39a;--bad:#ff9b9b;--bad-bg:#3a1d1d;--link:#8ab4ff}}"
    "*{box-sizing:border-box}"
    "body{margin:0 auto;max-width:42rem;padding:1rem;font:1rem/1.5 system-ui,-apple-system,"
    "'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg)}"
    "a{color:var(--link)}"
    "h1{font-size:1.5rem;margin:0 0 .25rem;overflow-wrap:anywhere}"
    "header.channel{border-bottom:1px solid var(--line);padding-bottom:.75rem;margin-bottom:1rem}"
    "header.channel p{margin:.25rem 0}"
    ".handle,.meta,.key,footer.site{color:var(--muted);font-size:.875rem}"
    ".key code{font-size:.8rem;overflow-wrap:anywhere}"
    ".description,.text{white-space:pre-wrap;overflow-wrap:anywhere}"
    ".post{background:var(--card);border:1px solid var(--line);border-radius:.75rem;"
    "padding:.75rem 1rem;margin:0 0 .75rem}"
    ".post .text{margin:0 0 .5rem}"
    ".meta{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline}"
    ".meta a{color:inherit}"
    ".signature.verified{color:var(--ok)}"
    ".signature.invalid{color:var(--bad);background:var(--bad-bg);border-radius:.5rem;"
    "padding:.5rem .75rem;margin:0 0 .5rem;font-weight:600}"
    ".removed{color:var(--muted);font-style:italic;margin:0 0 .5rem}"
    ".pager{margin:0 0 .75rem}"
    ".pager a{display:inline-block;padding:.5rem 0}"
    ".empty{color:var(--muted)}"
    "footer.site{border-top:1px solid var(--line);margin-top:1rem;padding-top:.75rem}";

}  // namespace bulwark::server::web
