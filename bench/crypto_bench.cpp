// Throughput of every crypto primitive (items/s = operations per second), and, in the same
// run, the cost of one ML-KEM-768 encapsulation + decapsulation relative to one X25519 scalar
// multiplication. Goal: <= 2.5 (the FIPS 203 reference implementation's cost class); below 1.5
// is excellent.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/crypto.h"
#include "interleaved_ratio.h"
#include "ratio_reporter.h"

namespace bulwark::crypto {
namespace {

Bytes filled(std::size_t size, std::uint8_t value = 0x5a) {
  return Bytes(size, static_cast<std::byte>(value));
}

template <class Fn>
void run_ops(benchmark::State& state, Fn&& fn) {
  for (auto _ : state) fn();
  state.SetItemsProcessed(state.iterations());
}

void BM_X25519(benchmark::State& state) {
  SystemRng rng;
  const auto alice = x25519_keypair(rng);
  const auto bob = x25519_keypair(rng);
  run_ops(state, [&] { benchmark::DoNotOptimize(x25519(alice.secret_key, bob.public_key)); });
}
BENCHMARK(BM_X25519);

void BM_X25519Keypair(benchmark::State& state) {
  SystemRng rng;
  run_ops(state, [&] { benchmark::DoNotOptimize(x25519_keypair(rng)); });
}
BENCHMARK(BM_X25519Keypair);

void BM_Ed25519Sign(benchmark::State& state) {
  SystemRng rng;
  const auto pair = ed25519_keypair(rng);
  const Bytes message = filled(100);
  run_ops(state, [&] { benchmark::DoNotOptimize(ed25519_sign(pair.secret_key, message)); });
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& state) {
  SystemRng rng;
  const auto pair = ed25519_keypair(rng);
  const Bytes message = filled(100);
  const auto signature = ed25519_sign(pair.secret_key, message);
  run_ops(state, [&] { benchmark::DoNotOptimize(ed25519_verify(pair.public_key, message, signature)); });
}
BENCHMARK(BM_Ed25519Verify);

void BM_XEdDsaSign(benchmark::State& state) {
  SystemRng rng;
  const auto pair = x25519_keypair(rng);
  const Bytes message = filled(33);
  run_ops(state, [&] { benchmark::DoNotOptimize(xeddsa_sign(pair.secret_key, message, rng)); });
}
BENCHMARK(BM_XEdDsaSign);

void BM_XEdDsaVerify(benchmark::State& state) {
  SystemRng rng;
  const auto pair = x25519_keypair(rng);
  const Bytes message = filled(33);
  const auto signature = xeddsa_sign(pair.secret_key, message, rng);
  run_ops(state, [&] { benchmark::DoNotOptimize(xeddsa_verify(pair.public_key, message, signature)); });
}
BENCHMARK(BM_XEdDsaVerify);

// RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI. vrf_output is the server's per-label cost.
VrfSecretKey vrf_key() {
  auto key = VrfSecretKey::from_seed(filled(vrf_seed_bytes, 0x11));
  if (!key) std::abort();
  return std::move(*key);
}

void BM_VrfProve(benchmark::State& state) {
  const VrfSecretKey key = vrf_key();
  const Bytes alpha = filled(32);
  run_ops(state, [&] { benchmark::DoNotOptimize(vrf_prove(key, alpha)); });
}
BENCHMARK(BM_VrfProve);

void BM_VrfOutput(benchmark::State& state) {
  const VrfSecretKey key = vrf_key();
  Bytes alpha = filled(32);
  std::uint8_t n = 0;
  run_ops(state, [&] {
    alpha[0] = static_cast<std::byte>(n++);  // a new label each time: new try-and-increment runs
    benchmark::DoNotOptimize(vrf_output(key, alpha));
  });
}
BENCHMARK(BM_VrfOutput);

void BM_VrfVerify(benchmark::State& state) {
  const VrfSecretKey key = vrf_key();
  const Bytes alpha = filled(32);
  const VrfProof proof = vrf_prove(key, alpha);
  run_ops(state, [&] { benchmark::DoNotOptimize(vrf_verify(key.public_key(), alpha, proof)); });
}
BENCHMARK(BM_VrfVerify);

// ECVRF-EDWARDS25519-SHA512-ELL2: the same with the RFC 9380 hash to curve instead of
// try-and-increment.
void BM_VrfProveEll2(benchmark::State& state) {
  const VrfSecretKey key = vrf_key();
  const Bytes alpha = filled(32);
  run_ops(state, [&] {
    benchmark::DoNotOptimize(vrf_prove(key, alpha, VrfSuite::edwards25519_sha512_ell2));
  });
}
BENCHMARK(BM_VrfProveEll2);

void BM_VrfOutputEll2(benchmark::State& state) {
  const VrfSecretKey key = vrf_key();
  Bytes alpha = filled(32);
  std::uint8_t n = 0;
  run_ops(state, [&] {
    alpha[0] = static_cast<std::byte>(n++);
    benchmark::DoNotOptimize(vrf_output(key, alpha, VrfSuite::edwards25519_sha512_ell2));
  });
}
BENCHMARK(BM_VrfOutputEll2);

void BM_VrfVerifyEll2(benchmark::State& state) {
  const VrfSecretKey key = vrf_key();
  const Bytes alpha = filled(32);
  const VrfProof proof = vrf_prove(key, alpha, VrfSuite::edwards25519_sha512_ell2);
  run_ops(state, [&] {
    benchmark::DoNotOptimize(
        vrf_verify(key.public_key(), alpha, proof, VrfSuite::edwards25519_sha512_ell2));
  });
}
BENCHMARK(BM_VrfVerifyEll2);

template <std::size_t Size>
void BM_HmacSha256(benchmark::State& state) {
  const Bytes key = filled(32), data = filled(Size);
  run_ops(state, [&] { benchmark::DoNotOptimize(hmac_sha256(key, data)); });
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Size));
}
BENCHMARK(BM_HmacSha256<64>);
BENCHMARK(BM_HmacSha256<1024>);

