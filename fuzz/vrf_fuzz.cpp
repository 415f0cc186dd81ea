// ECVRF verification (crypto/vrf.h), both suites, on untrusted (key, alpha, proof).
//
// Byte 0 bit 0 picks raw or mutate, bit 1 the suite (0: TAI, 1: ELL2). Raw: 32-byte key ||
// 80-byte proof || alpha, as given, into VrfPublicKey::from_bytes and vrf_verify; nothing may
// crash, and an accepted proof must give the same beta twice. Mutate: the rest is XORed into a
// valid key || proof || alpha, and verification must succeed if and only if no bit changed
// (keys and proofs have one encoding each: canonical points, s < L; a changed alpha or key
// changes H), returning the prover's beta; and no such input verifies under the other suite.
#include "fuzz_target.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "crypto/vrf.h"
#include "mutation.h"

namespace {

using namespace bulwark;
using namespace bulwark::crypto;

struct Split {
  ByteView key, proof, alpha;
};

Split split(ByteView input) {
  const ByteView key = input.first(std::min<std::size_t>(vrf_public_key_bytes, input.size()));
  const ByteView rest = input.subspan(key.size());
  const ByteView proof = rest.first(std::min<std::size_t>(vrf_proof_bytes, rest.size()));
  return {key, proof, rest.subspan(proof.size())};
}

Result<VrfOutput> verify(const Split& s, VrfSuite suite) {
  auto key = VrfPublicKey::from_bytes(s.key);
  if (!key) return tl::unexpected(key.error());
  return vrf_verify(*key, s.alpha, s.proof, suite);
}

const VrfSecretKey& fixed_key() {
  static const VrfSecretKey key = [] {
    fuzz::FixedRng rng{std::byte{0x3c}};
    Bytes seed(vrf_seed_bytes);
    rng.fill(seed);
    auto secret = VrfSecretKey::from_seed(seed);
    if (!secret) std::abort();
    return std::move(*secret);
  }();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView rest(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  const VrfSuite suite = (data[0] & 2) != 0 ? VrfSuite::edwards25519_sha512_ell2
                                            : VrfSuite::edwards25519_sha512_tai;
  const VrfSuite other = suite == VrfSuite::edwards25519_sha512_ell2
                             ? VrfSuite::edwards25519_sha512_tai
                             : VrfSuite::edwards25519_sha512_ell2;
  if ((data[0] & 1) != 0) {
    const Split s = split(rest);
    const auto first = verify(s, suite);
    const auto second = verify(s, suite);
    if (first.has_value() != second.has_value() || (first && *first != *second)) std::abort();
    return 0;
  }
  const VrfSecretKey& secret = fixed_key();
  const Bytes alpha = to_bytes(as_bytes("user@example.org"));
  const Bytes valid =
      concat({secret.public_key().bytes(), vrf_prove(secret, alpha, suite), alpha});
  const fuzz::Mutated m = fuzz::xor_into(valid, rest);
  const auto result = verify(split(m.bytes), suite);
  if (result.has_value() == m.changed) std::abort();
  if (result && *result != vrf_output(secret, alpha, suite)) std::abort();
  if (verify(split(m.bytes), other).has_value()) std::abort();
  return 0;
}
