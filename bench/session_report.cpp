#include "session_report.h"

#include <algorithm>
#include <cstdio>

namespace bulwark::bench {
namespace {

// Issue 3's anchors for this machine's libsodium, per second.
constexpr double issue_x25519_per_s = 25'700;
constexpr double issue_ed25519_verify_per_s = 16'700;

// The asymmetric operations of one setup with a one-time prekey, read off the code path:
//   Alice, process_pre_key_bundle: 2 XEdDSA verifications (signed prekey, 33 B; Kyber prekey,
//     1569 B), base key generation, Kyber1024 encapsulation, PQXDH (4 agreements), sending
//     ratchet key generation and its chain (1 agreement);
//   Alice, encrypt_message: symmetric only;
//   Bob, decrypt_message: Kyber1024 decapsulation, PQXDH (4 agreements), one DH ratchet step
//     (receiving chain: 1 agreement; new ratchet key generation; sending chain: 1 agreement).
// Key generation is a fixed-base multiplication, cheaper than an agreement, so it is measured
// apart. HKDF, HMAC, AES-CBC, parsing and the stores are left out: that is the floor.
struct FloorTerm {
  const char* benchmark;
  int count;
};
constexpr FloorTerm setup_floor_terms[] = {
    {bm_x25519, 11},
    {bm_x25519_keypair, 3},
    {bm_xeddsa_verify_ec_key, 1},
    {bm_xeddsa_verify_kyber_key, 1},
    {bm_kyber1024_encaps, 1},
    {bm_kyber1024_decaps, 1},
};

struct Goal {
  double min_per_s;
  double min_ratio;
};
constexpr Goal setup_goal{1'000, 2.5};
constexpr Goal pair_goal{20'000, 5.0};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::optional<double> find(const Timings& timings, const char* name) {
  auto it = timings.find(name);
  if (it == timings.end() || it->second <= 0) return std::nullopt;
  return it->second;
}

double per_second(double nanoseconds) { return 1e9 / nanoseconds; }

std::optional<double> setup_floor(const Timings& timings) {
  double sum = 0;
  for (const FloorTerm& term : setup_floor_terms) {
    const auto ns = find(timings, term.benchmark);
    if (!ns) return std::nullopt;
    sum += term.count * *ns;
  }
  return sum;
}

void print_rate(const Timings& timings, const char* name, const char* label, double anchor) {
  const auto ns = find(timings, name);
  if (!ns) {
    std::printf("  %-24s not measured\n", label);
  } else if (anchor > 0) {
    std::printf("  %-24s %9.0f/s  (issue's anchor %.0f/s: %.2fx)\n", label, per_second(*ns), anchor,
                per_second(*ns) / anchor);
  } else {
    std::printf("  %-24s %9.0f/s\n", label, per_second(*ns));
  }
}

// One table row; returns whether the goal was met.
bool print_row(const char* metric, std::optional<double> ours_ns, std::optional<double> theirs,
               const Goal& goal) {
  char goal_text[64];
  std::snprintf(goal_text, sizeof goal_text, ">= %.0f/s and >= %.1fx", goal.min_per_s,
                goal.min_ratio);
  if (!ours_ns) {
    std::printf("%-30s %12s %12s %8s  %-24s %s\n", metric, "n/a", "n/a", "n/a", goal_text,
                "MISS (not measured)");
    return false;
  }
  const double ours = per_second(*ours_ns);
  const bool fast_enough = ours >= goal.min_per_s;
  if (!theirs) {
    std::printf("%-30s %12.1f %12s %8s  %-24s %s\n", metric, ours, "n/a", "n/a", goal_text,
                fast_enough ? "? (absolute goal met, no ratio)" : "MISS");
    return false;
  }
  const double ratio = ours / *theirs;
  const bool pass = fast_enough && ratio >= goal.min_ratio;
  std::printf("%-30s %12.1f %12.1f %7.2fx  %-24s %s\n", metric, ours, *theirs, ratio, goal_text,
              pass ? "PASS" : "MISS");
  return pass;
}

// The per-name median over runs of one clock (a name missing from a run is left out of its
// median).
Timings median_timings(const std::vector<BulwarkRun>& runs, Timings BulwarkRun::*clock) {
  std::map<std::string, std::vector<double>> values;
  for (const BulwarkRun& run : runs) {
    for (const auto& [name, ns] : run.*clock) values[name].push_back(ns);
  }
  Timings out;
  for (auto& [name, list] : values) out[name] = median(std::move(list));
  return out;
}

std::optional<LibsignalFigures> median_figures(const std::vector<LibsignalFigures>& runs) {
  if (runs.empty()) return std::nullopt;
  std::vector<double> setups, pairs;
  for (const auto& run : runs) {
    setups.push_back(run.session_setups_per_s);
    pairs.push_back(run.encrypt_decrypt_pairs_per_s);
  }
  return LibsignalFigures{runs.front().version, median(setups), median(pairs)};
}

}  // namespace

void print_setup_floor(const std::vector<BulwarkRun>& runs) {
  const Timings wall = median_timings(runs, &BulwarkRun::wall);
  const Timings cpu = median_timings(runs, &BulwarkRun::cpu);
  std::printf(
      "\nPrimitives, measured in this run (medians, thread CPU time on the pinned core):\n");
  print_rate(cpu, bm_x25519, "X25519 agreement", issue_x25519_per_s);
  print_rate(cpu, bm_x25519_keypair, "X25519 key generation", 0);
  print_rate(cpu, bm_ed25519_verify, "Ed25519 verify (100 B)", issue_ed25519_verify_per_s);
  print_rate(cpu, bm_xeddsa_verify_ec_key, "XEdDSA verify (33 B)", issue_ed25519_verify_per_s);
  print_rate(cpu, bm_xeddsa_verify_kyber_key, "XEdDSA verify (1569 B)", 0);
  print_rate(cpu, bm_kyber1024_encaps, "Kyber1024 encapsulate", 0);
  print_rate(cpu, bm_kyber1024_decaps, "Kyber1024 decapsulate", 0);

  const auto cpu_floor = setup_floor(cpu);
  const auto wall_floor = setup_floor(wall);
  const auto cpu_setup = find(cpu, bm_session_setup);
  const auto wall_setup = find(wall, bm_session_setup);
  if (!cpu_floor || !wall_floor || !cpu_setup || !wall_setup) {
    std::printf("setup floor: a primitive or the setup was not measured in this run\n");
    return;
  }
  std::printf(
      "setup floor (sum of primitives, 11 X25519 + 3 X25519 keygen + 2 XEdDSA verify + "
      "Kyber1024 enc+dec): %.0f us; measured setup: %.0f us (floor/measured = %.2f)\n",
      *cpu_floor / 1e3, *cpu_setup / 1e3, *cpu_floor / *cpu_setup);
  std::printf("  on thread CPU time; on wall time: floor %.0f us, setup %.0f us (%.2f)\n",
              *wall_floor / 1e3, *wall_setup / 1e3, *wall_floor / *wall_setup);
  // The issue's 0.75 ms estimate counts every key generation as a full X25519.
  const double issue_count = *cpu_floor + 3 * (cpu.at(bm_x25519) - cpu.at(bm_x25519_keypair));
  std::printf(
      "  the primitives alone cap setups at %.0f/s on one core; counting each keygen as "
      "a full X25519 (the issue's 14 X25519), the floor is %.0f us\n",
      per_second(*cpu_floor), issue_count / 1e3);
}

bool print_goal_table(const std::vector<BulwarkRun>& bulwark_runs,
                      const std::vector<LibsignalFigures>& libsignal_runs) {
  std::printf("\nEvery run, setups/s | pairs/s (wall time):\n  Bulwark:  ");
  for (const BulwarkRun& run : bulwark_runs) {
    const auto setup = find(run.wall, bm_session_setup);
    const auto pair = find(run.wall, bm_encrypt_decrypt_pair);
    std::printf(" %.0f | %.0f;", setup ? per_second(*setup) : 0, pair ? per_second(*pair) : 0);
  }
  std::printf("\n  libsignal:");
  for (const auto& run : libsignal_runs)
    std::printf(" %.0f | %.0f;", run.session_setups_per_s, run.encrypt_decrypt_pairs_per_s);
  std::printf("%s\n", libsignal_runs.empty() ? " not measured" : "");

  const Timings ours = median_timings(bulwark_runs, &BulwarkRun::wall);
  const Timings ours_cpu = median_timings(bulwark_runs, &BulwarkRun::cpu);
  const auto theirs = median_figures(libsignal_runs);
  const std::string libsignal = "libsignal-client" + (theirs ? " " + theirs->version : "");
  std::printf("\nSession benchmark on one core: medians of %zu Bulwark and %zu %s (Node) runs\n",
              bulwark_runs.size(), libsignal_runs.size(), libsignal.c_str());
  std::printf("%-30s %12s %12s %8s  %-24s %s\n", "metric", "Bulwark/s", "libsignal/s", "ratio",
              "goal", "result");
  const bool setups =
      print_row("session setups", find(ours, bm_session_setup),
                theirs ? std::optional(theirs->session_setups_per_s) : std::nullopt, setup_goal);
  const bool pairs = print_row(
      "encrypt+decrypt pairs (100 B)", find(ours, bm_encrypt_decrypt_pair),
      theirs ? std::optional(theirs->encrypt_decrypt_pairs_per_s) : std::nullopt, pair_goal);
  const auto cpu_setup = find(ours_cpu, bm_session_setup);
  const auto cpu_pair = find(ours_cpu, bm_encrypt_decrypt_pair);
  if (cpu_setup && cpu_pair) {
    std::printf(
        "(wall time on both sides, as bench.js measures; Bulwark on thread CPU time: "
        "%.1f setups/s, %.1f pairs/s)\n",
        per_second(*cpu_setup), per_second(*cpu_pair));
  }
  return setups && pairs;
}

}  // namespace bulwark::bench
