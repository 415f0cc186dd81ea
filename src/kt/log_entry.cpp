#include "kt/log_entry.h"

#include <array>

namespace bulwark::kt {

Hash log_entry_leaf(const LogEntry& entry) {
  std::array<std::byte, 8 + hash_bytes> encoded{};
  for (int i = 0; i < 8; ++i) {
    encoded[static_cast<std::size_t>(i)] =
        static_cast<std::byte>(entry.timestamp_ms >> (56 - 8 * i));
  }
  std::copy(entry.prefix_root.begin(), entry.prefix_root.end(), encoded.begin() + 8);
  return leaf_hash(encoded);
}

}  // namespace bulwark::kt
