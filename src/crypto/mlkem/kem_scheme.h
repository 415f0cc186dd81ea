// ML-KEM (FIPS 203 §6-7, Algorithms 16-21) and Kyber round 3 on top of K-PKE.
//
// The two differ only in the hashing around K-PKE (see crypto/kem.h); Variant selects it at
// compile time. Inputs are validated here (lengths, modulus check, hash check) before any
// secret is touched; after that every path is constant-time, including the implicit-rejection
// choice, which selects bytes with a mask instead of branching on the ciphertext comparison.
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "crypto/kem.h"
#include "crypto/mlkem/params.h"

namespace bulwark::crypto::mlkem {

enum class Variant { fips203, kyber_round3 };

template <class P, Variant V>
struct KemScheme {
  static Result<KemKeyPair> keypair_from_seed(ByteView seed);
  static Result<void> check_public_key(ByteView public_key);
  static Result<KemEncapsulation> encapsulate(ByteView public_key, ByteView message);
  static Result<SecretBytes> decapsulate(const SecretBytes& secret_key, ByteView ciphertext);
};

extern template struct KemScheme<Params768, Variant::fips203>;
extern template struct KemScheme<Params1024, Variant::fips203>;
extern template struct KemScheme<Params1024, Variant::kyber_round3>;

}  // namespace bulwark::crypto::mlkem
