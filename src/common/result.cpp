#include "common/result.h"

#include <cstdio>
#include <cstdlib>

namespace bulwark {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::invalid_length: return "invalid_length";
    case Errc::invalid_encoding: return "invalid_encoding";
    case Errc::truncated: return "truncated";
    case Errc::trailing_data: return "trailing_data";
    case Errc::capacity_exceeded: return "capacity_exceeded";
    case Errc::auth_failed: return "auth_failed";
    case Errc::weak_key: return "weak_key";
    case Errc::internal: return "internal";
    case Errc::invalid_message: return "invalid_message";
    case Errc::duplicate_message: return "duplicate_message";
    case Errc::untrusted_identity: return "untrusted_identity";
    case Errc::session_not_found: return "session_not_found";
    case Errc::invalid_key_id: return "invalid_key_id";
    case Errc::not_found: return "not_found";
    case Errc::conflict: return "conflict";
    case Errc::storage: return "storage";
    case Errc::rate_limited: return "rate_limited";
    case Errc::network: return "network";
    case Errc::unavailable: return "unavailable";
    case Errc::invalid_proof: return "invalid_proof";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string out(errc_name(code));
  if (!context.empty()) {
    out += ": ";
    out += context;
  }
  return out;
}

void contract_violation(std::string_view what) noexcept {
  std::fprintf(stderr, "bulwark: contract violation: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

}  // namespace bulwark
