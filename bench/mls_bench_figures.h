// The figures of issue 9's MLS benchmark (bench/mls_bench.cpp), one set per library: the
// time of each group operation (every repetition, for the median and spread), the sizes of
// what it sends, and the application message throughput.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bulwark::bench {

// The repetitions of one timed operation, in milliseconds: wall-clock time (what the goal is
// about) and the process's CPU time (what a busy shared machine cannot inflate).
struct Samples {
  std::vector<double> ms;
  std::vector<double> cpu_ms;

  [[nodiscard]] bool empty() const noexcept { return ms.empty(); }
  [[nodiscard]] double median() const;
  [[nodiscard]] double min() const;
  [[nodiscard]] double max() const;
};

// The operations, in the order the benchmark runs them.
enum class MlsOp : std::size_t {
  create,          // one commit adding N-1 KeyPackages to a fresh group
  join,            // a newcomer joins from that Welcome, the tree out of band
  add_one,         // the creator commits one more Add
  process_add,     // the joined member processes that commit
  remove_one,      // the creator removes the newest member (a commit with a path)
  process_remove,  // the joined member processes that commit
  count,
};

inline constexpr std::size_t mls_op_count = static_cast<std::size_t>(MlsOp::count);

// Sizes in bytes of what the operations send (MLSMessage encodings; the ratchet tree is the
// ratchet_tree extension's data).
struct MlsSizes {
  std::size_t create_commit = 0;
  std::size_t create_welcome = 0;
  std::size_t ratchet_tree = 0;
  std::size_t add_one_commit = 0;
  std::size_t add_one_welcome = 0;
  std::size_t remove_one_commit = 0;
  std::size_t app_message = 0;  // one 100-byte application message, PrivateMessage
};

// Application messages of 100 bytes, each encrypted by the creator and decrypted by the
// joined member before the next; per second, each repetition a batch of messages.
struct MlsThroughput {
  std::size_t messages = 0;     // per batch
  std::vector<double> encrypt;  // messages encrypted per second, per batch
  std::vector<double> decrypt;  // messages decrypted per second, per batch
  std::vector<double> pairs;    // encrypt + decrypt pairs per second, per batch
  // The same on this process's CPU time (Bulwark only).
  std::vector<double> encrypt_cpu;
  std::vector<double> decrypt_cpu;
};

struct MlsFigures {
  std::string library;  // "Bulwark" or "ts-mls 1.6.4"
  std::size_t members = 0;
  Samples ops[mls_op_count];
  MlsSizes sizes;
  MlsThroughput throughput;

  [[nodiscard]] const Samples& op(MlsOp which) const {
    return ops[static_cast<std::size_t>(which)];
  }
  [[nodiscard]] Samples& op(MlsOp which) { return ops[static_cast<std::size_t>(which)]; }
};

// The operation's name in the table and in bench.js's JSON ("create" -> create_ms).
[[nodiscard]] const char* mls_op_name(MlsOp which) noexcept;
[[nodiscard]] const char* mls_op_json_key(MlsOp which) noexcept;

// Why `figures` are not sane (a size of zero, an operation without timings, no message rates),
// or an empty string.
[[nodiscard]] std::string insane_figures(const MlsFigures& figures);

// The median of a non-empty list (the mean of the middle two for an even count).
[[nodiscard]] double median_of(std::vector<double> values);

}  // namespace bulwark::bench
