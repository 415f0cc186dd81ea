// An auditor's check of the moderation log (docs/MODERATION.md "The moderation log"): entries
// are fed in order, and each must extend the chain the ones before it made - the next seq, the
// previous entry's hash, its own hash recomputed from its record and signature, a record that
// decodes and names the same previous hash, and a signature by the key the record names. Given
// the moderators the auditor trusts (name -> Ed25519 public key), every record must also be
// signed by one of them under that name. A server that drops, reorders, alters or forges an
// entry - even with write access to its own database - fails here.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "moderation/signed_action.h"

namespace bulwark::moderation {

struct LogEntryToAudit {
  std::uint64_t seq = 0;
  Bytes record;
  Bytes signature;
  LogHash prev_hash{};
  LogHash hash{};
};

class LogAudit {
 public:
  // `trusted`: name -> 32-byte public key; empty trusts the key each record names.
  explicit LogAudit(std::map<std::string, Bytes> trusted) : trusted_(std::move(trusted)) {}

  // Errc::invalid_proof naming the entry and what is wrong; the audit stops at the first.
  [[nodiscard]] Result<void> next(const LogEntryToAudit& entry);

  [[nodiscard]] std::uint64_t entries() const noexcept { return last_seq_; }
  [[nodiscard]] const LogHash& head() const noexcept { return head_; }

 private:
  std::map<std::string, Bytes> trusted_;
  std::uint64_t last_seq_ = 0;
  LogHash head_{};  // zeros before the first entry
};

}  // namespace bulwark::moderation
