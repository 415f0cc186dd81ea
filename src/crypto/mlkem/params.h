// ML-KEM parameter sets (FIPS 203 §8, Table 2). eta1 = eta2 = 2 for both sets we support.
#pragma once

#include <cstddef>

namespace bulwark::crypto::mlkem {

template <int K, int DU, int DV>
struct Params {
  static constexpr int k = K;
  static constexpr int du = DU;
  static constexpr int dv = DV;
  static constexpr std::size_t prf_bytes = 64 * 2;  // 64 * eta
  static constexpr std::size_t polyvec_bytes = 384 * K;
  static constexpr std::size_t public_key_bytes = polyvec_bytes + 32;
  static constexpr std::size_t secret_key_bytes = 2 * polyvec_bytes + 96;
  static constexpr std::size_t ciphertext_u_bytes = 32 * DU * K;
  static constexpr std::size_t ciphertext_v_bytes = 32 * DV;
  static constexpr std::size_t ciphertext_bytes = ciphertext_u_bytes + ciphertext_v_bytes;
};

using Params768 = Params<3, 10, 4>;
using Params1024 = Params<4, 11, 5>;

static_assert(Params768::public_key_bytes == 1184 && Params768::secret_key_bytes == 2400 &&
              Params768::ciphertext_bytes == 1088);
static_assert(Params1024::public_key_bytes == 1568 && Params1024::secret_key_bytes == 3168 &&
              Params1024::ciphertext_bytes == 1568);

}  // namespace bulwark::crypto::mlkem
