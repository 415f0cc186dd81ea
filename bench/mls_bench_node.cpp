#include "mls_bench_node.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "node_script.h"

namespace bulwark::bench {
namespace {

#ifdef BULWARK_NODE
constexpr const char* mls_node_path = BULWARK_NODE;
#else
constexpr const char* mls_node_path = "";
#endif
constexpr const char* mls_bench_js = BULWARK_MLS_BENCH_JS;
constexpr const char* ts_mls_module = BULWARK_MLS_INTEROP_DIR "/node_modules/ts-mls";

bool is_count(const nlohmann::json& json, const char* key) {
  return json.contains(key) && json[key].is_number() && json[key].get<double>() >= 0;
}

// "<key>" is the median; "<key>_runs" (bench.js with --repeat) every run, else the median.
// With `cpu`, "<key>_cpu_runs" (empty if absent).
std::vector<double> runs_of(const nlohmann::json& json, const std::string& key, bool cpu = false) {
  const std::string runs = key + (cpu ? "_cpu_runs" : "_runs");
  std::vector<double> out;
  if (json.contains(runs) && json[runs].is_array()) {
    for (const auto& value : json[runs])
      if (value.is_number()) out.push_back(value.get<double>());
  }
  if (out.empty() && !cpu) out.push_back(json[key].get<double>());
  return out;
}

std::optional<MlsFigures> figures_from(const nlohmann::json& json, std::string& error) {
  static const char* const required[] = {"members",
                                         "create_commit_bytes",
                                         "create_welcome_bytes",
                                         "ratchet_tree_bytes",
                                         "add_one_commit_bytes",
                                         "add_one_welcome_bytes",
                                         "remove_one_commit_bytes",
                                         "app_message_bytes",
                                         "app_messages",
                                         "app_encrypt_per_s",
                                         "app_decrypt_per_s",
                                         "app_encrypt_decrypt_pairs_per_s"};
  bool complete = json.is_object() && json.contains("version") && json["version"].is_string();
  for (const char* key : required) complete = complete && is_count(json, key);
  for (std::size_t i = 0; i < mls_op_count; ++i)
    complete = complete && is_count(json, mls_op_json_key(static_cast<MlsOp>(i)));
  if (!complete) {
    error = "unexpected output from bench.js: " + json.dump();
    return std::nullopt;
  }
  MlsFigures figures;
  figures.library = "ts-mls " + json["version"].get<std::string>();
  figures.members = json["members"].get<std::size_t>();
  for (std::size_t i = 0; i < mls_op_count; ++i) {
    figures.ops[i].ms = runs_of(json, mls_op_json_key(static_cast<MlsOp>(i)));
    figures.ops[i].cpu_ms = runs_of(json, mls_op_json_key(static_cast<MlsOp>(i)), true);
  }
  figures.sizes = MlsSizes{json["create_commit_bytes"].get<std::size_t>(),
                           json["create_welcome_bytes"].get<std::size_t>(),
                           json["ratchet_tree_bytes"].get<std::size_t>(),
                           json["add_one_commit_bytes"].get<std::size_t>(),
                           json["add_one_welcome_bytes"].get<std::size_t>(),
                           json["remove_one_commit_bytes"].get<std::size_t>(),
                           json["app_message_bytes"].get<std::size_t>()};
  figures.throughput.messages = json["app_messages"].get<std::size_t>();
  figures.throughput.encrypt = runs_of(json, "app_encrypt_per_s");
  figures.throughput.decrypt = runs_of(json, "app_decrypt_per_s");
  figures.throughput.pairs = runs_of(json, "app_encrypt_decrypt_pairs_per_s");
  return figures;
}

}  // namespace

std::optional<std::string> ts_mls_unavailable() {
  namespace fs = std::filesystem;
  std::error_code ignored;
  if (std::string(mls_node_path).empty() || !fs::exists(mls_node_path, ignored))
    return "node was not found when CMake configured the build (install Node >= 20.19, then "
           "`make interop-deps`, and configure again)";
  if (!fs::exists(mls_bench_js, ignored)) return std::string(mls_bench_js) + " is missing";
  if (!fs::is_directory(ts_mls_module, ignored))
    return std::string(ts_mls_module) + " is not installed (run `make interop-deps`)";
  return std::nullopt;
}

std::optional<MlsFigures> run_ts_mls_bench(const MlsBenchOptions& options, std::string& error) {
  const std::string arguments =
      std::to_string(options.members) + " --messages " + std::to_string(options.messages) +
      " --suite " + std::to_string(options.suite) + " --repeat " + std::to_string(options.repeat);
  const auto json = run_node_script(mls_node_path, mls_bench_js, arguments, error);
  if (!json) return std::nullopt;
  return figures_from(*json, error);
}

}  // namespace bulwark::bench
