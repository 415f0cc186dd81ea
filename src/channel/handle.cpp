#include "channel/handle.h"

#include <algorithm>
#include <array>

namespace bulwark::channel {
namespace {

// Service names, words that claim authority, and the web preview's own paths.
constexpr std::array<std::string_view, 34> reserved_names = {
    "admin",    "administrator", "abuse",     "about",     "api",        "appeal",
    "appeals",  "channel",       "channels",  "feed",      "help",       "legal",
    "login",    "logout",        "moderator", "moderation", "official",  "operator",
    "privacy",  "report",        "reports",   "root",      "security",   "settings",
    "signup",   "staff",         "status",    "support",   "system",     "terms",
    "transparency", "verified",  "webmaster", "everyone"};
// Any handle starting with one of these is reserved too: they impersonate the service.
constexpr std::array<std::string_view, 1> reserved_prefixes = {"bulwark"};

bool is_handle_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

bool is_reserved_handle(std::string_view canonical) noexcept {
  if (std::find(reserved_names.begin(), reserved_names.end(), canonical) != reserved_names.end())
    return true;
  return std::any_of(reserved_prefixes.begin(), reserved_prefixes.end(),
                     [&](std::string_view prefix) { return canonical.starts_with(prefix); });
}

bool is_valid_handle(std::string_view canonical) noexcept {
  if (canonical.size() < min_handle_length || canonical.size() > max_handle_length) return false;
  if (!std::all_of(canonical.begin(), canonical.end(), is_handle_char)) return false;
  if (canonical.front() < 'a' || canonical.front() > 'z') return false;
  if (canonical.back() == '_' || canonical.find("__") != std::string_view::npos) return false;
  return !is_reserved_handle(canonical);
}

Result<std::string> canonical_handle(std::string_view handle) {
  if (handle.starts_with('@')) handle.remove_prefix(1);
  if (handle.size() < min_handle_length || handle.size() > max_handle_length)
    return fail(Errc::invalid_argument, "a handle has 5-32 characters");
  std::string out;
  out.reserve(handle.size());
  for (char c : handle) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!is_handle_char(lower))
      return fail(Errc::invalid_argument,
                  "a handle may hold only ASCII letters, digits and underscores");
    out.push_back(lower);
  }
  if (out.front() < 'a' || out.front() > 'z')
    return fail(Errc::invalid_argument, "a handle starts with a letter");
  if (out.back() == '_' || out.find("__") != std::string::npos)
    return fail(Errc::invalid_argument, "a handle may not end with '_' or hold \"__\"");
  if (is_reserved_handle(out)) return fail(Errc::invalid_argument, "that handle is reserved");
  return out;
}

}  // namespace bulwark::channel
