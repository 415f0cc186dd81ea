// What the session benchmark prints after its runs: the primitive-cost floor of one setup
// next to the measured setup, and the goal table of issue 3 against libsignal-client.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libsignal_node.h"

namespace bulwark::bench {

// Benchmark names, shared by the registration and the report.
inline constexpr const char* bm_session_setup = "BM_SessionSetup";
inline constexpr const char* bm_encrypt_decrypt_pair = "BM_EncryptDecryptPair";
inline constexpr const char* bm_x25519 = "BM_X25519";
inline constexpr const char* bm_x25519_keypair = "BM_X25519Keypair";
inline constexpr const char* bm_xeddsa_verify_ec_key = "BM_XEdDsaVerify/33B";
inline constexpr const char* bm_xeddsa_verify_kyber_key = "BM_XEdDsaVerify/1569B";
inline constexpr const char* bm_ed25519_verify = "BM_Ed25519Verify";
inline constexpr const char* bm_kyber1024_encaps = "BM_Kyber1024Encaps";
inline constexpr const char* bm_kyber1024_decaps = "BM_Kyber1024Decaps";

// Benchmark name → nanoseconds per iteration.
using Timings = std::map<std::string, double>;

// One Bulwark run on both clocks: wall time compares with Node's hrtime figures, thread CPU
// time is what survives a loaded machine (a preemption inflates only the wall time).
struct BulwarkRun {
  Timings wall;
  Timings cpu;
};

// The primitive rates next to the anchors, and the setup floor line, from the
// medians of the runs.
void print_setup_floor(const std::vector<BulwarkRun>& runs);

// Every run's figures, then the table of medians with the goals; returns whether every goal
// was met (false when libsignal was not measured).
bool print_goal_table(const std::vector<BulwarkRun>& bulwark_runs,
                      const std::vector<LibsignalFigures>& libsignal_runs);

}  // namespace bulwark::bench
