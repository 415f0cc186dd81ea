#include "crypto/vrf.h"

#include <algorithm>
#include <string_view>

#include "crypto/compare.h"
#include "crypto/detail/ct.h"
#include "crypto/detail/edwards25519.h"
#include "crypto/detail/hash_to_curve.h"
#include "crypto/detail/sodium.h"
#include "crypto/detail/vrf_internals.h"
#include "crypto/hash.h"

namespace bulwark::crypto {
namespace detail {
namespace {

constexpr std::byte domain_encode{0x01}, domain_challenge{0x02}, domain_hash{0x03};
constexpr std::byte domain_back{0x00};
constexpr std::size_t scalar_bytes = 32;

EdBytes first_32(ByteView bytes) noexcept {
  EdBytes out{};
  std::copy_n(bytes.begin(), out.size(), out.begin());
  return out;
}

// A 32-byte scalar reduced mod L (libsodium's reduction takes 64 bytes).
EdBytes reduce_32(ByteView scalar) noexcept {
  std::array<std::byte, 64> wide{};
  std::copy(scalar.begin(), scalar.end(), wide.begin());
  EdBytes out{};
  crypto_core_ed25519_scalar_reduce(uc(out.data()), uc(wide.data()));
  sodium_memzero(wide.data(), wide.size());
  return out;
}

// k * B. libsodium's fixed-base multiplication is constant time and three times faster than
// ours; it refuses only k = 0 mod L (the result would be the identity), which our general
// multiplication then handles. Whether it refused is declassified for the ct check.
EdBytes base_multiply(const EdBytes& k) noexcept {
  EdBytes out{};
  int rc = crypto_scalarmult_ed25519_base_noclamp(uc(out.data()), uc(k.data()));
  ct_declassify(&rc, sizeof rc);
  if (rc != 0) out = edwards_encode(edwards_scalarmult(k, edwards_base_point()));
  return out;
}

void wipe(EdBytes& bytes) noexcept { sodium_memzero(bytes.data(), bytes.size()); }

// ELL2's DST = "ECVRF_" || h2c_suite_ID_string || suite_string (RFC 9381 §5.4.1.2, §5.5).
constexpr std::string_view ell2_dst_prefix = "ECVRF_edwards25519_XMD:SHA-512_ELL2_NU_";

}  // namespace

std::byte vrf_suite_byte(VrfSuite suite) noexcept {
  switch (suite) {
    case VrfSuite::edwards25519_sha512_tai:
      return vrf_suite_tai;
    case VrfSuite::edwards25519_sha512_ell2:
      return vrf_suite_ell2;
  }
  contract_violation("VRF: unknown suite");
}

std::optional<VrfEncodedPoint> vrf_encode_to_curve_tai(ByteView public_key,
                                                       ByteView alpha) noexcept {
  for (unsigned ctr = 0; ctr <= 255; ++ctr) {
    const std::array<std::byte, 1> ctr_string{static_cast<std::byte>(ctr)};
    const std::array<std::byte, 2> prefix{vrf_suite_tai, domain_encode};
    const Sha512Digest hash = sha512({prefix, public_key, alpha, ctr_string, {&domain_back, 1}});
    // interpret_hash_value_as_a_point: RFC 8032 decoding of the first 32 bytes. Any curve
    // point is accepted here, torsion component included (libsodium's is_valid_point would
    // refuse 7 in 8 of them and so give different H than the RFC); multiplying by the cofactor
    // then lands in the prime-order subgroup.
    const auto candidate = edwards_decode(first_32(hash));
    if (!candidate) continue;
    const EdPoint h = edwards_mul_by_cofactor(*candidate);
    if (edwards_is_identity(h)) continue;  // a small-order candidate: see the header
    return VrfEncodedPoint{h, ctr};
  }
  return std::nullopt;
}

EdPoint vrf_encode_to_curve_ell2(ByteView public_key, ByteView alpha) {
  const Bytes dst = concat({as_bytes(ell2_dst_prefix), {&vrf_suite_ell2, 1}});
  return encode_to_curve_edwards25519_ell2(concat({public_key, alpha}), dst);
}

std::optional<EdPoint> vrf_encode_to_curve(VrfSuite suite, ByteView public_key, ByteView alpha) {
  if (vrf_suite_byte(suite) == vrf_suite_ell2) return vrf_encode_to_curve_ell2(public_key, alpha);
  const auto encoded = vrf_encode_to_curve_tai(public_key, alpha);
  if (!encoded) return std::nullopt;
  return encoded->point;
}

SecretBytes vrf_nonce(ByteView nonce_key, const EdBytes& h) noexcept {
  Sha512Digest k_string = sha512({nonce_key, h});
  SecretBytes k(scalar_bytes);
  crypto_core_ed25519_scalar_reduce(uc(k.writable().data()), uc(k_string.data()));
  sodium_memzero(k_string.data(), k_string.size());
  return k;
}

std::array<std::byte, vrf_challenge_bytes> vrf_challenge(ByteView public_key, const EdBytes& h,
                                                         const EdBytes& gamma, const EdBytes& u,
                                                         const EdBytes& v,
                                                         VrfSuite suite) noexcept {
  const std::array<std::byte, 2> prefix{vrf_suite_byte(suite), domain_challenge};
  const Sha512Digest c_string = sha512({prefix, public_key, h, gamma, u, v, {&domain_back, 1}});
  std::array<std::byte, vrf_challenge_bytes> c{};
  std::copy_n(c_string.begin(), c.size(), c.begin());
  return c;
}

VrfOutput vrf_gamma_to_hash(const EdPoint& gamma, VrfSuite suite) noexcept {
  const std::array<std::byte, 2> prefix{vrf_suite_byte(suite), domain_hash};
  const EdBytes cleared = edwards_encode(edwards_mul_by_cofactor(gamma));
  return sha512({prefix, cleared, {&domain_back, 1}});
}

VrfProof vrf_prove_traced(const VrfSecretKey& secret, ByteView alpha, VrfProofTrace* trace,
                          VrfSuite suite) {
  sodium_ready();
  const ByteView public_key = secret.public_key().bytes();
  const auto h_point = vrf_encode_to_curve(suite, public_key, alpha);
  if (!h_point) contract_violation("VRF: no counter hashes to the curve (probability 2^-256)");
  const EdBytes h = edwards_encode(*h_point);

  EdBytes x = first_32(secret.expanded().view());
  const EdBytes gamma = edwards_encode(edwards_scalarmult(x, *h_point));
  const SecretBytes k_secret = vrf_nonce(secret.expanded().view().subspan(scalar_bytes), h);
  EdBytes k = first_32(k_secret.view());
  const EdBytes u = base_multiply(k);
  const EdBytes v = edwards_encode(edwards_scalarmult(k, *h_point));
  const auto c = vrf_challenge(public_key, h, gamma, u, v, suite);

  // s = (k + c*x) mod L.
  EdBytes c_scalar{};
  std::copy(c.begin(), c.end(), c_scalar.begin());
  EdBytes x_reduced = reduce_32(x);
  EdBytes s{};
  crypto_core_ed25519_scalar_mul(uc(s.data()), uc(c_scalar.data()), uc(x_reduced.data()));
  crypto_core_ed25519_scalar_add(uc(s.data()), uc(s.data()), uc(k.data()));

  VrfProof proof{};
  auto out = std::copy(gamma.begin(), gamma.end(), proof.begin());
  out = std::copy(c.begin(), c.end(), out);
  std::copy(s.begin(), s.end(), out);
  if (trace != nullptr) *trace = VrfProofTrace{h, k, gamma, u, v};
  wipe(x);
  wipe(x_reduced);
  wipe(k);
  return proof;
}

}  // namespace detail

Result<VrfPublicKey> VrfPublicKey::from_bytes(ByteView bytes) {
  auto array = BULWARK_TRY(to_array<vrf_public_key_bytes>(bytes));
  const auto point = detail::edwards_decode(array);
  if (!point) return fail(Errc::invalid_encoding, "VRF public key is not a canonical curve point");
  if (detail::edwards_is_identity(detail::edwards_mul_by_cofactor(*point))) {
    return fail(Errc::weak_key, "VRF public key has small order");
  }
  return VrfPublicKey(array);
}

Result<VrfSecretKey> VrfSecretKey::from_seed(ByteView seed) {
  detail::sodium_ready();
  if (seed.size() != vrf_seed_bytes) return fail(Errc::invalid_length, "VRF seed must be 32 bytes");
  Sha512Digest digest = sha512(seed);
  digest[0] &= std::byte{248};
  digest[31] = (digest[31] & std::byte{127}) | std::byte{64};
  SecretBytes expanded = SecretBytes::copy_of(digest);
  sodium_memzero(digest.data(), digest.size());
  std::array<std::byte, vrf_public_key_bytes> public_key{};
  // Fails only for x = 0 mod L, which a clamped x hits with probability about 2^-250.
  if (crypto_scalarmult_ed25519_base_noclamp(detail::uc(public_key.data()),
                                             detail::uc(expanded.view().data())) != 0) {
    return fail(Errc::weak_key, "VRF seed gives a degenerate key");
  }
  return VrfSecretKey(std::move(expanded), VrfPublicKey(public_key));
}

VrfProof vrf_prove(const VrfSecretKey& secret, ByteView alpha, VrfSuite suite) {
  return detail::vrf_prove_traced(secret, alpha, nullptr, suite);
}

VrfOutput vrf_output(const VrfSecretKey& secret, ByteView alpha, VrfSuite suite) {
  detail::sodium_ready();
  const auto h = detail::vrf_encode_to_curve(suite, secret.public_key().bytes(), alpha);
  if (!h) contract_violation("VRF: no counter hashes to the curve (probability 2^-256)");
  detail::EdBytes x = detail::first_32(secret.expanded().view());
  detail::EdPoint gamma = detail::edwards_scalarmult(x, *h);
  detail::wipe(x);
  return detail::vrf_gamma_to_hash(gamma, suite);
}

Result<VrfOutput> vrf_verify(const VrfPublicKey& key, ByteView alpha, ByteView proof,
                             VrfSuite suite) {
  using detail::EdBytes;
  detail::sodium_ready();
  const auto rejected = [] { return fail(Errc::auth_failed, "VRF proof does not verify"); };
  if (proof.size() != vrf_proof_bytes) return rejected();
  const auto y = detail::edwards_decode(detail::first_32(key.bytes()));
  const EdBytes gamma_bytes = detail::first_32(proof);
  const auto gamma = detail::edwards_decode(gamma_bytes);
  if (!y || !gamma) return rejected();
  const ByteView c = proof.subspan(32, detail::vrf_challenge_bytes);
  const EdBytes s = detail::first_32(proof.subspan(32 + detail::vrf_challenge_bytes));
  if (detail::reduce_32(s) != s) return rejected();  // s >= L: a second encoding of s
  const auto h = detail::vrf_encode_to_curve(suite, key.bytes(), alpha);
  if (!h) return rejected();

  EdBytes c_scalar{};
  std::copy(c.begin(), c.end(), c_scalar.begin());
  // U = s*B - c*Y, V = s*H - c*Gamma.
  const detail::EdPoint u = detail::edwards_double_scalarmult_vartime(
      s, detail::edwards_base_point(), c_scalar, detail::edwards_negate(*y));
  const detail::EdPoint v = detail::edwards_double_scalarmult_vartime(
      s, *h, c_scalar, detail::edwards_negate(*gamma));
  const auto expected =
      detail::vrf_challenge(key.bytes(), detail::edwards_encode(*h), gamma_bytes,
                            detail::edwards_encode(u), detail::edwards_encode(v), suite);
  if (!constant_time_equal(c, expected)) return rejected();
  return detail::vrf_gamma_to_hash(*gamma, suite);
}

}  // namespace bulwark::crypto
