// `bulwark-admin transparency verify` (docs/LAWFUL.md "Verifying"): anyone's check of a server's
// disclosure log and of the transparency report it publishes. No account and no key needed.
//
// It fetches the newest checkpoint and every entry over the public routes, verifies them with
// lawful::audit_disclosure_log (the log key's signature, the witnesses' cosignatures, every
// entry decoding, the tree's root) and recounts the report from the entries: a published number
// that differs from the log's is an error. With a state file it remembers the tree it verified
// and refuses any later log that does not extend it - an entry removed or altered since, even
// under a re-signed checkpoint.
//
// The log key and witnesses should come from somewhere other than the server being checked (a
// pinned vkey); without one the server's own /v1/lawful/keys is used and the report says so.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "lawful/log_audit.h"
#include "lawful/statistics.h"

namespace bulwark::client {

struct DisclosureAuditOptions {
  std::string server;  // https://HOST:PORT
  std::optional<std::filesystem::path> ca_file;
  std::optional<std::string> log_vkey;     // pinned; else the server's
  std::vector<std::string> witness_vkeys;  // pinned; else the server's
  std::optional<std::size_t> quorum;       // default: every witness
  std::optional<std::filesystem::path> state_file;
  std::chrono::milliseconds timeout{30'000};
};

struct DisclosureAuditReport {
  std::string origin;
  std::uint64_t size = 0;
  std::string root;  // base64
  std::vector<std::string> cosigned_by;
  std::vector<lawful::PeriodCounts> counts;
  bool keys_from_server = false;                 // no pinned log key was given
  std::optional<std::uint64_t> previously_seen;  // the size the state file held
};

// Errc::invalid_proof (or auth_failed for the checkpoint's signatures) naming what does not hold.
[[nodiscard]] Result<DisclosureAuditReport> audit_server_disclosure_log(
    const DisclosureAuditOptions& options);

}  // namespace bulwark::client
