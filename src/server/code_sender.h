// CodeSender: delivers a verification code to a phone, pluggably (DESIGN.md, issue 4):
//   log          prints "verification code for +1...: 123456" through the server's logger
//                (the development default: the operator reads it off the console)
//   file:PATH    appends {"phone":"+12015550123","code":"123456"} plus a newline to PATH,
//                one JSON object per line (tests and scripts read it)
//   webhook:URL  POSTs {"phone":...,"code":...} as JSON to an http:// or https:// URL (a real
//                SMS gateway); a non-2xx answer or a timeout (5 s) is an error
// The code is a secret in transit: the log and file senders exist for development and tests;
// nothing else ever logs a code.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::server {

class CodeSender {
 public:
  virtual ~CodeSender() = default;
  // Blocking; called off the I/O threads. Errc::network / Errc::storage on failure.
  [[nodiscard]] virtual Result<void> send(std::string_view e164, std::string_view code) = 0;
  // Where codes appear, for the start-up banner ("printed on this console", "file /x/codes").
  [[nodiscard]] virtual std::string describe() const = 0;
};

// Parses the --verification setting. Errc::invalid_argument for an unknown scheme or URL.
[[nodiscard]] Result<std::unique_ptr<CodeSender>> make_code_sender(std::string_view setting);

}  // namespace bulwark::server
