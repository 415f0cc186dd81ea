// The stdin/stdout loop both test-only interop peers run (bulwark-peer, bulwark-mls-peer): one
// JSON request per line in, one JSON answer per line out. A line longer than max_line_bytes is
// refused without being held whole; EOF on stdin ends the loop.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/rng.h"

namespace bulwark::interop {

// Above the drivers' 1 MiB response bound: a request never needs more.
inline constexpr std::size_t max_line_bytes = 4 * 1024 * 1024;

// `[--seed N]`: a seeded RNG, so that every key and nonce the peer makes is reproducible;
// without it the system CSPRNG. Null (after printing `usage` to stderr) for other arguments.
[[nodiscard]] std::unique_ptr<Rng> peer_rng_from_args(int argc, char** argv, const char* usage);

// Answers every line with `handle` until EOF; returns the process exit status (0).
int serve_json_lines(const std::function<nlohmann::json(const std::string&)>& handle);

}  // namespace bulwark::interop
