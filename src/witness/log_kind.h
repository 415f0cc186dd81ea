// The kinds of log a witness can follow; one process and one state directory follow one log.
// A kind fixes where the server serves the log (log_api.h) and what an entry means
// (replica.h):
//  - kt: the key-transparency log (docs/KEY-TRANSPARENCY.md), under /v1/kt; each entry is
//    the prefix-tree leaves it added, audited by kt::Auditor;
//  - disclosure: the disclosure log of lawful requests, under /v1/lawful; a plain RFC 6962
//    log of opaque entries, leaf i being kt::leaf_hash(entry i).
// Both sign C2SP checkpoints, each with its own origin and key, and take cosignature/v1.
#pragma once

#include <string_view>

#include "common/result.h"

namespace bulwark::witness {

enum class LogKind { kt, disclosure };

// "kt" or "disclosure": the --log option's values and the state file's spelling.
[[nodiscard]] std::string_view log_kind_name(LogKind kind) noexcept;

// The kind log_kind_name gives `name` for; Errc::invalid_argument for any other text.
[[nodiscard]] Result<LogKind> parse_log_kind(std::string_view name);

}  // namespace bulwark::witness
