// What a client requires of a KT checkpoint before it trusts anything proved against it:
// the log's own signature and valid cosignatures (kt/cosignature.h) from at least `quorum`
// of the witnesses it was configured with, on a checkpoint of the expected origin.
//
// Witnesses are named in the configuration, not in the note: a cosignature line from a key
// the client does not know counts for nothing, and one witness counts once however many
// lines it added. A witness that signed the same size twice with two roots is caught by the
// client's consistency check (kt/search.h), not here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kt/checkpoint.h"
#include "kt/cosignature.h"
#include "kt/note_ed25519.h"

namespace bulwark::kt {

struct CheckpointPolicy {
  std::string origin;
  NoteVerifier log_key;
  std::vector<CosignerKey> witnesses;
  std::size_t quorum = 0;
};

struct TrustedCheckpoint {
  Checkpoint checkpoint;
  std::vector<std::string> cosigned_by;  // the configured witnesses whose cosignature verified
  std::uint64_t oldest_cosignature_time = 0;  // seconds; the staleness a client may bound
};

// Parses and verifies a signed checkpoint note. Errc::auth_failed without the log's valid
// signature or with fewer than `quorum` valid witness cosignatures; Errc::invalid_proof for
// another origin; the parser's errors for a malformed note or body.
[[nodiscard]] Result<TrustedCheckpoint> verify_checkpoint(const CheckpointPolicy& policy,
                                                          std::string_view signed_note);

}  // namespace bulwark::kt
