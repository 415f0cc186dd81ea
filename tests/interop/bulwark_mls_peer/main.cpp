// bulwark-mls-peer: reads one JSON request per line on stdin and answers each with one JSON
// line on stdout (tests/interop/mls/README.md). `--seed N` makes every key and nonce it
// generates reproducible; otherwise it uses the system CSPRNG. EOF on stdin ends it with
// status 0.
#include "json_line_loop.h"
#include "mls_peer.h"

int main(int argc, char** argv) {
  auto rng = bulwark::interop::peer_rng_from_args(argc, argv, "bulwark-mls-peer [--seed N]");
  if (!rng) return 2;
  bulwark::interop::MlsPeer peer(*rng);
  return bulwark::interop::serve_json_lines(
      [&](const std::string& line) { return peer.handle(line); });
}
