// Escaping for the web preview: every string that came from a user (post text, titles,
// descriptions) or from a URL passes through here before it reaches HTML or XML output.
//
// Escaping never drops anything. Before escaping, the input is made valid output text:
//   - malformed UTF-8 (overlong forms, surrogates, truncated sequences) becomes U+FFFD;
//   - control characters other than '\t' and '\n' (C0, DEL, C1) and the noncharacters
//     U+FFFE/U+FFFF become U+FFFD. XML 1.0 cannot carry them at all, not even as character
//     references, and in HTML they are parse errors that browsers show as nothing or remap
//     (C1 as windows-1252): a visible U+FFFD says "something was here" instead.
// Channel text rules (channel/text.h) already refuse these in valid entries; this is for
// entries whose signature failed, or for anything the checks let through.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bulwark::server::web {

// Escapes & < > " ' so that the result is safe both as HTML text and inside a quoted
// attribute value (double or single quotes). One function for both contexts, so a call site
// cannot pick the weaker one.
void append_html_escaped(std::string& out, std::string_view text);
[[nodiscard]] std::string html_escape(std::string_view text);

// html_escape, then each '\n' as <br> (escape first: the <br> is the only markup added). No
// newline follows the <br>: the text is shown with white-space: pre-wrap, which would render
// it as a second line break.
void append_html_text_with_breaks(std::string& out, std::string_view text);

// XML 1.0 character data and attribute values (Atom): & < > " ' as entities. Text never needs
// CDATA, so "]]>" in a post is just characters ("]]&gt;").
void append_xml_escaped(std::string& out, std::string_view text);
[[nodiscard]] std::string xml_escape(std::string_view text);

// The first line of `text` that is not blank, cut to at most `max_code_points` code points
// (never inside a UTF-8 sequence) with "…" appended when cut. Empty when every line is blank.
// The result is raw text still: escape it for its context.
[[nodiscard]] std::string first_line_excerpt(std::string_view text, std::size_t max_code_points);

}  // namespace bulwark::server::web
