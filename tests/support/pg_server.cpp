#include "support/pg_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

namespace bulwark::test {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path pg_bin = "/usr/lib/postgresql/15/bin";
constexpr auto initdb_timeout = 120s;
constexpr auto ready_timeout = 60s;
constexpr auto stop_timeout = 30s;
constexpr auto poll_interval = 20ms;

// The account PostgreSQL runs as when we are root (it refuses root itself).
struct RunAs {
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<std::optional<RunAs>> run_as() {
  if (::geteuid() != 0) return std::optional<RunAs>{};
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr) return fail(Errc::internal, "running as root, and no `postgres` user");
  return std::optional<RunAs>{RunAs{user->pw_uid, user->pw_gid}};
}

Result<std::uint16_t> free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(Errc::internal, "socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  ::close(fd);
  if (!ok) return fail(Errc::internal, "no free loopback port");
  return ntohs(address.sin_port);
}

// Forks and execs `argv` with stdout and stderr appended to `log`, as `user` when set. The
// child dies with this process (PR_SET_PDEATHSIG), so a crashed test leaves no server behind.
Result<pid_t> spawn(const std::vector<std::string>& argv, const std::filesystem::path& log,
                    const std::optional<RunAs>& user) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::string log_path = log.string();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return fail(Errc::internal, "fork failed");
  if (pid > 0) return pid;
  // The child: only async-signal-safe calls from here.
  if (user &&
      (::setgroups(0, nullptr) != 0 || ::setgid(user->gid) != 0 || ::setuid(user->uid) != 0)) {
    ::_exit(126);
  }
  // After setuid, which clears the parent-death signal.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(126);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (null_fd < 0 || log_fd < 0) ::_exit(126);
  ::dup2(null_fd, 0);
  ::dup2(log_fd, 1);
  ::dup2(log_fd, 2);
  ::execv(args[0], args.data());
  ::_exit(127);
}

// The exit status of `pid` once it exits within `timeout`; nullopt if it is still running.
std::optional<int> wait_exit(pid_t pid, std::chrono::steady_clock::duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(poll_interval);
  }
}

Result<void> give_to(const std::filesystem::path& dir, const std::optional<RunAs>& user) {
  if (!user) return {};
  if (::chown(dir.c_str(), user->uid, user->gid) != 0) {
    return fail(Errc::internal, "chown " + dir.string() + " failed");
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (::chown(entry.path().c_str(), user->uid, user->gid) != 0) {
      return fail(Errc::internal, "chown " + entry.path().string() + " failed");
    }
  }
  return {};
}

std::string quote_conninfo(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

PgServer::PgServer(Key /*key*/, std::filesystem::path dir, std::uint16_t port)
    : dir_(std::move(dir)), port_(port), password_("bulwark-test-secret-4b1d") {}

Result<std::unique_ptr<PgServer>> PgServer::start() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bulwark-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return fail(Errc::internal, "mkdtemp failed");
  const std::uint16_t port = BULWARK_TRY(free_loopback_port());
  auto server = std::make_unique<PgServer>(Key{}, std::filesystem::path(pattern), port);
  BULWARK_TRY(server->init_cluster());
  BULWARK_TRY(server->launch());
  return server;
}

