#include "run_files.h"

#include <stdlib.h>

#include <vector>

namespace bulwark::loadgen {

std::filesystem::path make_work_dir(const std::string& given, const std::string& prefix) {
  if (!given.empty()) return given;
  const std::string pattern_text = "/tmp/" + prefix + "-XXXXXX";
  std::vector<char> pattern(pattern_text.begin(), pattern_text.end());
  pattern.push_back('\0');
  const char* made = ::mkdtemp(pattern.data());
  return made != nullptr ? std::filesystem::path(made) : std::filesystem::path();
}

std::string self_path(const std::string& fallback) {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? fallback : path.string();
}

std::string default_server_bin() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "bulwark-server";
  return (self.parent_path() / "../../src/server/bulwark-server").lexically_normal().string();
}

}  // namespace bulwark::loadgen
