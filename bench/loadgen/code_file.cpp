#include "code_file.h"

namespace bulwark::loadgen {
namespace {

// The value of "key":"value" in one JSON line of the file sender (no escapes occur in phone
// numbers or digit codes).
std::optional<std::string> field(const std::string& line, const std::string& key) {
  const std::string marker = "\"" + key + "\":\"";
  const std::size_t start = line.find(marker);
  if (start == std::string::npos) return std::nullopt;
  const std::size_t from = start + marker.size();
  const std::size_t end = line.find('"', from);
  if (end == std::string::npos) return std::nullopt;
  return line.substr(from, end - from);
}

}  // namespace

CodeFile::~CodeFile() {
  if (file_ != nullptr) std::fclose(file_);
}

std::optional<std::string> CodeFile::code_for(const std::string& phone) {
  read_new_lines();
  const auto found = codes_.find(phone);
  if (found == codes_.end()) return std::nullopt;
  return found->second;
}

void CodeFile::read_new_lines() {
  if (file_ == nullptr) {
    file_ = std::fopen(path_.c_str(), "r");
    if (file_ == nullptr) return;
  }
  char buffer[8192];
  for (;;) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, file_);
    if (got == 0) break;
    partial_.append(buffer, got);
  }
  std::clearerr(file_);  // the server appends more later
  std::size_t start = 0;
  for (std::size_t end; (end = partial_.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = partial_.substr(start, end - start);
    auto phone = field(line, "phone");
    auto code = field(line, "code");
    if (phone && code) codes_[*phone] = *code;
  }
  partial_.erase(0, start);
}

}  // namespace bulwark::loadgen
