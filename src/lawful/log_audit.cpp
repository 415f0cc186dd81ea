#include "lawful/log_audit.h"

#include <string>

#include "crypto/base64.h"
#include "kt/log_tree.h"

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

}  // namespace bulwark::lawful
