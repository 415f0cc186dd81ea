// The daemon's entry point (bulwark daemon): one JSON-RPC 2.0 line from a local program, run
// against a client with no account yet, so every method runs its parsing and checks and
// stops before any network.
//
// Oracle: every line, whatever it holds, gets exactly one JSON-RPC 2.0 response object with
// either a result or an error (with a numeric code and the CLI exit code).
#include "fuzz_target.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <unistd.h>

#include "cli/daemon_methods.h"
#include "client/client.h"
#include "crypto/random.h"

namespace {

using namespace bulwark;

void must(bool condition) {
  if (!condition) std::abort();
}

struct World {
  std::filesystem::path dir;
  SystemClock clock;
  crypto::SystemRng rng;
  std::unique_ptr<client::Client> client;

  World() {
    auto base = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                    : std::filesystem::temp_directory_path();
    dir = base / ("bulwark-rpc-fuzz-" + std::to_string(::getpid()));
    client::ClientOptions options;
    options.account_dir = dir;
    options.key.key = SecretBytes(32);
    auto opened = client::Client::open(std::move(options), clock, rng);
    must(opened.has_value());
    client = std::move(*opened);
  }
  ~World() {
    client.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  nlohmann::json response = cli::handle_rpc_line(*world.client, line);
  must(response.is_object() && response.value("jsonrpc", "") == "2.0" && response.contains("id"));
  must(response.contains("result") != response.contains("error"));
  if (response.contains("error")) {
    must(response["error"]["code"].is_number_integer());
    must(response["error"]["data"]["exit_code"].is_number_integer());
  }
  (void)response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
