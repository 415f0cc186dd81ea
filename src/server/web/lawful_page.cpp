#include "server/web/lawful_page.h"

#include "server/web/html.h"
#include "server/web/page_frame.h"

namespace bulwark::server::web {
namespace {

void append_count(std::string& out, std::string_view name, std::uint64_t count) {
  out += "<td data-count=\"";
  out += name;
  out += "\">" + std::to_string(count) + "</td>";
}

}  // namespace

std::string render_lawful_page(const LawfulReportPage& report) {
  std::string out;
  open_page(out, {"Lawful requests", {}, {}});
  out +=
      "<header class=\"channel\"><h1>Lawful requests</h1><p class=\"description\">Court orders "
      "this service received and what it did with them, per jurisdiction and quarter (UTC). "
      "Bulwark can release an account's phone number and the IP addresses it connected from "
      "in the last days, and nothing else: messages are end-to-end encrypted. Every number "
      "here is counted from the public disclosure log, which independent witnesses cosign; "
      "check them with <code>bulwark-admin transparency verify</code>. As JSON: "
      "<a href=\"/lawful.json\">/lawful.json</a>.</p></header>\n<main>\n";
  out += "<p class=\"log\">Disclosure log <code>";
  append_html_escaped(out, report.origin);
  out += "</code>, " + std::to_string(report.log_size) + " entries, key <code>";
  append_html_escaped(out, report.log_vkey);
  out += "</code></p>\n";
  if (report.periods.empty()) {
    out += "<p class=\"empty\">No order received yet.</p>\n";
  } else {
    out +=
        "<table><caption>Orders by jurisdiction and quarter</caption>\n<tr><th>Quarter</th>"
        "<th>Jurisdiction</th><th>Received</th><th>Refused</th><th>Granted</th><th>Not "
        "held</th><th>Accounts affected</th></tr>\n";
    for (const LawfulPeriodRow& row : report.periods) {
      out += "<tr><th scope=\"row\">";
      append_html_escaped(out, row.quarter);
      out += "</th><td>";
      append_html_escaped(out, row.jurisdiction);
      out += "</td>";
      append_count(out, "received", row.received);
      append_count(out, "refused", row.refused);
      append_count(out, "granted", row.granted);
      append_count(out, "not_held", row.not_held);
      append_count(out, "accounts_affected", row.accounts_affected);
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
  out += "</main>\n";
  close_page(out);
  return out;
}

}  // namespace bulwark::server::web
