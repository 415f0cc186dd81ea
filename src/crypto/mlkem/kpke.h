// K-PKE, the CPA-secure encryption scheme under ML-KEM (FIPS 203 §5, Algorithms 13-15).
//
// Preconditions (callers check them; the KEM layer does): ek has passed the modulus check,
// every span has the exact length its parameter set gives. All secret-dependent work is
// constant-time; the matrix A is expanded from the public seed rho.
#pragma once

#include "crypto/detail/keccak.h"
#include "crypto/mlkem/params.h"
#include "crypto/mlkem/poly.h"

namespace bulwark::crypto::mlkem {

template <class P>
struct Kpke {
  // K-PKE.KeyGen from (rho, sigma) = G(...): ek = ByteEncode12(t) || rho, dk = ByteEncode12(s).
  static void keygen(detail::KeccakContext& keccak, ConstBytes8 rho, ConstBytes8 sigma,
                     Bytes8 ek, Bytes8 dk) noexcept;
  // K-PKE.Encrypt(ek, m, r) into ct.
  static void encrypt(detail::KeccakContext& keccak, ConstBytes8 ek, ConstBytes8 message,
                      ConstBytes8 randomness, Bytes8 ct) noexcept;
  // K-PKE.Decrypt(dk, ct) into a 32-byte message.
  static void decrypt(ConstBytes8 dk, ConstBytes8 ct, Bytes8 message) noexcept;
};

extern template struct Kpke<Params768>;
extern template struct Kpke<Params1024>;

}  // namespace bulwark::crypto::mlkem
