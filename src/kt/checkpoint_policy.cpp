#include "kt/checkpoint_policy.h"

#include <algorithm>
#include <limits>

#include "kt/note.h"

namespace bulwark::kt {

Result<TrustedCheckpoint> verify_checkpoint(const CheckpointPolicy& policy,
                                            std::string_view signed_note) {
  const Note note = BULWARK_TRY(parse_note(signed_note));
  BULWARK_TRY(policy.log_key.verify(note));
  TrustedCheckpoint trusted{BULWARK_TRY(parse_checkpoint_body(note.text)), {}, 0};
  if (trusted.checkpoint.origin != policy.origin) {
    return fail(Errc::invalid_proof, "checkpoint: another log's origin");
  }
  std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
  for (const CosignerKey& witness : policy.witnesses) {
    const auto time = verify_cosignature(witness, note);
    if (!time) continue;
    // Two configured entries for one witness would otherwise count twice.
    if (std::find(trusted.cosigned_by.begin(), trusted.cosigned_by.end(), witness.name()) !=
        trusted.cosigned_by.end()) {
      continue;
    }
    trusted.cosigned_by.push_back(witness.name());
    oldest = std::min(oldest, *time);
  }
  if (trusted.cosigned_by.size() < policy.quorum) {
    return fail(Errc::auth_failed, "checkpoint: " + std::to_string(trusted.cosigned_by.size()) +
                                       " of the " + std::to_string(policy.quorum) +
                                       " witness cosignatures required");
  }
  trusted.oldest_cosignature_time = trusted.cosigned_by.empty() ? 0 : oldest;
  return trusted;
}

}  // namespace bulwark::kt
