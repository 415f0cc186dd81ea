// Bounded Reader/Writer: the input is both a script of reads and the bytes read. No read may
// go past the end, every failure must leave the offset unchanged, and a Writer bounded at the
// input size must reproduce the bytes read.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "common/reader.h"
#include "common/writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  Reader reader(input);
  Writer writer(size);
  while (!reader.at_end()) {
    const std::size_t before = reader.offset();
    auto op = reader.u8();
    if (!op) break;
    writer.u8(*op);
    bool ok = true;
    switch (*op % 6) {
      case 0: { auto v = reader.u8(); ok = v.has_value(); if (ok) writer.u8(*v); break; }
      case 1: { auto v = reader.u16_be(); ok = v.has_value(); if (ok) writer.u16_be(*v); break; }
      case 2: { auto v = reader.u32_be(); ok = v.has_value(); if (ok) writer.u32_be(*v); break; }
      case 3: { auto v = reader.u64_be(); ok = v.has_value(); if (ok) writer.u64_be(*v); break; }
      case 4: { auto v = reader.bytes(*op / 6); ok = v.has_value(); if (ok) writer.bytes(*v); break; }
      default: (void)reader.expect_end(); break;
    }
    if (!ok && reader.offset() != before + 1) std::abort();  // a failed read consumed bytes
    if (!ok) break;
  }
  if (reader.offset() > size) std::abort();
  auto written = std::move(writer).finish();
  if (!written || written->size() != reader.offset()) std::abort();
  for (std::size_t i = 0; i < written->size(); ++i) {
    if ((*written)[i] != input[i]) std::abort();
  }
  return 0;
}
