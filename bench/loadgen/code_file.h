// CodeFile: reads the verification codes bulwark-server's file sender appends to PATH
// (--verification file:PATH), one {"phone":"+1...","code":"123456"} object per line. The
// server writes the line before it answers RequestCode, so after the OK the code is there.
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

namespace bulwark::loadgen {

class CodeFile {
 public:
  explicit CodeFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~CodeFile();
  CodeFile(const CodeFile&) = delete;
  CodeFile& operator=(const CodeFile&) = delete;

  // The newest code for `phone` (E.164), reading lines appended since the last call.
  [[nodiscard]] std::optional<std::string> code_for(const std::string& phone);

 private:
  void read_new_lines();

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::string partial_;
  std::unordered_map<std::string, std::string> codes_;
};

}  // namespace bulwark::loadgen
