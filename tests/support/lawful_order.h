// A court order document for tests of issue 8 (docs/LAWFUL.md "The order"), as JSON a test can
// change before it is serialized and signed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace bulwark::testing {

// Valid from 2026-05-30 to 2026-06-30, asking for one phone number's phone number and IP
// addresses; a gag until 2026-09-01.
inline nlohmann::json sample_order(const std::string& authority = "Athens Court of First Instance",
                                   const std::string& jurisdiction = "GR") {
  return nlohmann::json{
      {"order_id", "2026-GR-0042"},
      {"authority", authority},
      {"jurisdiction", jurisdiction},
      {"legal_basis", "Art. 254 Code of Criminal Procedure"},
      {"targets", nlohmann::json::array({{{"phone_number", "+302101234567"}}})},
      {"categories", nlohmann::json::array({"phone_number", "ip_addresses"})},
      {"time_range", {{"from", "2026-05-01T00:00:00Z"}, {"to", "2026-06-01T00:00:00Z"}}},
      {"issued_at", "2026-05-30T09:00:00Z"},
      {"expires_at", "2026-06-30T00:00:00Z"},
      {"non_disclosure_until", "2026-09-01T00:00:00Z"}};
}

}  // namespace bulwark::testing
