// A message body read from stdin, for the commands that take `-m TEXT` or the text on stdin
// (`send`, `group send`).
#pragma once

#include <string>

namespace bulwark::cli {

// The whole of stdin without its final newline, read up to one byte more than
// client::max_body_bytes, so that the client refuses a body that is too long instead of the
// CLI reading without bound.
[[nodiscard]] std::string read_stdin_body();

}  // namespace bulwark::cli
