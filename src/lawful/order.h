// A court order as Bulwark reads it (docs/LAWFUL.md "The order"): a JSON document the issuing
// authority signs with a detached CMS signature. Parsing is strict - every field present, no
// other field, no duplicated key, each value in its documented form - because the signed bytes
// and what the operator acts on must be the same thing.
//
//   {"order_id": "2026-GR-0042", "authority": "Athens Court of First Instance",
//    "jurisdiction": "GR", "legal_basis": "Art. 254 Code of Criminal Procedure",
//    "targets": [{"phone_number": "+302101234567"}, {"username": "alice"}],
//    "categories": ["phone_number", "ip_addresses"],
//    "time_range": {"from": "2026-05-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"},
//    "issued_at": "2026-05-30T09:00:00Z", "expires_at": "2026-06-30T00:00:00Z",
//    "non_disclosure_until": "2026-09-01T00:00:00Z"}
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "lawful/utc_time.h"

namespace bulwark::lawful {

inline constexpr std::size_t max_order_bytes = 256 * 1024;
inline constexpr std::size_t max_order_id_bytes = 128;
inline constexpr std::size_t max_authority_name_bytes = 200;
inline constexpr std::size_t max_legal_basis_bytes = 2000;
inline constexpr std::size_t max_targets = 1000;
inline constexpr std::size_t max_categories = 16;
inline constexpr std::size_t max_category_bytes = 48;
inline constexpr std::size_t max_username_bytes = 64;

struct Target {
  enum class Kind { phone_number, username };
  Kind kind = Kind::phone_number;
  std::string value;  // E.164 ("+" and 7-15 digits) or a username as the order spells it
  friend bool operator==(const Target&, const Target&) = default;
};

struct Order {
  std::string order_id;         // 1-128 of [A-Za-z0-9._:/-]
  std::string authority;        // the configured authority's name, 1-200 bytes, no control chars
  std::string jurisdiction;     // ISO 3166-1 alpha-2, optionally "-" and a subdivision: "DE-BY"
  std::string legal_basis;      // 1-2000 bytes
  std::vector<Target> targets;  // 1-1000, no two alike
  std::vector<std::string> categories;  // 1-16 of [a-z][a-z0-9_]*, no two alike
  Seconds from{};                       // the period the data must fall in; from <= to
  Seconds to{};
  Seconds issued_at{};  // issued_at < expires_at
  Seconds expires_at{};
  Seconds non_disclosure_until{};  // >= issued_at: until then the account is not told
  friend bool operator==(const Order&, const Order&) = default;
};

// Errc::invalid_encoding naming the first field that is missing, unknown, duplicated or not in
// its form.
[[nodiscard]] Result<Order> parse_order(ByteView document);

[[nodiscard]] bool is_jurisdiction_code(std::string_view text);
// 1-48 of [a-z0-9_], starting with a letter.
[[nodiscard]] bool is_category_name(std::string_view text);
[[nodiscard]] bool is_authority_name(std::string_view text);

}  // namespace bulwark::lawful
