#include "crypto/random.h"

#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

void random_bytes(MutableByteView out) noexcept {
  detail::sodium_ready();
  randombytes_buf(out.data(), out.size());
}

}  // namespace bulwark::crypto
