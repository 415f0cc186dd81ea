#include "lawful/strict_json.h"

#include <set>
#include <string>
#include <vector>

namespace bulwark::lawful {
namespace {

// The deepest nesting of arrays and objects in `text`, counted outside strings, so that the
// parser never sees a document deep enough to exhaust the stack.
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Result<nlohmann::json> parse_strict_json(std::string_view text, std::size_t max_depth) {
  if (nesting_depth(text) > max_depth)
    return fail(Errc::invalid_encoding,
                "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  // One set of keys per open object; a key seen twice in the same object is a duplicate.
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  const auto watch = [&](int /*depth*/, nlohmann::json::parse_event_t event,
                         nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == Event::key && !open_objects.empty() && duplicate.empty()) {
      if (!open_objects.back().insert(parsed.get<std::string>()).second)
        duplicate = parsed.get<std::string>();
    }
    return true;
  };
  nlohmann::json value = nlohmann::json::parse(text, watch, /*allow_exceptions=*/false);
  if (value.is_discarded())
    return fail(Errc::invalid_encoding,
                "not one well-formed JSON value in UTF-8 with nothing after it");
  if (!duplicate.empty())
    return fail(Errc::invalid_encoding,
                "JSON key \"" + duplicate.substr(0, 64) + "\" appears twice");
  return value;
}

}  // namespace bulwark::lawful
