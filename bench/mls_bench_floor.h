// Where Bulwark's time goes in issue 9's MLS benchmark: the public-key operations RFC 9420
// requires of each step of this scenario, priced at this machine's cost per operation (measured
// in the same run, in CPU time), against the step's measured CPU time. What is left over is the
// implementation's own cost: redundant checks, copies, encoding, hashing.
#pragma once

#include <cstdint>

#include "mls_bench_bulwark.h"
#include "mls_bench_figures.h"

namespace bulwark::bench {

// CPU microseconds per operation (the cheapest of a few batches: the floor is a lower bound).
struct PrimitiveCosts {
  double verify = 0;       // V: Ed25519 verification of a 300-byte message
  double key_check = 0;    // K: Ed25519PublicKey::from_bytes (canonical, prime-order point)
  double sign = 0;         // S: Ed25519 signature of a 300-byte message
  double hpke_seal = 0;    // H: EncryptWithLabel of a 32-byte secret (HPKE Base, X25519)
  double hpke_open = 0;    // O: DecryptWithLabel of the same
  double derive_key = 0;   // D: HPKE DeriveKeyPair (a path node's key pair)
  double signer_copy = 0;  // Ed25519SecretKey::from_seed: what copying a signer costs today
};

[[nodiscard]] PrimitiveCosts measure_primitive_costs(std::uint16_t suite);

// The mean of two measurements (taken before and after the group operations: the machine's
// speed drifts while it is shared).
[[nodiscard]] PrimitiveCosts mean_costs(const PrimitiveCosts& a, const PrimitiveCosts& b);

// Prints the floor of each operation beside its measured CPU time, then the primitives' costs
// measured before and after the operations; the floor uses their mean.
void print_mls_floor(const MlsBenchOptions& options, const MlsFigures& bulwark,
                     const PrimitiveCosts& before, const PrimitiveCosts& after);

}  // namespace bulwark::bench
