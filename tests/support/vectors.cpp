#include "support/vectors.h"

#include <fstream>
#include <stdexcept>

namespace bulwark::testing {

std::filesystem::path shared_vector_path(std::string_view relative) {
  return std::filesystem::path(BULWARK_SHARED_DIR) / "vectors" / relative;
}

std::filesystem::path repo_test_path(std::string_view relative) {
  return std::filesystem::path(BULWARK_TESTS_DIR) / relative;
}

nlohmann::json load_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open vector file " + path.string());
  return nlohmann::json::parse(in);
}

Bytes hex(std::string_view text) {
  auto bytes = from_hex(text);
  if (!bytes) throw std::runtime_error("bad hex in vector: " + bytes.error().describe());
  return std::move(*bytes);
}

}  // namespace bulwark::testing
