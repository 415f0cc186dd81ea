// Checkpoints, C2SP tlog-checkpoint v1.0.0 (c2sp.org/tlog-checkpoint, C2SP/C2SP@5ba5ee83):
// the text of a signed note (kt/note.h) that states a log's tree head.
//
//   <origin>            the log's identity, non-empty
//   <size>              decimal tree size, no leading zeros (0 for the empty tree)
//   <base64(root)>      the RFC 6962 root hash (kt/merkle.h) at that size
//   [<extension>]...    optional, opaque, non-empty lines
//
// every line ended by "\n". The body is what the log signs (kt/note_ed25519.h) and what a
// cosignature/v1 covers (kt/cosignature.h), extension lines included.
//
// Invariants of a Checkpoint that parse_checkpoint_body returns (and checkpoint_body
// requires): the origin and every extension line are non-empty lines of note text (valid
// UTF-8, no newline or other control character); size <= checkpoint_max_size, the largest
// value Go's int64 and so every C2SP implementation reads.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kt/merkle.h"

namespace bulwark::kt {

inline constexpr std::uint64_t checkpoint_max_size =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The note text of `checkpoint`. Requires the invariants above; contract_violation otherwise.
[[nodiscard]] std::string checkpoint_body(const Checkpoint& checkpoint);

// Parses a note text as a checkpoint: Errc::invalid_encoding for a missing, empty or
// unterminated line, a size with a sign, leading zeros or above checkpoint_max_size, a root
// that is not canonical base64, or text that is not a note text; Errc::invalid_length for a
// root that is not 32 bytes or a body over note_max_bytes. checkpoint_body of the result
// gives back `text` exactly.
[[nodiscard]] Result<Checkpoint> parse_checkpoint_body(std::string_view text);

}  // namespace bulwark::kt
