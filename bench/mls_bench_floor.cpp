#include "mls_bench_floor.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "crypto/ed25519.h"
#include "crypto/hpke.h"
#include "crypto/random.h"
#include "crypto/x25519.h"
#include "protocol/mls/cipher_suite.h"

namespace bulwark::bench {
namespace {

namespace mls = protocol::mls;

double cpu_us_now() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

// The cheapest per-call CPU time over 5 batches of 40 calls.
template <class F>
double cost_of(F&& operation) {
  double best = 1e30;
  for (int batch = 0; batch < 5; ++batch) {
    const double start = cpu_us_now();
    for (int i = 0; i < 40; ++i) operation();
    best = std::min(best, (cpu_us_now() - start) / 40);
  }
  return best;
}

template <class T>
T must(Result<T> result, const char* what) {
  if (!result) mls_bench_fail(std::string("floor: ") + what + ": " + result.error().describe());
  return std::move(*result);
}

// How many of each public-key operation a step needs, as RFC 9420 asks it in this scenario.
struct Work {
  double v = 0, k = 0, s = 0, h = 0, o = 0, d = 0;

  [[nodiscard]] double micros(const PrimitiveCosts& c) const {
    return v * c.verify + k * c.key_check + s * c.sign + h * c.hpke_seal + o * c.hpke_open +
           d * c.derive_key;
  }
  [[nodiscard]] std::string text() const {
    std::string out;
    const auto term = [&out](double count, const char* name) {
      if (count == 0) return;
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%s%.0f%s", out.empty() ? "" : " + ", count, name);
      out += buffer;
    };
    term(v, "V");
    term(k, "K");
    term(s, "S");
    term(h, "H");
    term(o, "O");
    term(d, "D");
    return out;
  }
};

// n: members after the first commit; the tree's parents are all blank (no commit so far had a
// path), so a path from leaf 0 is encrypted to every other remaining leaf.
Work work_of(MlsOp op, double n) {
  const double path = std::ceil(std::log2(n));  // direct path of leaf 0 in a tree of n leaves
  switch (op) {
    case MlsOp::create:  // each KeyPackage: both signatures, its key, its GroupSecrets
      return {2 * (n - 1), n - 1, 2, n - 1, 0, 0};  // + the commit's and GroupInfo's signatures
    case MlsOp::join:  // every leaf's signature and key, the GroupInfo's, the GroupSecrets
      return {n + 1, n, 0, 0, 1, 0};
    case MlsOp::add_one:
      return {2, 1, 2, 1, 0, 0};
    case MlsOp::process_add:  // the commit's signature, the KeyPackage's two, the new key
      return {3, 1, 0, 0, 0, 0};
    case MlsOp::remove_one:  // a path secret to each of n-1 leaves, the path's keys, 2 signatures
      return {0, 0, 2, n - 1, 0, path};
    case MlsOp::process_remove:  // the commit's and the path leaf's signatures, one path secret
      return {2, 0, 0, 0, 1, path};
    case MlsOp::count:
      break;
  }
  return {};
}

}  // namespace

PrimitiveCosts measure_primitive_costs(std::uint16_t suite_id) {
  const mls::CipherSuite suite = must(mls::CipherSuite::from_id(suite_id), "suite");
  crypto::SystemRng rng;
  const crypto::Ed25519KeyPair signer = crypto::ed25519_keypair(rng);
  const Bytes message(300, std::byte{0x5a});
  const crypto::Ed25519Signature signature = crypto::ed25519_sign(signer.secret_key, message);
  const ByteView key_bytes = signer.public_key.bytes();
  const crypto::X25519KeyPair recipient = crypto::x25519_keypair(rng);
  const Bytes secret(32, std::byte{0x11});
  const mls::LabeledCiphertext sealed =
      must(suite.encrypt_with_label(recipient.public_key, "UpdatePathNode", message, secret, rng),
           "seal");
  PrimitiveCosts costs;
  costs.verify =
      cost_of([&] { (void)crypto::ed25519_verify(signer.public_key, message, signature); });
  costs.key_check = cost_of([&] { (void)crypto::Ed25519PublicKey::from_bytes(key_bytes); });
  costs.sign = cost_of([&] { (void)crypto::ed25519_sign(signer.secret_key, message); });
  costs.hpke_seal = cost_of([&] {
    (void)suite.encrypt_with_label(recipient.public_key, "UpdatePathNode", message, secret, rng);
  });
  costs.hpke_open = cost_of([&] {
    (void)suite.decrypt_with_label(recipient.secret_key, "UpdatePathNode", message,
                                   sealed.kem_output, sealed.ciphertext);
  });
  costs.derive_key = cost_of([&] { (void)suite.derive_hpke_key_pair(secret); });
  costs.signer_copy =
      cost_of([&] { (void)crypto::Ed25519SecretKey::from_seed(signer.secret_key.seed().view()); });
  return costs;
}

PrimitiveCosts mean_costs(const PrimitiveCosts& a, const PrimitiveCosts& b) {
  const auto mean = [](double x, double y) { return (x + y) / 2; };
  return {mean(a.verify, b.verify),
          mean(a.key_check, b.key_check),
          mean(a.sign, b.sign),
          mean(a.hpke_seal, b.hpke_seal),
          mean(a.hpke_open, b.hpke_open),
          mean(a.derive_key, b.derive_key),
          mean(a.signer_copy, b.signer_copy)};
}

void print_mls_floor(const MlsBenchOptions& options, const MlsFigures& bulwark,
                     const PrimitiveCosts& before, const PrimitiveCosts& after) {
  const PrimitiveCosts c = mean_costs(before, after);
  std::printf(
      "\nWhere Bulwark's time goes: the public-key work RFC 9420 requires of each step "
      "(K: the strict key check,\ncounted once per new key), priced at this run's CPU "
      "cost per operation, against the step's CPU time\n");
  std::printf("%-32s %-30s %10s %12s %9s\n", "operation", "required work", "floor ms",
              "measured ms", "x floor");
  for (std::size_t i = 0; i < mls_op_count; ++i) {
    const auto op = static_cast<MlsOp>(i);
    const Work work = work_of(op, static_cast<double>(options.members));
    const double floor_ms = work.micros(c) / 1000;
    const double measured = median_of(bulwark.op(op).cpu_ms);
    std::printf("%-32s %-30s %10.1f %12.1f %8.2fx\n", mls_op_name(op), work.text().c_str(),
                floor_ms, measured, measured / floor_ms);
  }
  const double encrypt_floor = 1e6 / c.sign;
  const double decrypt_floor = 1e6 / c.verify;
  const double encrypt_rate = median_of(bulwark.throughput.encrypt_cpu);
  const double decrypt_rate = median_of(bulwark.throughput.decrypt_cpu);
  std::printf("%-32s %-30s %10.0f %12.0f %8.2fx\n", "encrypt: messages per CPU second", "1S",
              encrypt_floor, encrypt_rate, encrypt_floor / encrypt_rate);
  std::printf("%-32s %-30s %10.0f %12.0f %8.2fx\n", "decrypt: messages per CPU second", "1V",
              decrypt_floor, decrypt_rate, decrypt_floor / decrypt_rate);
  for (const auto& [when, x] : {std::pair{"before", &before}, std::pair{"after", &after}}) {
    std::printf(
        "CPU us per operation %s: V verify %.1f, K key check %.1f, S sign %.1f, H HPKE "
        "seal %.1f, O HPKE open %.1f, D derive key pair %.1f; a signer copy (from_seed) "
        "%.1f\n",
        when, x->verify, x->key_check, x->sign, x->hpke_seal, x->hpke_open, x->derive_key,
        x->signer_copy);
  }
}

}  // namespace bulwark::bench
