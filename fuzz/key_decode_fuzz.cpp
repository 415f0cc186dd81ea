// Public-key decoding from untrusted bytes: X25519 (strict, and RFC 7748's lenient decoding),
// Ed25519, and the Montgomery-to-Edwards conversion XEdDSA verification relies on.
//
// Oracles: strict decoding accepts exactly the 32-byte strings that are canonical (top bit
// clear, u < p); and, treating the input as an X25519 secret, the XEdDSA signature made with it
// must verify, and must also verify as a plain Ed25519 signature under the converted key.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "crypto/detail/x25519_rfc7748.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "crypto/xeddsa.h"
#include "mutation.h"

namespace {

using namespace bulwark;
using namespace bulwark::crypto;

void must(bool condition) {
  if (!condition) std::abort();
}

// u < 2^255 - 19 with bit 255 clear, comparing from the most significant (last) byte down.
bool canonical(ByteView u) {
  if ((std::to_integer<unsigned>(u[31]) & 0x80) != 0) return false;
  for (std::size_t i = 31; i >= 1; --i) {
    const unsigned limit = i == 31 ? 0x7f : 0xff;
    if (std::to_integer<unsigned>(u[i]) < limit) return true;
  }
  return std::to_integer<unsigned>(u[0]) < 0xed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  auto strict = X25519PublicKey::from_bytes(input);
  auto lenient = crypto::detail::x25519_public_key_rfc7748(input);
  must(lenient.has_value() == (size == x25519_public_key_bytes));
  must(strict.has_value() == (size == x25519_public_key_bytes && canonical(input)));
  if (strict) {
    for (std::uint8_t sign : {0, 1}) (void)xeddsa_edwards_public_key(*strict, sign);
  }
  auto edwards = Ed25519PublicKey::from_bytes(input);
  must(!edwards || size == ed25519_public_key_bytes);

  if (auto secret = X25519SecretKey::from_bytes(input)) {
    fuzz::FixedRng rng{std::byte{0xa7}};
    const X25519PublicKey public_key = secret->public_key();
    const ByteView message = input.first(size / 2);
    XEdDsaSignature signature = xeddsa_sign(*secret, message, rng);
    must(xeddsa_verify(public_key, message, signature).has_value());
    const auto sign_bit = static_cast<std::uint8_t>(std::to_integer<unsigned>(signature[63]) >> 7);
    auto converted = xeddsa_edwards_public_key(public_key, sign_bit);
    must(converted.has_value());
    signature[63] &= std::byte{0x7f};
    must(ed25519_verify(*converted, message, signature).has_value());
  }
  return 0;
}
