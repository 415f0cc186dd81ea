// Decryption of untrusted ciphertexts under a fixed key: AES-256-GCM, ChaCha20-Poly1305 and
// AES-256-CBC. Forged input must fail with auth_failed (or, for CBC, decrypt to garbage with
// valid padding), never crash or return a wrongly sized plaintext.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "crypto/aead.h"
#include "crypto/cbc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  using namespace bulwark::crypto;
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  const Bytes key(32, std::byte{0x11}), nonce(12, std::byte{0x22}), iv(16, std::byte{0x33});
  const ByteView aad = input.first(std::min<std::size_t>(size, 13));
  for (auto decrypt : {aes256gcm_decrypt, chacha20poly1305_decrypt}) {
    auto plain = decrypt(key, nonce, input, aad);
    if (plain) std::abort();  // a random input forging a 128-bit tag: impossible in practice
    if (plain.error().code != Errc::auth_failed) std::abort();
  }
  auto cbc = aes256cbc_decrypt(key, iv, input);
  if (cbc && (cbc->size() >= size || size - cbc->size() > 16)) std::abort();
  if (!cbc && cbc.error().code != Errc::auth_failed) std::abort();
  return 0;
}
