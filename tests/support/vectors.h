// Test-vector helpers: locating the shared vectors folder, reading JSON files and hex.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/bytes.h"

namespace bulwark::testing {

// <shared>/vectors/<relative>; the shared folder is fixed at configure time.
[[nodiscard]] std::filesystem::path shared_vector_path(std::string_view relative);
// tests/<relative> in this repository (our own vector files).
[[nodiscard]] std::filesystem::path repo_test_path(std::string_view relative);

// Parses a JSON file; a missing or malformed file fails the calling test with a clear message
// (throws, which GoogleTest reports as a failure).
[[nodiscard]] nlohmann::json load_json(const std::filesystem::path& path);

// Hex to bytes; malformed hex throws (a broken vector file, not a product error).
[[nodiscard]] Bytes hex(std::string_view text);

}  // namespace bulwark::testing
