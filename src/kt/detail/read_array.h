// A fixed-size field read from a bounded Reader, for the kt decoders (wire.cpp,
// account_record.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

#include "common/reader.h"

namespace bulwark::kt::detail {

template <std::size_t N>
[[nodiscard]] Result<std::array<std::byte, N>> read_array(Reader& reader) {
  const ByteView bytes = BULWARK_TRY(reader.bytes(N));
  std::array<std::byte, N> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

}  // namespace bulwark::kt::detail
