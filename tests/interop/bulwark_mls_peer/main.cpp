// bulwark-mls-peer: reads one JSON request per line on stdin and answers each with one JSON
// line on stdout (tests/interop/mls/README.md). Lines longer than max_line_bytes are refused,
// not read whole. `--seed N` makes every key and nonce it generates reproducible; otherwise it
// uses the system CSPRNG. EOF on stdin ends it with status 0.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "crypto/random.h"
#include "mls_peer.h"
#include "support/seeded_rng.h"

namespace {

// Above the driver's 1 MiB response bound: a request never needs more.
constexpr std::size_t max_line_bytes = 4 * 1024 * 1024;

enum class LineStatus { ok, too_long, eof };

// Reads one line without ever holding more than max_line_bytes of it.
LineStatus read_line(std::string& line) {
  line.clear();
  bool too_long = false;
  int c = 0;
  while ((c = std::getchar()) != EOF && c != '\n') {
    if (line.size() < max_line_bytes)
      line.push_back(static_cast<char>(c));
    else
      too_long = true;
  }
  if (c == EOF && line.empty() && !too_long) return LineStatus::eof;
  return too_long ? LineStatus::too_long : LineStatus::ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<bulwark::Rng> rng;
  if (argc == 3 && std::strcmp(argv[1], "--seed") == 0) {
    rng = std::make_unique<bulwark::testing::SeededRng>(std::stoull(argv[2]));
  } else if (argc == 1) {
    rng = std::make_unique<bulwark::crypto::SystemRng>();
  } else {
    std::fprintf(stderr, "usage: bulwark-mls-peer [--seed N]\n");
    return 2;
  }
  bulwark::interop::MlsPeer peer(*rng);
  std::string line;
  for (LineStatus status; (status = read_line(line)) != LineStatus::eof;) {
    nlohmann::json response =
        status == LineStatus::too_long
            ? nlohmann::json{{"ok", false}, {"error", "request line too long"}}
            : peer.handle(line);
    // Error texts may quote invalid UTF-8 from a malformed line: replace it, never throw.
    std::cout << response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
              << std::flush;
  }
  return 0;
}