PgServer::~PgServer() {
  static_cast<void>(stop());
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Result<void> PgServer::init_cluster() {
  const auto user = BULWARK_TRY(run_as());
  {
    std::ofstream password_file(dir_ / "password");
    password_file << password_ << '\n';
  }
  BULWARK_TRY(give_to(dir_, user));
  const std::vector<std::string> argv{(pg_bin / "initdb").string(),
                                      "-D",
                                      (dir_ / "data").string(),
                                      "-U",
                                      "bulwark",
                                      "--pwfile=" + (dir_ / "password").string(),
                                      "--auth-local=trust",
                                      "--auth-host=scram-sha-256",
                                      "-E",
                                      "UTF8",
                                      "--no-locale",
                                      "--no-sync"};
  const pid_t pid = BULWARK_TRY(spawn(argv, dir_ / "initdb.log", user));
  const auto status = wait_exit(pid, initdb_timeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    wait_exit(pid, stop_timeout);
    return fail(Errc::internal, "initdb timed out");
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    std::ifstream log(dir_ / "initdb.log");
    std::stringstream text;
    text << log.rdbuf();
    return fail(Errc::internal, "initdb failed: " + text.str());
  }
  return {};
}

Result<void> PgServer::launch() {
  const auto user = BULWARK_TRY(run_as());
  const std::vector<std::string> argv{(pg_bin / "postgres").string(),
                                      "-D",
                                      (dir_ / "data").string(),
                                      "-p",
                                      std::to_string(port_),
                                      "-k",
                                      dir_.string(),
                                      "-c",
                                      "listen_addresses=127.0.0.1",
                                      "-c",
                                      "fsync=on",
                                      "-c",
                                      "max_connections=40",
                                      "-c",
                                      "shared_buffers=32MB"};
  pid_ = BULWARK_TRY(spawn(argv, dir_ / "postgres.log", user));
  return wait_until_ready();
}

Result<void> PgServer::wait_until_ready() {
  const std::string info = conninfo("postgres", "connect_timeout=2");
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  for (;;) {
    if (PQping(info.c_str()) == PQPING_OK) return {};
    if (wait_exit(pid_, std::chrono::steady_clock::duration::zero())) {
      pid_ = -1;
      return fail(Errc::internal, "postgres exited while starting:\n" + log_tail());
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return fail(Errc::internal, "postgres not ready in time:\n" + log_tail());
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

Result<void> PgServer::stop() {
  if (pid_ <= 0) return {};
  ::kill(pid_, SIGINT);
  const auto status = wait_exit(pid_, stop_timeout);
  if (!status) {
    ::kill(pid_, SIGKILL);
    wait_exit(pid_, stop_timeout);
  }
  pid_ = -1;
  if (!status) return fail(Errc::internal, "postgres did not stop in time:\n" + log_tail());
  return {};
}

Result<void> PgServer::crash() {
  if (pid_ <= 0) return {};
  ::kill(pid_, SIGQUIT);
  const auto status = wait_exit(pid_, stop_timeout);
  if (!status) {
    ::kill(pid_, SIGKILL);
    wait_exit(pid_, stop_timeout);
  }
  pid_ = -1;
  if (!status) return fail(Errc::internal, "postgres did not stop at once:\n" + log_tail());
  return {};
}

Result<void> PgServer::restart() {
  if (running()) return fail(Errc::internal, "restart: postgres is still running");
  return launch();
}

std::string PgServer::conninfo(std::string_view database, std::string_view extra) const {
  std::string info = conninfo_with_password(database, password_);
  if (!extra.empty()) info += " " + std::string(extra);
  return info;
}

std::string PgServer::conninfo_with_password(std::string_view database,
                                             std::string_view password) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=bulwark dbname=" + std::string(database) + " password=" + quote_conninfo(password);
}

std::string PgServer::search_options(std::string_view schema, std::string_view settings) {
  std::string options = "options='-csearch_path=" + std::string(schema);
  if (!settings.empty()) options += " " + std::string(settings);
  return options + "'";
}

Result<void> PgServer::run_sql(std::string_view database, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo(database).c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(conn);
  if (!error.empty()) return fail(Errc::storage, sql + ": " + error);
  return {};
}

Result<std::string> PgServer::create_database() {
  std::string name = "bulwark_" + std::to_string(next_name_++);
  BULWARK_TRY(run_sql("postgres", "CREATE DATABASE " + name));
  return name;
}

Result<std::string> PgServer::create_schema() {
  std::string name = "bulwark_" + std::to_string(next_name_++);
  BULWARK_TRY(run_sql("postgres", "CREATE SCHEMA " + name));
  return name;
}

Result<void> PgServer::drop_schema(std::string_view schema) {
  // Quietly: the cascade's notice lists every table.
  return run_sql("postgres", "SET client_min_messages = warning; DROP SCHEMA " +
                                 std::string(schema) + " CASCADE");
}

Result<void> PgServer::terminate_sessions(std::string_view application) {
  return run_sql("postgres",
                 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                 "pg_backend_pid() AND application_name = '" +
                     std::string(application) + "'");
}

std::string PgServer::log_tail() const {
  std::ifstream log(dir_ / "postgres.log");
  std::vector<std::string> lines;
  for (std::string line; std::getline(log, line);) lines.push_back(line);
  constexpr std::size_t keep = 20;
  std::string tail;
  for (std::size_t i = lines.size() > keep ? lines.size() - keep : 0; i < lines.size(); ++i) {
    tail += lines[i] + "\n";
  }
  return tail;
}

}  // namespace bulwark::test
