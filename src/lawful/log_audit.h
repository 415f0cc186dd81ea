// Auditing the disclosure log from the outside (bulwark-admin transparency verify, and any
// third party): the newest checkpoint, signed by the log's key and cosigned by the witnesses
// the auditor requires; every entry from the first, each decoding as a disclosure log entry;
// the tree of their leaf hashes, whose root must be the checkpoint's; and, when the auditor
// verified the log before, that the tree it saw then is a prefix of this one. An entry removed,
// altered or reordered - even with the checkpoint re-signed by the operator's own key - fails
// one of these (or the witnesses' refusal to cosign it).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "kt/checkpoint_policy.h"
#include "kt/merkle.h"
#include "lawful/log_entry.h"

namespace bulwark::lawful {

// A tree the auditor verified before.
struct SeenTree {
  std::uint64_t size = 0;
  kt::Hash root{};
};

struct AuditedLog {
  kt::TrustedCheckpoint checkpoint;
  std::vector<LogEntry> entries;
};

// Errc::auth_failed for a checkpoint the policy refuses; Errc::invalid_proof when the entries
// are not the checkpoint's tree or the tree does not extend `seen`; Errc::invalid_encoding
// naming the first entry that does not decode.
[[nodiscard]] Result<AuditedLog> audit_disclosure_log(const kt::CheckpointPolicy& policy,
                                                      std::string_view checkpoint,
                                                      std::span<const Bytes> entries,
                                                      std::optional<SeenTree> seen);

// The operators as the server publishes them (/v1/lawful/keys): name -> 32-byte Ed25519 key,
// and how many distinct ones must approve a release.
struct OperatorRoster {
  std::map<std::string, Bytes> keys;
  std::size_t approvals = 0;
};

// That every operator decision in the log is real: each approval, each operator's refusal and
// each authority change is a valid signature (of its order hash or trust digest) by the key its
// entry names, that key is the roster's
// for that name, and every answer that released data carries at least `approvals` of them.
// Errc::invalid_proof naming the first entry that fails.
[[nodiscard]] Result<void> audit_decisions(std::span<const LogEntry> entries,
                                           const OperatorRoster& roster);

}  // namespace bulwark::lawful
