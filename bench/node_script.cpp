#include "node_script.h"

#include <cstdio>
#include <memory>

namespace bulwark::bench {
namespace {

// Single quotes for /bin/sh; our paths never contain one (checked, not assumed).
std::optional<std::string> quoted_for_shell(const std::string& text) {
  if (text.find('\'') != std::string::npos) return std::nullopt;
  return "'" + text + "'";
}

struct PipeCloser {
  void operator()(FILE* pipe) const noexcept { pclose(pipe); }
};

}  // namespace

std::optional<nlohmann::json> run_node_script(const std::string& node, const std::string& script,
                                              const std::string& arguments, std::string& error) {
  const auto quoted_node = quoted_for_shell(node);
  const auto quoted_script = quoted_for_shell(script);
  if (!quoted_node || !quoted_script) {
    error = "a path contains a single quote";
    return std::nullopt;
  }
  const std::string command = *quoted_node + " " + *quoted_script + " " + arguments;
  std::unique_ptr<FILE, PipeCloser> pipe(popen(command.c_str(), "r"));
  if (!pipe) {
    error = "could not start " + command;
    return std::nullopt;
  }
  // The script prints exactly one line on stdout.
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) output += buffer;
  const int status = pclose(pipe.release());
  if (status != 0) {
    error = command + " failed (wait status " + std::to_string(status) + ")";
    return std::nullopt;
  }
  auto json = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    error = "unexpected output from " + script + ": " + output.substr(0, 200);
    return std::nullopt;
  }
  return json;
}

}  // namespace bulwark::bench
