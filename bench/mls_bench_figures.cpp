#include "mls_bench_figures.h"

#include <algorithm>
#include <string>

namespace bulwark::bench {

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return values[middle];
  return (values[middle - 1] + values[middle]) / 2;
}

double Samples::median() const { return median_of(ms); }
double Samples::min() const { return *std::min_element(ms.begin(), ms.end()); }
double Samples::max() const { return *std::max_element(ms.begin(), ms.end()); }

std::string insane_figures(const MlsFigures& figures) {
  const MlsSizes& s = figures.sizes;
  const std::size_t sizes[] = {s.create_commit,  s.create_welcome,  s.ratchet_tree,
                               s.add_one_commit, s.add_one_welcome, s.remove_one_commit,
                               s.app_message};
  for (std::size_t size : sizes) {
    if (size == 0) return figures.library + ": a message size is 0";
  }
  for (const Samples& samples : figures.ops) {
    if (samples.empty()) return figures.library + ": an operation has no timing";
    for (double ms : samples.ms) {
      if (!(ms >= 0)) return figures.library + ": a timing is negative";
    }
  }
  const MlsThroughput& t = figures.throughput;
  if (t.encrypt.empty() || t.decrypt.empty() || t.pairs.empty())
    return figures.library + ": no message rates";
  return {};
}

const char* mls_op_name(MlsOp which) noexcept {
  switch (which) {
    case MlsOp::create:
      return "create: N-1 adds, one commit";
    case MlsOp::join:
      return "join from the Welcome";
    case MlsOp::add_one:
      return "add one member (commit)";
    case MlsOp::process_add:
      return "process that add";
    case MlsOp::remove_one:
      return "remove one member (commit)";
    case MlsOp::process_remove:
      return "process that remove";
    case MlsOp::count:
      break;
  }
  return "?";
}

const char* mls_op_json_key(MlsOp which) noexcept {
  switch (which) {
    case MlsOp::create:
      return "create_ms";
    case MlsOp::join:
      return "join_ms";
    case MlsOp::add_one:
      return "add_one_ms";
    case MlsOp::process_add:
      return "process_add_ms";
    case MlsOp::remove_one:
      return "remove_one_ms";
    case MlsOp::process_remove:
      return "process_remove_ms";
    case MlsOp::count:
      break;
  }
  return "?";
}

}  // namespace bulwark::bench
