// KEM inputs from the network: encapsulation keys (peers' prekeys) and ciphertexts (PQXDH
// messages). Byte 0 picks the parameter set and the operation; the rest is the input. Wrong
// lengths and unreduced keys must be errors; a well-formed forged ciphertext must decapsulate
// (implicit rejection) and never crash.
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "crypto/kem.h"

namespace {

using namespace bulwark;
using namespace bulwark::crypto;

template <class Keypair, class Encapsulate, class Decapsulate>
void exercise(Keypair keypair_from_seed, Encapsulate encapsulate, Decapsulate decapsulate,
              bool decaps, ByteView input) {
  static const Bytes seed(64, std::byte{0x42});
  static const Bytes message(32, std::byte{0x24});
  if (decaps) {
    auto pair = keypair_from_seed(seed);
    if (!pair) std::abort();
    auto shared = decapsulate(pair->secret_key, input);
    if (shared && shared->size() != kem_shared_secret_bytes) std::abort();
    // A secret key field taken from the input: must be validated, never trusted.
    auto from_input = decapsulate(SecretBytes::copy_of(input), Bytes(input.size() % 1600));
    (void)from_input;
  } else {
    auto result = encapsulate(input, message);
    if (result && result->shared_secret.size() != kem_shared_secret_bytes) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  const bool decaps = (data[0] & 1) != 0;
  switch ((data[0] >> 1) % 3) {
    case 0:
      exercise(mlkem768::keypair_from_seed, mlkem768::encapsulate_with_message,
               mlkem768::decapsulate, decaps, input);
      break;
    case 1:
      exercise(mlkem1024::keypair_from_seed, mlkem1024::encapsulate_with_message,
               mlkem1024::decapsulate, decaps, input);
      break;
    default:
      exercise(kyber1024::keypair_from_seed, kyber1024::encapsulate_with_message,
               kyber1024::decapsulate, decaps, input);
      break;
  }
  return 0;
}
