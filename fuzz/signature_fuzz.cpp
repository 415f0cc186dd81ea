// Signature verification on untrusted (key, signature, message): Ed25519 and XEdDSA.
//
// Byte 0 bit 0 picks raw or mutate. Raw: 32-byte key || 64-byte signature || message, as given;
// nothing may crash. Mutate: the rest is XORed into a valid key || signature || message, and
// verification must succeed if and only if no bit changed: both verifiers are strict (no
// malleable S, no second key encoding), so every single-bit change must be rejected.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "crypto/xeddsa.h"
#include "mutation.h"

namespace {

using namespace bulwark;
using namespace bulwark::crypto;

struct Split {
  ByteView key, signature, message;
};

Split split(ByteView input) {
  const ByteView key = input.first(std::min<std::size_t>(32, input.size()));
  const ByteView rest = input.subspan(key.size());
  const ByteView signature = rest.first(std::min<std::size_t>(64, rest.size()));
  return {key, signature, rest.subspan(signature.size())};
}

bool xeddsa_accepts(const Split& s) {
  auto key = X25519PublicKey::from_bytes(s.key);
  return key && xeddsa_verify(*key, s.message, s.signature).has_value();
}

bool ed25519_accepts(const Split& s) {
  auto key = Ed25519PublicKey::from_bytes(s.key);
  return key && ed25519_verify(*key, s.message, s.signature).has_value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView rest(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0) {
    (void)xeddsa_accepts(split(rest));
    (void)ed25519_accepts(split(rest));
    return 0;
  }
  fuzz::FixedRng rng{std::byte{0x5c}};
  const Bytes message = to_bytes(as_bytes("a prekey, serialised"));
  const auto montgomery = x25519_keypair(rng);
  const auto edwards = ed25519_keypair(rng);
  const Bytes x_valid = concat({montgomery.public_key.bytes(),
                                xeddsa_sign(montgomery.secret_key, message, rng), message});
  const Bytes e_valid = concat({edwards.public_key.bytes(),
                                ed25519_sign(edwards.secret_key, message), message});
  const fuzz::Mutated x = fuzz::xor_into(x_valid, rest);
  const fuzz::Mutated e = fuzz::xor_into(e_valid, rest);
  if (xeddsa_accepts(split(x.bytes)) == x.changed) std::abort();
  if (ed25519_accepts(split(e.bytes)) == e.changed) std::abort();
  return 0;
}
