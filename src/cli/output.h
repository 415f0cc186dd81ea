// Output and exit codes of `bulwark` (docs/CLI.md). Data goes to stdout: in text mode for
// people, in json mode one object per line with a "type" field; logs and errors go to stderr.
// Exit codes (signal-cli's): 0 ok, 1 usage or input the user can fix, 2 unexpected,
// 3 server or network, 4 untrusted identity, 5 rate limited; bulwark-admin lawful also 6 refused
// by the workflow (and logged), 7 pending (a release waiting for the witnesses: run it again).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"

namespace bulwark::cli {

enum ExitCode { exit_ok = 0, exit_usage = 1, exit_unexpected = 2, exit_network = 3,
                exit_untrusted = 4, exit_rate_limited = 5, exit_refused = 6, exit_pending = 7 };

[[nodiscard]] int exit_code_for(const Error& error);

class Output {
 public:
  explicit Output(bool json) : json_(json) {}
  [[nodiscard]] bool json() const noexcept { return json_; }
  // One record: in json mode `object` (which has "type") on one line; else `text`.
  void emit(const nlohmann::json& object, const std::string& text) const;
  // An error on stderr (and, in json mode, as {"type":"error",...} on stdout); returns the
  // exit code for it.
  [[nodiscard]] int error(const Error& error) const;
  void log(const std::string& line) const;  // stderr

 private:
  bool json_;
};

}  // namespace bulwark::cli
