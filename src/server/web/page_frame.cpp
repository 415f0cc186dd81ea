#include "server/web/page_frame.h"

#include "server/web/html.h"
#include "server/web/page_style.h"

namespace bulwark::server::web {

void open_page(std::string& out, const PageHead& head) {
  out +=
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>";
  append_html_escaped(out, head.title);
  out += "</title>\n";
  if (!head.feed_href.empty()) {
    out += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"";
    append_html_escaped(out, head.feed_title);
    out += "\" href=\"";
    append_html_escaped(out, head.feed_href);
    out += "\">\n";
  }
  // The CSP hash covers exactly page_style: nothing else may go between the tags.
  out += "<style>";
  out += page_style;
  out += "</style>\n</head>\n<body>\n";
}

void close_page(std::string& out) { out += "</body>\n</html>\n"; }

}  // namespace bulwark::server::web
