// Server: bulwark-server's process, wired together. Owns the I/O threads (one io_context,
// a strand per connection - none with a single I/O thread, where every handler already runs
// alone), the listener, the store and sync threads (StoreExecutor), and the
// maintenance timer that expires queued envelopes after their retention and prunes the IP log
// after its window.
//
// stop() (SIGTERM/SIGINT in main.cpp) drains: it stops accepting, answers new requests
// UNAVAILABLE, lets every store job already queued commit and its answer be written, closes
// every WebSocket with "going away", and returns from run() once they are closed (or after
// 5 s), so an acknowledged send is always durable and an unacknowledged one was answered.
#pragma once

#include <cstdint>
#include <memory>

#include "common/result.h"
#include "server/config.h"

namespace bulwark::store {
class Store;
}

namespace bulwark::server {

class Server {
 public:
  // Opens (creating) the data directory, its SQLite database and TLS files.
  [[nodiscard]] static Result<std::unique_ptr<Server>> create(const ServerConfig& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listener; the port it got (useful with port 0). With config.plaintext_listen
  // it also binds the benchmark's plaintext listener, refusing a non-loopback address.
  [[nodiscard]] Result<std::uint16_t> listen();
  // The plaintext listener's port after listen(); 0 when there is none.
  [[nodiscard]] std::uint16_t plaintext_port() const;
  // Serves until stop(); blocks. Runs config.threads I/O threads (this one included).
  void run();
  // From any thread or a signal handler's strand.
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::server
