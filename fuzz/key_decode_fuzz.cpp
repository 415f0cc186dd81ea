// Public-key decoding from untrusted bytes: X25519 (strict and RFC 7748 lenient), Ed25519,
// and the Montgomery-to-Edwards conversion XEdDSA verification relies on.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "crypto/xeddsa.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  using namespace bulwark::crypto;
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  auto strict = X25519PublicKey::from_bytes(input);
  auto lenient = X25519PublicKey::from_bytes_lenient(input);
  if (strict && !lenient) std::abort();  // strict accepts a subset of lenient
  if (strict) {
    for (std::uint8_t sign : {0, 1}) (void)xeddsa_edwards_public_key(*strict, sign);
  }
  auto edwards = Ed25519PublicKey::from_bytes(input);
  if (edwards && size != ed25519_public_key_bytes) std::abort();
  return 0;
}
