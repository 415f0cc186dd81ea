#include "lawful/log_audit.h"

#include <string>

#include "crypto/base64.h"
#include "kt/log_tree.h"
#include "lawful/approval.h"

namespace bulwark::lawful {

Result<AuditedLog> audit_disclosure_log(const kt::CheckpointPolicy& policy,
                                        std::string_view checkpoint, std::span<const Bytes> entries,
                                        std::optional<SeenTree> seen) {
  AuditedLog audited{BULWARK_TRY(kt::verify_checkpoint(policy, checkpoint)), {}};
  const kt::Checkpoint& head = audited.checkpoint.checkpoint;
  if (entries.size() != head.size)
    return fail(Errc::invalid_proof, "the checkpoint has " + std::to_string(head.size) +
                                         " entries but the log served " +
                                         std::to_string(entries.size()));
  kt::LogTree tree;
  for (std::size_t index = 0; index < entries.size(); ++index) {
    auto entry = decode_log_entry(entries[index]);
    if (!entry)
      return fail(Errc::invalid_encoding,
                  "entry " + std::to_string(index) + ": " + entry.error().context);
    audited.entries.push_back(std::move(*entry));
    tree.append(kt::leaf_hash(entries[index]));
  }
  if (tree.root() != head.root)
    return fail(Errc::invalid_proof,
                "the entries' tree has root " + crypto::base64_encode(tree.root()) +
                    ", not the checkpoint's: an entry was altered, removed or reordered");
  if (seen) {
    if (seen->size > head.size)
      return fail(Errc::invalid_proof,
                  "the log has " + std::to_string(head.size) + " entries, fewer than the " +
                      std::to_string(seen->size) + " verified before: entries were removed");
    if (tree.root(seen->size) != seen->root)
      return fail(Errc::invalid_proof,
                  "the first " + std::to_string(seen->size) +
                      " entries are not the ones verified before: an entry was altered or "
                      "removed");
  }
  return audited;
}

Result<void> audit_decisions(std::span<const LogEntry> entries, const OperatorRoster& roster) {
  for (std::size_t index = 0; index < entries.size(); ++index) {
    const LogEntry& entry = entries[index];
    const auto broken = [&](const std::string& why) {
      return fail(Errc::invalid_proof, "entry " + std::to_string(index) + ": " + why);
    };
    for (const OperatorSignature& signed_by : entry.signatures) {
      const auto listed = roster.keys.find(signed_by.name);
      if (listed == roster.keys.end() || !std::equal(listed->second.begin(), listed->second.end(),
                                                     signed_by.key.begin(), signed_by.key.end()))
        return broken("signed by \"" + signed_by.name + "\", not a published operator's key");
      auto key = crypto::Ed25519PublicKey::from_bytes(signed_by.key);
      if (!key) return broken("an operator key that is not an Ed25519 key");
      Result<void> valid =
          entry.kind == EntryKind::refused
              ? verify_refusal(*key, entry.order_hash, entry.operator_note, signed_by.signature)
          : entry.kind == EntryKind::authority
              ? verify_authority_change(*key, entry.authority, entry.jurisdiction, entry.order_hash,
                                        signed_by.signature)
              : verify_approval(*key, entry.order_hash, signed_by.signature);
      if (!valid) return broken(signed_by.name + "'s signature does not verify");
    }
    if (entry.kind == EntryKind::answered && !entry.categories.empty() &&
        entry.signatures.size() < roster.approvals)
      return broken("data was released with " + std::to_string(entry.signatures.size()) +
                    " approval(s), fewer than the " + std::to_string(roster.approvals) +
                    " required");
  }
  return {};
}

}  // namespace bulwark::lawful
