// PgServer: a private PostgreSQL 15 server for tests, from the Debian package's binaries
// (/usr/lib/postgresql/15/bin). start() runs initdb into a fresh temporary directory and
// postgres on a free loopback port (its Unix socket in that directory too, fsync on); stop()
// shuts it down (SIGINT: fast shutdown), crash() stops it at once (SIGQUIT) and the destructor stops it and removes the directory.
//
// PostgreSQL refuses to run as root: when this process is root, initdb and postgres run as
// the `postgres` user, which then owns the directory. The superuser is `bulwark` with a
// password (password authentication over TCP, so tests can present a wrong one).
//
// Every wait is bounded; a failure's Error carries the end of the server's log. One PgServer
// per test binary (starting one takes seconds); tests take a database or schema each.
// Not thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::test {

class PgServer {
 public:
  [[nodiscard]] static Result<std::unique_ptr<PgServer>> start();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;
  ~PgServer();

  // Fast shutdown of the running server (clients are disconnected); a no-op when stopped.
  [[nodiscard]] Result<void> stop();
  // Immediate shutdown (SIGQUIT to the postmaster), as a crash would leave it: backends end at
  // once without a checkpoint, and the next start recovers from the WAL. A no-op when stopped.
  [[nodiscard]] Result<void> crash();
  // Starts the stopped server again: same data, same port.
  [[nodiscard]] Result<void> restart();
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // The postmaster's pid (-1 when stopped): a benchmark reads its CPU time and its backends'.
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] const std::string& password() const noexcept { return password_; }
  // A libpq connection string for `database` as the superuser, with `password` (the right
  // one unless a test wants a wrong one) and extra "key=value" options appended.
  [[nodiscard]] std::string conninfo(std::string_view database, std::string_view extra = {}) const;
  [[nodiscard]] std::string conninfo_with_password(std::string_view database,
                                                   std::string_view password) const;

  // A new empty database, named bulwark_<n>.
  [[nodiscard]] Result<std::string> create_database();
  // A new empty schema in database `postgres`, named bulwark_<n>: far cheaper than a
  // database (no template copy, no checkpoint to drop it). Connect with search_options(name).
  [[nodiscard]] Result<std::string> create_schema();
  [[nodiscard]] Result<void> drop_schema(std::string_view schema);
  // The conninfo extra that makes `schema` the connection's only schema, plus session
  // `settings` ("-cname=value ...", no quotes), if any.
  [[nodiscard]] static std::string search_options(std::string_view schema,
                                                  std::string_view settings = {});

  // Ends every other session whose application_name is `application` (the store's is
  // "bulwark"), as an administrator or a failover would: their next command finds the
  // connection closed.
  [[nodiscard]] Result<void> terminate_sessions(std::string_view application);

  // The last lines of the server's log, for failure messages.
  [[nodiscard]] std::string log_tail() const;

  class Key {
    friend class PgServer;
    Key() = default;
  };
  PgServer(Key /*key*/, std::filesystem::path dir, std::uint16_t port);

 private:
  [[nodiscard]] Result<void> init_cluster();
  [[nodiscard]] Result<void> launch();
  [[nodiscard]] Result<void> wait_until_ready();
  [[nodiscard]] Result<void> run_sql(std::string_view database, const std::string& sql);

  std::filesystem::path dir_;
  std::uint16_t port_;
  std::string password_;
  pid_t pid_ = -1;
  int next_name_ = 0;
};

}  // namespace bulwark::test
