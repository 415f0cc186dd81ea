// Where a benchmark run keeps its files, and how it names itself when it prints the command
// that reproduces it.
#pragma once

#include <filesystem>
#include <string>

namespace bulwark::loadgen {

// `given` when not empty; otherwise a fresh /tmp/`prefix`-XXXXXX. Empty on failure.
[[nodiscard]] std::filesystem::path make_work_dir(const std::string& given,
                                                  const std::string& prefix);

// This executable's path (/proc/self/exe), or `fallback` when it cannot be read.
[[nodiscard]] std::string self_path(const std::string& fallback);

// The server built beside a benchmark: <build>/bench/<dir>/<binary> ->
// <build>/src/server/bulwark-server.
[[nodiscard]] std::string default_server_bin();

}  // namespace bulwark::loadgen
