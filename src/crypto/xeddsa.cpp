#include "crypto/xeddsa.h"

#include <openssl/bn.h>

#include <memory>

#include "crypto/detail/ct.h"
#include "crypto/detail/sodium.h"
#include "crypto/hash.h"

namespace bulwark::crypto {
namespace {

using Scalar = std::array<std::byte, crypto_core_ed25519_SCALARBYTES>;
using Point = std::array<std::byte, crypto_core_ed25519_BYTES>;

// hash_1 of the XEdDSA specification: SHA-512 over the 32-byte encoding of 2^256 - 2.
constexpr std::array<std::byte, 32> hash1_prefix = [] {
  std::array<std::byte, 32> prefix{};
  prefix.fill(std::byte{0xff});
  prefix[0] = std::byte{0xfe};
  return prefix;
}();

Scalar reduce(const Sha512Digest& wide) noexcept {
  Scalar out{};
  crypto_core_ed25519_scalar_reduce(detail::uc(out.data()), detail::uc(wide.data()));
  return out;
}

// scalar * B. libsodium fails only for a scalar that is 0 mod L (never for a clamped key or a
// hashed nonce); whether it did is not secret, so the flag is declassified for the ct check.
int base_multiply(Point& out, const Scalar& scalar) noexcept {
  int rc = crypto_scalarmult_ed25519_base_noclamp(detail::uc(out.data()), detail::uc(scalar.data()));
  detail::ct_declassify(&rc, sizeof rc);
  return rc;
}

struct BnDeleter {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
struct BnCtxDeleter {
  void operator()(BN_CTX* ctx) const noexcept { BN_CTX_free(ctx); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

// Edwards y = (u - 1) / (u + 1) mod p for the birational map of RFC 7748 §4.1. Public inputs
// only, so OpenSSL's general (not constant-time) modular arithmetic is fine here.
Result<Point> edwards_y_from_montgomery_u(ByteView u_bytes) {
  std::array<std::byte, 32> masked{};
  std::copy(u_bytes.begin(), u_bytes.end(), masked.begin());
  masked[31] &= std::byte{0x7f};
  std::unique_ptr<BN_CTX, BnCtxDeleter> ctx(BN_CTX_new());
  Bn p(BN_new()), u(BN_lebin2bn(detail::uc(masked.data()), 32, nullptr)), num(BN_new()),
      den(BN_new()), y(BN_new());
  if (!ctx || !p || !u || !num || !den || !y) return fail(Errc::internal, "out of memory");
  bool ok = BN_set_word(p.get(), 1) == 1 && BN_lshift(p.get(), p.get(), 255) == 1 &&
            BN_sub_word(p.get(), 19) == 1 && BN_nnmod(u.get(), u.get(), p.get(), ctx.get()) == 1 &&
            BN_copy(num.get(), u.get()) != nullptr && BN_copy(den.get(), u.get()) != nullptr &&
            BN_add_word(den.get(), 1) == 1 && BN_nnmod(den.get(), den.get(), p.get(), ctx.get()) == 1 &&
            BN_add(num.get(), num.get(), p.get()) == 1 && BN_sub_word(num.get(), 1) == 1;
  if (!ok) return fail(Errc::internal, "field arithmetic failed");
  if (BN_is_zero(den.get())) return fail(Errc::invalid_encoding, "u = -1 has no Edwards form");
  ok = BN_mod_inverse(den.get(), den.get(), p.get(), ctx.get()) != nullptr &&
       BN_mod_mul(y.get(), num.get(), den.get(), p.get(), ctx.get()) == 1;
  Point out{};
  if (!ok || BN_bn2lebinpad(y.get(), detail::uc(out.data()), 32) != 32) {
    return fail(Errc::internal, "field arithmetic failed");
  }
  return out;
}

}  // namespace

XEdDsaSignature xeddsa_sign(const X25519SecretKey& secret, ByteView message, Rng& rng) {
  detail::sodium_ready();
  const ByteView k = secret.bytes().view();

  Sha512Digest wide{};
  std::copy(k.begin(), k.end(), wide.begin());
  Scalar a = reduce(wide);
  Point big_a{};
  if (base_multiply(big_a, a) != 0) contract_violation("XEdDSA: clamped X25519 scalar is zero mod L");
  const std::byte sign_bit = big_a[31] & std::byte{0x80};

  std::array<std::byte, 64> z{};
  rng.fill(z);
  Sha512Digest nonce_hash = sha512({hash1_prefix, k, message, z});
  Scalar r = reduce(nonce_hash);
  Point big_r{};
  if (base_multiply(big_r, r) != 0) contract_violation("XEdDSA: nonce is zero mod L");
  const Scalar h = reduce(sha512({big_r, big_a, message}));

  Scalar s{};
  crypto_core_ed25519_scalar_mul(detail::uc(s.data()), detail::uc(h.data()), detail::uc(a.data()));
  crypto_core_ed25519_scalar_add(detail::uc(s.data()), detail::uc(s.data()), detail::uc(r.data()));

  XEdDsaSignature signature{};
  std::copy(big_r.begin(), big_r.end(), signature.begin());
  std::copy(s.begin(), s.end(), signature.begin() + 32);
  signature[63] = (signature[63] & std::byte{0x7f}) | sign_bit;

  sodium_memzero(wide.data(), wide.size());
  sodium_memzero(a.data(), a.size());
  sodium_memzero(z.data(), z.size());
  sodium_memzero(nonce_hash.data(), nonce_hash.size());
  sodium_memzero(r.data(), r.size());
  return signature;
}

Result<Ed25519PublicKey> xeddsa_edwards_public_key(const X25519PublicKey& key,
                                                   std::uint8_t sign_bit) {
  if (sign_bit > 1) return fail(Errc::invalid_argument, "sign bit must be 0 or 1");
  Point y = BULWARK_TRY(edwards_y_from_montgomery_u(key.bytes()));
  y[31] |= static_cast<std::byte>(sign_bit << 7);
  return Ed25519PublicKey::from_bytes(y);
}

Result<void> xeddsa_verify(const X25519PublicKey& key, ByteView message, ByteView signature) {
  if (signature.size() != xeddsa_signature_bytes) {
    return fail(Errc::auth_failed, "signature verification failed");
  }
  detail::sodium_ready();
  const auto sign_bit = static_cast<std::uint8_t>(std::to_integer<unsigned>(signature[63]) >> 7);
  auto edwards_key = edwards_y_from_montgomery_u(key.bytes());
  if (!edwards_key) return fail(Errc::auth_failed, "signature verification failed");
  (*edwards_key)[31] |= static_cast<std::byte>(sign_bit << 7);
  XEdDsaSignature plain{};
  std::copy(signature.begin(), signature.end(), plain.begin());
  plain[63] &= std::byte{0x7f};
  // Straight to libsodium, without Ed25519PublicKey's prime-order-subgroup check: that check
  // costs a scalar multiplication (38% of a verification), libsignal does not make it, and
  // libsodium's verify still rejects small-order and non-canonical keys and scalars.
  if (crypto_sign_verify_detached(detail::uc(plain.data()), detail::uc_nonnull(message),
                                  message.size(), detail::uc(edwards_key->data())) != 0)
    return fail(Errc::auth_failed, "signature verification failed");
  return {};
}

}  // namespace bulwark::crypto
