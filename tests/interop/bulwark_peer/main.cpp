// bulwark-peer: reads one JSON request per line on stdin and answers each with one JSON line
// on stdout (tests/interop/README.md). `--seed N` makes every key it generates reproducible;
// otherwise it uses the system CSPRNG.
#include "json_line_loop.h"
#include "peer.h"

int main(int argc, char** argv) {
  auto rng = bulwark::interop::peer_rng_from_args(argc, argv, "bulwark-peer [--seed N]");
  if (!rng) return 2;
  bulwark::interop::Peer peer(*rng);
  return bulwark::interop::serve_json_lines(
      [&](const std::string& line) { return peer.handle(line); });
}
