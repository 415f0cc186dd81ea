#include "moderation/log_audit.h"

#include <algorithm>

#include "crypto/ed25519.h"

namespace bulwark::moderation {
namespace {

tl::unexpected<Error> broken(std::uint64_t seq, const std::string& what) {
  return fail(Errc::invalid_proof, "moderation log entry " + std::to_string(seq) + ": " + what);
}

}  // namespace

Result<void> LogAudit::next(const LogEntryToAudit& entry) {
  if (entry.seq != last_seq_ + 1)
    return broken(entry.seq, "expected entry " + std::to_string(last_seq_ + 1) +
                                 " (an entry is missing or out of order)");
  if (entry.prev_hash != head_)
    return broken(entry.seq, "does not follow the entry before it (previous hash differs)");
  if (log_entry_hash(entry.record, entry.signature) != entry.hash)
    return broken(entry.seq, "its hash is not the hash of its record and signature (altered)");
  auto record = decode_action(entry.record);
  if (!record) return broken(entry.seq, "its record does not decode: " + record.error().context);
  if (record->previous != entry.prev_hash)
    return broken(entry.seq, "its signed record names another previous entry");
  auto key = crypto::Ed25519PublicKey::from_bytes(record->moderator_key);
  if (!key || !verify_action(*key, entry.record, entry.signature))
    return broken(entry.seq, "the signature does not verify under the key its record names");
  if (!trusted_.empty()) {
    auto found = trusted_.find(record->moderator);
    if (found == trusted_.end() || !std::ranges::equal(found->second, record->moderator_key))
      return broken(entry.seq, "signed by '" + record->moderator +
                                   "' with a key that is not among the moderators you trust");
  }
  last_seq_ = entry.seq;
  head_ = entry.hash;
  return {};
}

}  // namespace bulwark::moderation
