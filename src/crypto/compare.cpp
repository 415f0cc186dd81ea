#include "crypto/compare.h"

#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

bool constant_time_equal(ByteView a, ByteView b) noexcept {
  if (a.size() != b.size()) return false;  // lengths are public
  if (a.empty()) return true;
  // sodium_memcmp accumulates the XOR of every byte pair before deciding: no early exit.
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bulwark::crypto
