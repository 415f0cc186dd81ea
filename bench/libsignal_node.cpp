#include "libsignal_node.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "node_script.h"

namespace bulwark::bench {
namespace {

#ifdef BULWARK_NODE
constexpr const char* node_path = BULWARK_NODE;
#else
constexpr const char* node_path = "";
#endif
constexpr const char* bench_js = BULWARK_BENCH_JS;
constexpr const char* libsignal_module =
    BULWARK_INTEROP_DIR "/node_modules/@signalapp/libsignal-client";

}  // namespace

std::optional<std::string> libsignal_unavailable() {
  namespace fs = std::filesystem;
  std::error_code ignored;
  if (std::string(node_path).empty() || !fs::exists(node_path, ignored))
    return "node was not found when CMake configured the build";
  if (!fs::exists(bench_js, ignored)) return std::string(bench_js) + " is missing";
  if (!fs::is_directory(libsignal_module, ignored))
    return std::string(libsignal_module) + " is not installed";
  return std::nullopt;
}

std::optional<LibsignalFigures> run_libsignal_bench(double seconds, std::string& error) {
  const auto output =
      run_node_script(node_path, bench_js, "--seconds " + std::to_string(seconds), error);
  if (!output) return std::nullopt;
  const nlohmann::json& json = *output;
  const auto has = [&json](const char* key, bool number) {
    return json.contains(key) && (number ? json[key].is_number() : json[key].is_string());
  };
  if (!json.is_object() || !has("version", false) || !has("session_setups_per_s", true) ||
      !has("encrypt_decrypt_pairs_per_s", true)) {
    error = "unexpected output from bench.js: " + json.dump();
    return std::nullopt;
  }
  return LibsignalFigures{json["version"].get<std::string>(),
                          json["session_setups_per_s"].get<double>(),
                          json["encrypt_decrypt_pairs_per_s"].get<double>()};
}

}  // namespace bulwark::bench
