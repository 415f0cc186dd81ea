// Decryption of untrusted ciphertexts: AES-256-GCM, ChaCha20-Poly1305 and AES-256-CBC.
//
// Byte 0 bit 0 picks raw or mutate. Raw: the rest is a ciphertext under a fixed key; the
// AEADs must refuse it with auth_failed. Mutate: the rest is XORed into a valid AEAD
// ciphertext, which must open if and only if nothing changed. CBC is unauthenticated: only
// the length rules and the absence of crashes are checked.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>
#include <utility>

#include "crypto/aead.h"
#include "crypto/cbc.h"
#include "mutation.h"

namespace {

void must(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  using namespace bulwark::crypto;
  if (size == 0) return 0;
  const ByteView rest(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  const Bytes key(32, std::byte{0x11}), nonce(12, std::byte{0x22}), iv(16, std::byte{0x33});
  const Bytes aad = to_bytes(as_bytes("header"));
  const Bytes plaintext = to_bytes(as_bytes("attack at dawn, bring the documents"));

  using Cipher = Result<Bytes> (*)(ByteView, ByteView, ByteView, ByteView);
  const std::pair<Cipher, Cipher> aeads[] = {{aes256gcm_encrypt, aes256gcm_decrypt},
                                             {chacha20poly1305_encrypt, chacha20poly1305_decrypt}};
  for (auto [encrypt, decrypt] : aeads) {
    if ((data[0] & 1) != 0) {
      auto opened = decrypt(key, nonce, rest, aad);
      must(!opened && opened.error().code == Errc::auth_failed);
      continue;
    }
    auto sealed = encrypt(key, nonce, plaintext, aad);
    must(sealed.has_value());
    const fuzz::Mutated forged = fuzz::xor_into(*sealed, rest);
    auto opened = decrypt(key, nonce, forged.bytes, aad);
    must(opened.has_value() == !forged.changed);
    if (opened) must(*opened == plaintext);
  }

  auto cbc = aes256cbc_decrypt(key, iv, rest);
  if (cbc) must(cbc->size() < rest.size() && rest.size() - cbc->size() <= 16);
  if (!cbc) must(cbc.error().code == Errc::auth_failed);
  return 0;
}
