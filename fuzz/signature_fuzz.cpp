// Signature verification on untrusted (key, signature, message) triples: Ed25519 and XEdDSA.
// Layout: 32-byte key || 64-byte signature || message. Random input must never verify under a
// key we hold, and nothing may crash.
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
  const ByteView key = input.first(std::min<std::size_t>(32, size));
  const ByteView rest = input.subspan(key.size());
  const ByteView signature = rest.first(std::min<std::size_t>(64, rest.size()));
  const ByteView message = rest.subspan(signature.size());
  if (auto x = X25519PublicKey::from_bytes(key)) (void)xeddsa_verify(*x, message, signature);
  if (auto e = Ed25519PublicKey::from_bytes(key)) (void)ed25519_verify(*e, message, signature);
  return 0;
}
