#include "server/web/error_page.h"

#include "server/web/html.h"
#include "server/web/page_frame.h"

namespace bulwark::server::web {
namespace {

std::string_view heading_for(int status) {
  switch (status) {
    case 400: return "Bad request";
    case 403: return "Channel restricted";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 413: return "Request too large";
    case 429: return "Too many requests";
    case 503: return "Busy, try again soon";
    default: return status >= 500 ? "Something went wrong" : "Request not served";
  }
}

std::string render_message_page(std::string_view title, std::string_view heading,
                                std::string_view message) {
  std::string out;
  open_page(out, {title, {}, {}});
  out += "<main>\n<h1>";
  append_html_escaped(out, heading);
  out += "</h1>\n<p>";
  append_html_escaped(out, message);
  out += "</p>\n</main>\n";
  close_page(out);
  return out;
}

}  // namespace

std::string render_not_found_page() {
  return render_message_page("Channel not found", "Channel not found",
                             "There is no public channel at this address.");
}

std::string render_error_page(int status, std::string_view message) {
  const std::string_view heading = heading_for(status);
  return render_message_page(std::to_string(status) + " " + std::string(heading), heading, message);
}

}  // namespace bulwark::server::web
