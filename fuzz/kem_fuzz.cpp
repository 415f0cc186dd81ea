// KEM inputs from the network: encapsulation keys (peers' prekeys) and ciphertexts (PQXDH
// messages), for ML-KEM-768, ML-KEM-1024 and Kyber1024.
//
// Byte 0: bits 0-1 pick the parameter set, bit 2 encapsulate/decapsulate, bit 3 raw/mutate.
// Raw: the rest is the key or ciphertext as is. Mutate: byte 1 shortens or lengthens a valid
// key or ciphertext by up to 3 bytes, and the rest is XORed into it. Oracles: a key is accepted
// exactly when its length is right and every coefficient is below q (checked here by an
// independent decoder); any ciphertext of the right length decapsulates, to the encapsulated
// secret if and only if it was not changed (implicit rejection otherwise).
#include "fuzz_target.h"

#include <cstdint>
#include <cstdlib>

#include "crypto/detail/kem_internal.h"
#include "crypto/kem.h"
#include "mutation.h"

namespace {

using namespace bulwark;
using namespace bulwark::crypto;

struct Scheme {
  Result<KemKeyPair> (*keypair_from_seed)(ByteView);
  Result<KemEncapsulation> (*encapsulate)(ByteView, ByteView);
  Result<SecretBytes> (*decapsulate)(const SecretBytes&, ByteView);
};

constexpr Scheme schemes[] = {
    {mlkem768::keypair_from_seed, crypto::detail::mlkem768::encapsulate_with_message, mlkem768::decapsulate},
    {mlkem1024::keypair_from_seed, crypto::detail::mlkem1024::encapsulate_with_message, mlkem1024::decapsulate},
    {kyber1024::keypair_from_seed, crypto::detail::kyber1024::encapsulate_with_message, kyber1024::decapsulate},
};

void must(bool condition) {
  if (!condition) std::abort();
}

// The FIPS 203 §7.2 modulus check, written independently of the library: every 12-bit value
// of the encoded vector t (all but the last 32 bytes, rho) must be below q = 3329.
bool coefficients_reduced(ByteView key) {
  const ByteView t = key.first(key.size() - 32);
  for (std::size_t i = 0; i + 3 <= t.size(); i += 3) {
    const unsigned b0 = std::to_integer<unsigned>(t[i]), b1 = std::to_integer<unsigned>(t[i + 1]),
                   b2 = std::to_integer<unsigned>(t[i + 2]);
    if ((b0 | ((b1 & 0x0f) << 8)) >= 3329 || ((b1 >> 4) | (b2 << 4)) >= 3329) return false;
  }
  return true;
}

Bytes resized(Bytes bytes, std::uint8_t delta_byte) {
  const int delta = static_cast<int>(delta_byte % 7) - 3;  // -3..+3
  bytes.resize(static_cast<std::size_t>(static_cast<int>(bytes.size()) + delta));
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Scheme& scheme = schemes[(data[0] & 3) % 3];
  const bool decapsulating = (data[0] & 4) != 0;
  const bool raw = (data[0] & 8) != 0;
  const ByteView rest(reinterpret_cast<const std::byte*>(data) + 2, size - 2);

  const Bytes seed(64, std::byte{0x42}), message(32, std::byte{0x24});
  auto pair = scheme.keypair_from_seed(seed);
  must(pair.has_value());
  auto valid = scheme.encapsulate(pair->public_key, message);
  must(valid.has_value());

  const ByteView base = decapsulating ? ByteView(valid->ciphertext) : ByteView(pair->public_key);
  fuzz::Mutated input = raw ? fuzz::Mutated{to_bytes(rest), true} : fuzz::xor_into(base, rest);
  if (!raw) input.bytes = resized(std::move(input.bytes), data[1]);
  const bool right_length = input.bytes.size() == base.size();
  if (!right_length) input.changed = true;

  if (decapsulating) {
    auto shared = scheme.decapsulate(pair->secret_key, input.bytes);
    must(shared.has_value() == right_length);
    if (shared) {
      const bool same = to_bytes(shared->view()) == to_bytes(valid->shared_secret.view());
      must(same == !input.changed);
    }
  } else {
    auto result = scheme.encapsulate(input.bytes, message);
    must(result.has_value() == (right_length && coefficients_reduced(input.bytes)));
    if (result) must(result->shared_secret.size() == kem_shared_secret_bytes);
  }
  return 0;
}
