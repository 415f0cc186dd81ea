// Runs a peer library's benchmark script on Node (bench.js of tests/interop or
// tests/interop/mls) and reads the one JSON line it prints: the side-by-side half of the
// benchmarks that compare Bulwark with libsignal and ts-mls in the same run.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace bulwark::bench {

// `node script arguments` through /bin/sh; the script's errors go to stderr (the terminal).
// Null with `error` set when a path holds a single quote, the process fails, or its output
// is not JSON (the JSON null is not returned either: the caller checks the fields it needs).
[[nodiscard]] std::optional<nlohmann::json> run_node_script(const std::string& node,
                                                            const std::string& script,
                                                            const std::string& arguments,
                                                            std::string& error);

}  // namespace bulwark::bench
