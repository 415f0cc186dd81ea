#include "lawful/order.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "lawful/strict_json.h"

namespace bulwark::lawful {
namespace {

using nlohmann::json;

// Deep enough for {"targets":[{...}]} and {"time_range":{...}}, no deeper.
constexpr std::size_t max_order_depth = 3;

bool is_ascii_in(std::string_view text, std::string_view extra) {
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

// Well-formed UTF-8 is the JSON parser's guarantee; this refuses control characters, which
// have no place in a name or a legal text and could forge lines in a terminal or a log.
bool has_no_controls(std::string_view text, bool allow_newline) {
  return std::none_of(text.begin(), text.end(), [&](char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (allow_newline && (c == '\n' || c == '\t')) return false;
    return byte < 0x20 || byte == 0x7f;
  });
}

tl::unexpected<Error> refuse(std::string_view field, std::string_view why) {
  return fail(Errc::invalid_encoding,
              "order field \"" + std::string(field) + "\" " + std::string(why));
}

// The object's members, each named exactly once in `fields` and none other.
Result<void> require_exactly(const json& object, std::string_view what,
                             std::initializer_list<std::string_view> fields) {
  if (!object.is_object()) return refuse(what, "must be a JSON object");
  for (std::string_view field : fields)
    if (!object.contains(field)) return refuse(field, "is missing");
  for (const auto& [name, value] : object.items())
    if (std::find(fields.begin(), fields.end(), name) == fields.end())
      return fail(Errc::invalid_encoding,
                  "order has an unknown field \"" + std::string(name).substr(0, 64) + "\"");
  return {};
}

Result<std::string> text_field(const json& object, std::string_view field, std::size_t max_bytes) {
  const json& value = object.at(field);
  if (!value.is_string()) return refuse(field, "must be a string");
  std::string text = value.get<std::string>();
  if (text.empty() || text.size() > max_bytes)
    return refuse(field, "must be 1 to " + std::to_string(max_bytes) + " bytes");
  return text;
}

Result<Seconds> time_field(const json& object, std::string_view field) {
  const json& value = object.at(field);
  if (!value.is_string()) return refuse(field, "must be a string");
  auto time = parse_utc_time(value.get<std::string>());
  if (!time) return refuse(field, time.error().context);
  return *time;
}

bool is_phone_number(std::string_view text) {
  return text.size() >= 8 && text.size() <= 16 && text[0] == '+' && text[1] != '0' &&
         is_ascii_in(text.substr(1), "") &&
         std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<Target> parse_target(const json& value) {
  if (!value.is_object() || value.size() != 1)
    return refuse("targets", "entries must be {\"phone_number\": ...} or {\"username\": ...}");
  const auto member = value.begin();
  const std::string& kind = member.key();
  const json& text = member.value();
  if (!text.is_string()) return refuse("targets", "values must be strings");
  Target target{Target::Kind::phone_number, text.get<std::string>()};
  if (kind == "phone_number") {
    if (!is_phone_number(target.value))
      return refuse("targets", "phone numbers must be E.164: + and 7 to 15 digits");
  } else if (kind == "username") {
    target.kind = Target::Kind::username;
    if (target.value.empty() || target.value.size() > max_username_bytes ||
        !is_ascii_in(target.value, "._-"))
      return refuse("targets", "usernames must be 1 to 64 of [A-Za-z0-9._-]");
  } else {
    return refuse("targets", "entries must be {\"phone_number\": ...} or {\"username\": ...}");
  }
  return target;
}

Result<std::vector<Target>> parse_targets(const json& value) {
  if (!value.is_array() || value.empty() || value.size() > max_targets)
    return refuse("targets", "must list 1 to 1000 accounts");
  std::vector<Target> targets;
  std::set<std::pair<int, std::string>> seen;
  for (const json& entry : value) {
    auto target = BULWARK_TRY(parse_target(entry));
    if (!seen.emplace(static_cast<int>(target.kind), target.value).second)
      return refuse("targets", "names the same account twice");
    targets.push_back(std::move(target));
  }
  return targets;
}

Result<std::vector<std::string>> parse_categories(const json& value) {
  if (!value.is_array() || value.empty() || value.size() > max_categories)
    return refuse("categories", "must list 1 to 16 categories");
  std::vector<std::string> categories;
  for (const json& entry : value) {
    if (!entry.is_string()) return refuse("categories", "entries must be strings");
    std::string category = entry.get<std::string>();
    if (!is_category_name(category))
      return refuse("categories", "entries must be 1 to 48 of [a-z0-9_], starting with a letter");
    if (std::find(categories.begin(), categories.end(), category) != categories.end())
      return refuse("categories", "names a category twice");
    categories.push_back(std::move(category));
  }
  return categories;
}

}  // namespace

bool is_jurisdiction_code(std::string_view text) {
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto upper_or_digit = [&](char c) { return upper(c) || (c >= '0' && c <= '9'); };
  if (text.size() < 2 || !upper(text[0]) || !upper(text[1])) return false;
  if (text.size() == 2) return true;
  return text.size() <= 6 && text[2] == '-' &&
         std::all_of(text.begin() + 3, text.end(), upper_or_digit);
}

bool is_category_name(std::string_view text) {
  return !text.empty() && text.size() <= max_category_bytes && text[0] >= 'a' && text[0] <= 'z' &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

bool is_authority_name(std::string_view text) {
  return !text.empty() && text.size() <= max_authority_name_bytes &&
         has_no_controls(text, /*allow_newline=*/false) && text.front() != ' ' &&
         text.back() != ' ';
}

Result<Order> parse_order(ByteView document) {
  if (document.size() > max_order_bytes)
    return fail(Errc::invalid_encoding, "an order is at most 256 KiB");
  const std::string_view text(reinterpret_cast<const char*>(document.data()), document.size());
  const json value = BULWARK_TRY(parse_strict_json(text, max_order_depth));
  BULWARK_TRY(require_exactly(
      value, "order",
      {"order_id", "authority", "jurisdiction", "legal_basis", "targets", "categories",
       "time_range", "issued_at", "expires_at", "non_disclosure_until"}));
  Order order;
  order.order_id = BULWARK_TRY(text_field(value, "order_id", max_order_id_bytes));
  if (!is_ascii_in(order.order_id, "._:/-"))
    return refuse("order_id", "must be of [A-Za-z0-9._:/-]");
  order.authority = BULWARK_TRY(text_field(value, "authority", max_authority_name_bytes));
  if (!is_authority_name(order.authority))
    return refuse("authority", "must have no control characters or outer spaces");
  order.jurisdiction = BULWARK_TRY(text_field(value, "jurisdiction", 6));
  if (!is_jurisdiction_code(order.jurisdiction))
    return refuse("jurisdiction", "must be an ISO 3166 code such as \"GR\" or \"DE-BY\"");
  order.legal_basis = BULWARK_TRY(text_field(value, "legal_basis", max_legal_basis_bytes));
  if (!has_no_controls(order.legal_basis, /*allow_newline=*/true))
    return refuse("legal_basis", "must have no control characters");
  order.targets = BULWARK_TRY(parse_targets(value.at("targets")));
  order.categories = BULWARK_TRY(parse_categories(value.at("categories")));
  const json& range = value.at("time_range");
  BULWARK_TRY(require_exactly(range, "time_range", {"from", "to"}));
  order.from = BULWARK_TRY(time_field(range, "from"));
  order.to = BULWARK_TRY(time_field(range, "to"));
  order.issued_at = BULWARK_TRY(time_field(value, "issued_at"));
  order.expires_at = BULWARK_TRY(time_field(value, "expires_at"));
  order.non_disclosure_until = BULWARK_TRY(time_field(value, "non_disclosure_until"));
  if (order.from > order.to) return refuse("time_range", "must not end before it starts");
  if (order.expires_at <= order.issued_at) return refuse("expires_at", "must be after issued_at");
  if (order.non_disclosure_until < order.issued_at)
    return refuse("non_disclosure_until", "must not be before issued_at");
  return order;
}

}  // namespace bulwark::lawful