void BM_HkdfSha256(benchmark::State& state) {
  const Bytes ikm = filled(32), salt = filled(32), info = filled(16);
  run_ops(state, [&] { benchmark::DoNotOptimize(hkdf_sha256(ikm, salt, info, 80)); });
}
BENCHMARK(BM_HkdfSha256);

template <std::size_t Size>
void BM_Sha256(benchmark::State& state) {
  const Bytes data = filled(Size);
  run_ops(state, [&] { benchmark::DoNotOptimize(sha256(data)); });
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Size));
}
BENCHMARK(BM_Sha256<64>);
BENCHMARK(BM_Sha256<4096>);

void BM_Sha512(benchmark::State& state) {
  const Bytes data = filled(64);
  run_ops(state, [&] { benchmark::DoNotOptimize(sha512(data)); });
}
BENCHMARK(BM_Sha512);

void BM_Sha3_256(benchmark::State& state) {
  const Bytes data = filled(64);
  run_ops(state, [&] { benchmark::DoNotOptimize(sha3_256(data)); });
}
BENCHMARK(BM_Sha3_256);

void BM_Shake128(benchmark::State& state) {
  const Bytes data = filled(34);
  run_ops(state, [&] { benchmark::DoNotOptimize(shake128(data, 504)); });
}
BENCHMARK(BM_Shake128);

void BM_Shake256(benchmark::State& state) {
  const Bytes data = filled(33);
  run_ops(state, [&] { benchmark::DoNotOptimize(shake256(data, 128)); });
}
BENCHMARK(BM_Shake256);

template <std::size_t Size>
void BM_Aes256CbcEncrypt(benchmark::State& state) {
  const Bytes key = filled(32), iv = filled(16), data = filled(Size);
  run_ops(state, [&] { benchmark::DoNotOptimize(aes256cbc_encrypt(key, iv, data)); });
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Size));
}
BENCHMARK(BM_Aes256CbcEncrypt<100>);
BENCHMARK(BM_Aes256CbcEncrypt<4096>);

template <std::size_t Size>
void BM_Aes256GcmEncrypt(benchmark::State& state) {
  const Bytes key = filled(32), nonce = filled(12), data = filled(Size);
  run_ops(state, [&] { benchmark::DoNotOptimize(aes256gcm_encrypt(key, nonce, data, {})); });
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Size));
}
BENCHMARK(BM_Aes256GcmEncrypt<100>);
BENCHMARK(BM_Aes256GcmEncrypt<4096>);

