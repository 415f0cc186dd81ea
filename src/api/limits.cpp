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

}  // namespace bulwark::api
