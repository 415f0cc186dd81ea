// bulwark-peer: reads one JSON request per line on stdin and answers each with one JSON line
// on stdout (tests/interop/README.md). Lines longer than max_line_bytes are refused, not read
// whole. `--seed N` makes every key it generates reproducible; otherwise it uses the system
// CSPRNG.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "crypto/random.h"
#include "peer.h"
#include "support/seeded_rng.h"

namespace {

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
  if (argc == 3 && std::strcmp(argv[1], "--seed") == 0)
    rng = std::make_unique<bulwark::testing::SeededRng>(std::stoull(argv[2]));
  else
    rng = std::make_unique<bulwark::crypto::SystemRng>();
  bulwark::interop::Peer peer(*rng);
  std::string line;
  for (LineStatus status; (status = read_line(line)) != LineStatus::eof;) {
    nlohmann::json response =
        status == LineStatus::too_long
            ? nlohmann::json{{"ok", false}, {"error", "request line too long"}}
            : peer.handle(line);
    std::cout << response.dump() << '\n' << std::flush;
  }
  return 0;
}
