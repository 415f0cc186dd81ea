// The public transparency report of lawful requests (docs/LAWFUL.md "Transparency report"),
// /lawful (HTML) beside /lawful.json: per jurisdiction and calendar quarter (UTC), the orders
// received, refused, granted, answered "not held", and the accounts whose data was released -
// every number computed from the public disclosure log, which anyone can fetch and recount with
// `bulwark-admin transparency verify`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::server::web {

struct LawfulPeriodRow {
  std::string jurisdiction;
  std::string quarter;
  std::uint64_t received = 0;
  std::uint64_t refused = 0;
  std::uint64_t granted = 0;
  std::uint64_t not_held = 0;
  std::uint64_t accounts_affected = 0;
};

struct LawfulReportPage {
  std::string origin;    // the disclosure log's name
  std::string log_vkey;  // what verifiers pin
  std::uint64_t log_size = 0;
  std::vector<LawfulPeriodRow> periods;  // newest quarter first
};

[[nodiscard]] std::string render_lawful_page(const LawfulReportPage& report);

}  // namespace bulwark::server::web
