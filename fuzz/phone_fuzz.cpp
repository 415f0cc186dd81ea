// Phone numbers as users type them, through libphonenumber (server/phone.h): the first thing
// the server does with a registration or lookup.
//
// Oracle: a normalised number is E.164 ("+" then 8-15 digits) and normalising it again gives
// the same number.
#include "fuzz_target.h"

#include <cstdlib>
#include <string>

#include "server/phone.h"

namespace {

void must(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto normalised = bulwark::server::normalize_phone(text);
  if (!normalised) return 0;
  must(normalised->size() >= 2 && normalised->size() <= 16 && normalised->front() == '+');
  must(normalised->find_first_not_of("0123456789", 1) == std::string::npos);
  auto again = bulwark::server::normalize_phone(*normalised);
  must(again && *again == *normalised);
  return 0;
}