template <std::size_t Size>
void BM_ChaCha20Poly1305Encrypt(benchmark::State& state) {
  const Bytes key = filled(32), nonce = filled(12), data = filled(Size);
  run_ops(state, [&] { benchmark::DoNotOptimize(chacha20poly1305_encrypt(key, nonce, data, {})); });
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Size));
}
BENCHMARK(BM_ChaCha20Poly1305Encrypt<100>);
BENCHMARK(BM_ChaCha20Poly1305Encrypt<4096>);

void BM_ConstantTimeEqual32(benchmark::State& state) {
  const Bytes a = filled(32), b = filled(32);
  run_ops(state, [&] { benchmark::DoNotOptimize(constant_time_equal(a, b)); });
}
BENCHMARK(BM_ConstantTimeEqual32);

// The KEMs: key generation, encapsulation, decapsulation, and the encaps+decaps pair.
#define BULWARK_KEM_BENCHMARKS(Name, ns)                                                   \
  void BM_##Name##Keypair(benchmark::State& state) {                                      \
    SystemRng rng;                                                                        \
    run_ops(state, [&] { benchmark::DoNotOptimize(ns::keypair(rng)); });                  \
  }                                                                                       \
  BENCHMARK(BM_##Name##Keypair);                                                          \
  void BM_##Name##Encaps(benchmark::State& state) {                                       \
    SystemRng rng;                                                                        \
    const auto pair = ns::keypair(rng);                                                   \
    run_ops(state, [&] { benchmark::DoNotOptimize(ns::encapsulate(pair.public_key, rng)); }); \
  }                                                                                       \
  BENCHMARK(BM_##Name##Encaps);                                                           \
  void BM_##Name##Decaps(benchmark::State& state) {                                       \
    SystemRng rng;                                                                        \
    const auto pair = ns::keypair(rng);                                                   \
    const auto enc = ns::encapsulate(pair.public_key, rng);                               \
    run_ops(state, [&] {                                                                  \
      benchmark::DoNotOptimize(ns::decapsulate(pair.secret_key, enc->ciphertext));        \
    });                                                                                   \
  }                                                                                       \
  BENCHMARK(BM_##Name##Decaps);                                                           \
  void BM_##Name##EncapsDecaps(benchmark::State& state) {                                 \
    SystemRng rng;                                                                        \
    const auto pair = ns::keypair(rng);                                                   \
    run_ops(state, [&] {                                                                  \
      auto enc = ns::encapsulate(pair.public_key, rng);                                   \
      benchmark::DoNotOptimize(ns::decapsulate(pair.secret_key, enc->ciphertext));        \
    });                                                                                   \
  }                                                                                       \
  BENCHMARK(BM_##Name##EncapsDecaps);

BULWARK_KEM_BENCHMARKS(MlKem768, mlkem768)
BULWARK_KEM_BENCHMARKS(MlKem1024, mlkem1024)
BULWARK_KEM_BENCHMARKS(Kyber1024, kyber1024)

// The figure: one ML-KEM-768 encapsulation + decapsulation over one X25519 scalar
// multiplication, measured interleaved (bench/interleaved_ratio.h).
void print_headline_ratio() {
  SystemRng rng;
  const auto alice = x25519_keypair(rng);
  const auto bob = x25519_keypair(rng);
  const auto kem = mlkem768::keypair(rng);
  const auto ratio = bench::measure_interleaved_ratio(
      [&] {
        auto enc = mlkem768::encapsulate(kem.public_key, rng);
        benchmark::DoNotOptimize(mlkem768::decapsulate(kem.secret_key, enc->ciphertext));
      },
      [&] { benchmark::DoNotOptimize(x25519(alice.secret_key, bob.public_key)); }, 41, 200);
  std::printf("\nML-KEM-768 encaps+decaps / X25519, interleaved over %d rounds: median %.2f "
              "(10%%-90%%: %.2f-%.2f); goal <= 2.5, excellent < 1.5\n",
              ratio.rounds, ratio.median, ratio.low, ratio.high);
}

}  // namespace

}  // namespace bulwark::crypto

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bulwark::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\n");
  reporter.print_ratio("BM_MlKem768EncapsDecaps", "BM_X25519",
                       "from the runs above, for information");
  reporter.print_ratio("BM_Kyber1024EncapsDecaps", "BM_X25519", "for information");
  bulwark::crypto::print_headline_ratio();
  benchmark::Shutdown();
  return 0;
}
