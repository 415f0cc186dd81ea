#include "witness/log_kind.h"

#include <string>

namespace bulwark::witness {

std::string_view log_kind_name(LogKind kind) noexcept {
  switch (kind) {
    case LogKind::kt:
      return "kt";
    case LogKind::disclosure:
      return "disclosure";
  }
  contract_violation("witness::log_kind_name: not a LogKind");
}

Result<LogKind> parse_log_kind(std::string_view name) {
  for (const LogKind kind : {LogKind::kt, LogKind::disclosure}) {
    if (name == log_kind_name(kind)) return kind;
  }
  return fail(Errc::invalid_argument, "unknown log kind (expected kt or disclosure)");
}

}  // namespace bulwark::witness
