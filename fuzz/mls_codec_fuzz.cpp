// The MLS codec: any input read as a script of varints, opaque vectors and presence bytes must
// fail cleanly or re-encode to exactly the bytes it read (one encoding per value).
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "protocol/mls/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  using namespace bulwark::protocol::mls;
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  TlsReader reader(input);
  TlsWriter writer(size);
  std::size_t consumed = 0;
  while (!reader.at_end()) {
    auto op = reader.u8();
    if (!op) break;
    writer.u8(*op);
    bool ok = true;
    switch (*op % 3) {
      case 0: { auto v = reader.varint(); ok = v.has_value(); if (ok) writer.varint(*v); break; }
      case 1: { auto v = reader.opaque(*op); ok = v.has_value(); if (ok) writer.opaque(*v); break; }
      default: { auto v = reader.present(); ok = v.has_value(); if (ok) writer.present(*v); break; }
    }
    if (!ok) break;
    consumed = reader.offset();
  }
  auto written = std::move(writer).finish();
  if (!written) return 0;  // the failing read's opcode byte may not fit; nothing to compare
  if (written->size() < consumed) std::abort();
  for (std::size_t i = 0; i < consumed; ++i) {
    if ((*written)[i] != input[i]) std::abort();
  }
  return 0;
}
