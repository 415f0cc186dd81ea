// The document around every web preview page: doctype, language, UTF-8, the phone viewport,
// the one inline style (page_style.h) and nothing that runs or loads. Pages write their body
// between open_page and close_page.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::server::web {

struct PageHead {
  std::string_view title;       // raw text; escaped here
  std::string_view feed_href;   // a path (web_route.h) for <link rel="alternate">, or empty
  std::string_view feed_title;  // raw text; escaped here
};

void open_page(std::string& out, const PageHead& head);
void close_page(std::string& out);

}  // namespace bulwark::server::web
