// Constant-time comparison of MACs, tags and secrets.
//
// The running time depends on the lengths only, never on the contents: lengths are public,
// contents may be secret. Never compare MACs with memcmp or operator==.
#pragma once

#include "common/bytes.h"

namespace bulwark::crypto {

// True when a and b have the same length and the same bytes.
[[nodiscard]] bool constant_time_equal(ByteView a, ByteView b) noexcept;

}  // namespace bulwark::crypto
