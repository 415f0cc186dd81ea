// Hex decoding of untrusted text: never crashes, and whatever decodes re-encodes to the same
// text in lower case.
#include "fuzz_target.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto decoded = bulwark::from_hex(text);
  if (!decoded) return 0;
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (bulwark::to_hex(*decoded) != lower) std::abort();
  return 0;
}
