// Internal: annotations for the constant-time check (tests/crypto/ct/).
//
// Under the ctgrind technique, secrets are marked "undefined" for valgrind memcheck, which then
// reports every branch or memory index that depends on them. A value that is public by design
// (a rejection flag the caller is told about anyway) is declassified here, in the one place
// where that decision is made. Outside the ctgrind build these compile to nothing.
#pragma once

#include <cstddef>

#if defined(BULWARK_CTGRIND)
#include <valgrind/memcheck.h>
#endif

namespace bulwark::crypto::detail {

inline void ct_declassify([[maybe_unused]] const void* data,
                          [[maybe_unused]] std::size_t size) noexcept {
#if defined(BULWARK_CTGRIND)
  (void)VALGRIND_MAKE_MEM_DEFINED(data, size);
#endif
}

}  // namespace bulwark::crypto::detail
