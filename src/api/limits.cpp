#include "api/limits.h"

namespace bulwark::api {

bool is_valid_username(std::string_view canonical) noexcept {
  if (canonical.size() < min_username_length || canonical.size() > max_username_length)
    return false;
  if (canonical.front() < 'a' || canonical.front() > 'z') return false;
  for (char c : canonical) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string canonical_username(std::string_view name) {
  if (!name.empty() && name.front() == '@') name.remove_prefix(1);
  std::string out(name);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace bulwark::api
