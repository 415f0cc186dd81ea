#include "json_line_loop.h"

#include <cstdio>
#include <cstring>
#include <iostream>

#include "crypto/random.h"
#include "support/seeded_rng.h"

namespace bulwark::interop {
namespace {

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

std::unique_ptr<Rng> peer_rng_from_args(int argc, char** argv, const char* usage) {
  if (argc == 3 && std::strcmp(argv[1], "--seed") == 0)
    return std::make_unique<testing::SeededRng>(std::stoull(argv[2]));
  if (argc == 1) return std::make_unique<crypto::SystemRng>();
  std::fprintf(stderr, "usage: %s\n", usage);
  return nullptr;
}

int serve_json_lines(const std::function<nlohmann::json(const std::string&)>& handle) {
  std::string line;
  for (LineStatus status; (status = read_line(line)) != LineStatus::eof;) {
    nlohmann::json response =
        status == LineStatus::too_long
            ? nlohmann::json{{"ok", false}, {"error", "request line too long"}}
            : handle(line);
    // Error texts may quote invalid UTF-8 from a malformed line: replace it, never throw.
    std::cout << response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
              << std::flush;
  }
  return 0;
}

}  // namespace bulwark::interop
