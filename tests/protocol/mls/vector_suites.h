// Which official MLS vector cases run: suites 1 and 3 are implemented, the others are counted
// and reported as skipped with the reason (never passed silently).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace bulwark::protocol::mls::vectors {

inline bool suite_implemented(std::uint16_t suite) { return suite == 1 || suite == 3; }

// Why a suite's cases are skipped.
inline std::string suite_skip_reason(std::uint16_t suite) {
  switch (suite) {
    case 2:
      return "suite 2 (P-256) not implemented";
    case 4:
      return "suite 4 (X448/Ed448) not implemented";
    case 5:
      return "suite 5 (P-521) not implemented";
    case 6:
      return "suite 6 (X448/Ed448) not implemented";
    case 7:
      return "suite 7 (P-384) not implemented";
    default:
      return "suite " + std::to_string(suite) + " unknown";
  }
}

struct SuiteCounts {
  int run = 0;
  int skipped = 0;
  std::string reasons;  // one line per skipped suite, in first-seen order
};

// Counts a vector file's cases by whether their cipher_suite is implemented.
inline SuiteCounts count_suites(const nlohmann::json& cases) {
  SuiteCounts counts;
  for (const auto& item : cases) {
    const auto suite = item.at("cipher_suite").get<std::uint16_t>();
    if (suite_implemented(suite)) {
      ++counts.run;
      continue;
    }
    ++counts.skipped;
    const std::string reason = suite_skip_reason(suite);
    if (counts.reasons.find(reason) == std::string::npos) counts.reasons += reason + "; ";
  }
  return counts;
}

}  // namespace bulwark::protocol::mls::vectors
