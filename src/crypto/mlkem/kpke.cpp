#include "crypto/mlkem/kpke.h"

#include <array>

#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto::mlkem {
namespace {

template <int K>
using PolyVec = std::array<Poly, K>;

template <class T>
void wipe(T& object) noexcept {
  secure_wipe({reinterpret_cast<std::byte*>(&object), sizeof object});
}

// SampleNTT(rho || j || i) (Algorithm 7). OpenSSL 3.0 cannot squeeze a SHAKE incrementally, so
// we ask for three blocks, enough in more than 99% of cases, and in the rare remaining cases
// recompute a longer output (SHAKE outputs are prefixes of each other). Public data only.
void sample_ntt(detail::KeccakContext& keccak, Poly& p, ConstBytes8 rho, std::uint8_t j,
                std::uint8_t i) noexcept {
  constexpr std::size_t shake128_rate = 168;
  constexpr std::size_t max_stream = 64 * shake128_rate;
  std::array<std::uint8_t, max_stream> stream;
  const std::array<std::uint8_t, 2> indices{j, i};
  std::size_t length = 3 * shake128_rate;
  for (;;) {
    keccak.hash(detail::Keccak::shake128, {as_byte_view(rho), as_byte_view(ConstBytes8(indices))},
                as_byte_view(Bytes8(stream).first(length)));
    if (poly_sample_ntt_from(p, ConstBytes8(stream).first(length)) == n) return;
    if (length == max_stream) contract_violation("SampleNTT: XOF output exhausted");
    length = std::min(length * 4, max_stream);
  }
}

// Row i of A (or of A^T when `transposed`), entries in the NTT domain.
template <int K>
void generate_matrix(detail::KeccakContext& keccak, std::array<PolyVec<K>, K>& a,
                     ConstBytes8 rho, bool transposed) noexcept {
  for (int i = 0; i < K; ++i) {
    for (int j = 0; j < K; ++j) {
      const auto row = static_cast<std::uint8_t>(i), column = static_cast<std::uint8_t>(j);
      // A[i][j] = SampleNTT(rho || j || i); A^T[i][j] = A[j][i].
      if (transposed) {
        sample_ntt(keccak, a[i][j], rho, row, column);
      } else {
        sample_ntt(keccak, a[i][j], rho, column, row);
      }
    }
  }
}

// SamplePolyCBD_2(PRF_2(seed, nonce)) (Algorithm 8 with PRF = SHAKE256(seed || nonce, 128)).
void sample_noise(detail::KeccakContext& keccak, Poly& p, ConstBytes8 seed,
                  std::uint8_t nonce) noexcept {
  std::array<std::uint8_t, 128> prf{};
  keccak.hash(detail::Keccak::shake256, {as_byte_view(seed), as_byte_view(ConstBytes8(&nonce, 1))},
              as_byte_view(Bytes8(prf)));
  poly_sample_cbd2(p, prf);
  wipe(prf);
}

template <int K>
void inner_product(Poly& r, const PolyVec<K>& a, const PolyVec<K>& b) noexcept {
  r = Poly{};
  for (int i = 0; i < K; ++i) poly_multiply_accumulate(r, a[i], b[i]);
  poly_reduce(r);
}

}  // namespace

template <class P>
void Kpke<P>::keygen(detail::KeccakContext& keccak, ConstBytes8 rho, ConstBytes8 sigma, Bytes8 ek,
                     Bytes8 dk) noexcept {
  constexpr int k = P::k;
  std::array<PolyVec<k>, k> a;
  generate_matrix<k>(keccak, a, rho, false);
  PolyVec<k> s, e, t;
  std::uint8_t nonce = 0;
  for (auto& p : s) sample_noise(keccak, p, sigma, nonce++);
  for (auto& p : e) sample_noise(keccak, p, sigma, nonce++);
  for (auto& p : s) poly_ntt(p);
  for (auto& p : e) poly_ntt(p);
  for (int i = 0; i < k; ++i) {
    inner_product<k>(t[i], a[i], s);
    poly_to_montgomery(t[i]);  // undo the 2^-16 of the Montgomery products
    poly_add(t[i], t[i], e[i]);
    poly_reduce(t[i]);
  }
  for (int i = 0; i < k; ++i) {
    poly_encode12(ek.subspan(poly_bytes * i, poly_bytes), t[i]);
    poly_encode12(dk.subspan(poly_bytes * i, poly_bytes), s[i]);
  }
  std::copy(rho.begin(), rho.end(), ek.begin() + P::polyvec_bytes);
  wipe(s);
  wipe(e);
}

template <class P>
void Kpke<P>::encrypt(detail::KeccakContext& keccak, ConstBytes8 ek, ConstBytes8 message,
                      ConstBytes8 randomness, Bytes8 ct) noexcept {
  constexpr int k = P::k;
  PolyVec<k> t;
  for (int i = 0; i < k; ++i) poly_decode12(t[i], ek.subspan(poly_bytes * i, poly_bytes));
  std::array<PolyVec<k>, k> a_transposed;
  generate_matrix<k>(keccak, a_transposed, ek.subspan(P::polyvec_bytes, 32), true);

  PolyVec<k> y, e1, u;
  Poly e2, v, mu;
  std::uint8_t nonce = 0;
  for (auto& p : y) sample_noise(keccak, p, randomness, nonce++);
  for (auto& p : e1) sample_noise(keccak, p, randomness, nonce++);
  sample_noise(keccak, e2, randomness, nonce++);
  for (auto& p : y) poly_ntt(p);

  for (int i = 0; i < k; ++i) {
    inner_product<k>(u[i], a_transposed[i], y);
    poly_inverse_ntt_to_montgomery(u[i]);
    poly_add(u[i], u[i], e1[i]);
    poly_reduce(u[i]);
  }
  inner_product<k>(v, t, y);
  poly_inverse_ntt_to_montgomery(v);
  poly_from_message(mu, message);
  poly_add(v, v, e2);
  poly_add(v, v, mu);
  poly_reduce(v);

  for (int i = 0; i < k; ++i) {
    poly_compress(ct.subspan(32 * P::du * i, 32 * P::du), u[i], P::du);
  }
  poly_compress(ct.subspan(P::ciphertext_u_bytes, P::ciphertext_v_bytes), v, P::dv);
  wipe(y);
  wipe(e1);
  wipe(e2);
  wipe(mu);
  wipe(u);
  wipe(v);
}

template <class P>
void Kpke<P>::decrypt(ConstBytes8 dk, ConstBytes8 ct, Bytes8 message) noexcept {
  constexpr int k = P::k;
  PolyVec<k> u, s;
  Poly v, w;
  for (int i = 0; i < k; ++i) {
    poly_decompress(u[i], ct.subspan(32 * P::du * i, 32 * P::du), P::du);
    poly_ntt(u[i]);
    poly_decode12(s[i], dk.subspan(poly_bytes * i, poly_bytes));
  }
  poly_decompress(v, ct.subspan(P::ciphertext_u_bytes, P::ciphertext_v_bytes), P::dv);
  inner_product<k>(w, s, u);
  poly_inverse_ntt_to_montgomery(w);
  poly_sub(w, v, w);
  poly_reduce(w);
  poly_to_message(message, w);
  wipe(s);
  wipe(w);
}

template struct Kpke<Params768>;
template struct Kpke<Params1024>;

}  // namespace bulwark::crypto::mlkem
