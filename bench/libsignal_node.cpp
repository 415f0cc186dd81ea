#include "libsignal_node.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

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

// Single quotes for /bin/sh; our paths never contain one (checked, not assumed).
std::optional<std::string> shell_quoted(const std::string& text) {
  if (text.find('\'') != std::string::npos) return std::nullopt;
  return "'" + text + "'";
}

struct PipeCloser {
  void operator()(FILE* pipe) const noexcept { pclose(pipe); }
};

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
  const auto node = shell_quoted(node_path);
  const auto script = shell_quoted(bench_js);
  if (!node || !script) {
    error = "a path contains a single quote";
    return std::nullopt;
  }
  const std::string command = *node + " " + *script + " --seconds " + std::to_string(seconds);
  std::unique_ptr<FILE, PipeCloser> pipe(popen(command.c_str(), "r"));
  if (!pipe) {
    error = "could not start " + command;
    return std::nullopt;
  }
  // bench.js prints exactly one line on stdout; its errors go to stderr, i.e. the terminal.
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) output += buffer;
  const int status = pclose(pipe.release());
  if (status != 0) {
    error = command + " failed (wait status " + std::to_string(status) + ")";
    return std::nullopt;
  }
  const auto json = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  const auto has = [&json](const char* key, bool number) {
    return json.contains(key) && (number ? json[key].is_number() : json[key].is_string());
  };
  if (!json.is_object() || !has("version", false) || !has("session_setups_per_s", true) ||
      !has("encrypt_decrypt_pairs_per_s", true)) {
    error = "unexpected output from bench.js: " + output;
    return std::nullopt;
  }
  return LibsignalFigures{json["version"].get<std::string>(),
                          json["session_setups_per_s"].get<double>(),
                          json["encrypt_decrypt_pairs_per_s"].get<double>()};
}

}  // namespace bulwark::bench
