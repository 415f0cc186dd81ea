#include "server/web/moderation_page.h"

#include "server/web/html.h"
#include "server/web/page_frame.h"

namespace bulwark::server::web {
namespace {

void append_table(std::string& out, std::string_view caption,
                  const std::map<std::string, std::uint64_t>& counts) {
  out += "<table><caption>";
  out += caption;
  out += "</caption>\n";
  if (counts.empty()) out += "<tr><td>none</td><td>0</td></tr>\n";
  for (const auto& [name, count] : counts) {
    out += "<tr><th scope=\"row\">";
    append_html_escaped(out, name);
    out += "</th><td data-count=\"" + std::to_string(count) + "\">" + std::to_string(count) +
           "</td></tr>\n";
  }
  out += "</table>\n";
}

}  // namespace

std::string render_moderation_page(const ModerationReport& report) {
  std::string out;
  open_page(out, {"Moderation report", {}, {}});
  out +=
      "<header class=\"channel\"><h1>Moderation report</h1><p class=\"description\">What "
      "moderators and policy rules did to public content, counted per month (UTC). Only "
      "counts: no content, no reporters, no accounts. The same numbers as JSON: "
      "<a href=\"/moderation.json\">/moderation.json</a>. Private chats are end-to-end "
      "encrypted and never scanned.</p></header>\n<main>\n";
  if (report.empty()) out += "<p class=\"empty\">Nothing reported yet.</p>\n";
  for (auto month = report.rbegin(); month != report.rend(); ++month) {
    out += "<section class=\"month\" id=\"month-";
    append_html_escaped(out, month->first);
    out += "\"><h2>";
    append_html_escaped(out, month->first);
    out += "</h2>\n";
    append_table(out, "Reports by category", month->second.reports);
    append_table(out, "Policy-rule matches by category", month->second.rule_matches);
    append_table(out, "Moderator actions", month->second.actions);
    for (const auto& [category, actions] : month->second.actions_by_category)
      append_table(out, "Actions on " + html_escape(category) + " cases", actions);
    out += "</section>\n";
  }
  out += "</main>\n";
  close_page(out);
  return out;
}

}  // namespace bulwark::server::web
