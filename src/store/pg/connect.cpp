// PgDb::connect: opening the connection, kept apart from the statement machinery (db.cpp).
#include <libpq-fe.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <string>

#include "store/pg/db.h"
#include "store/pg/errors.h"

namespace bulwark::store::pg {
namespace {

// The server's notices (a DROP's cascade list, say) would go to stderr: the store has its own
// errors and logs nothing itself.
void ignore_notice(void* /*arg*/, const char* /*message*/) {}

struct ConninfoDeleter {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};

// What a message may name about the target: host (or socket directory) and port. The password
// is only collected so that it can be masked should libpq ever echo it.
struct Target {
  std::string endpoint;
  std::string password;
  std::string options;  // the operator's own session options, if any
};

// The session options: ours first, so that the operator's (later) win for any they also set.
std::string session_options(const PgSessionLimits& limits, const std::string& operators) {
  std::string out = "-c lock_timeout=" + std::to_string(limits.lock_timeout.count()) +
                    " -c statement_timeout=" + std::to_string(limits.statement_timeout.count());
  if (!operators.empty()) out += " " + operators;
  return out;
}

Result<Target> parse_target(const std::string& conninfo) {
  char* parse_error = nullptr;
  const std::unique_ptr<PQconninfoOption, ConninfoDeleter> options(
      PQconninfoParse(conninfo.c_str(), &parse_error));
  // The parser's message may quote the connection string, password included: not used.
  PQfreemem(parse_error);
  if (options == nullptr) {
    return fail(Errc::invalid_argument, "connect to PostgreSQL: invalid connection string");
  }
  std::string host = "localhost";
  std::string port = "5432";
  Target target;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr || option->val[0] == '\0') continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "host" || (keyword == "hostaddr" && host == "localhost")) host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "password") target.password = option->val;
    if (keyword == "options") target.options = option->val;
  }
  target.endpoint = host + ":" + port;
  // An explicit `options` keyword overrides PGOPTIONS, so the environment's are carried over.
  if (target.options.empty()) {
    if (const char* environment = std::getenv("PGOPTIONS")) target.options = environment;
  }
  return target;
}

}  // namespace

Result<std::unique_ptr<PgDb>> PgDb::connect(const std::string& conninfo,
                                            std::chrono::seconds connect_timeout,
                                            PgSessionLimits limits) {
  const Target target = BULWARK_TRY(parse_target(conninfo));
  const std::string timeout = std::to_string(connect_timeout.count());
  const std::string options = session_options(limits, target.options);
  // dbname carries the whole connection string (expand_dbname); the later keywords override it.
  const std::array<const char*, 6> keywords{"dbname",           "connect_timeout", "client_encoding",
                                            "application_name", "options",         nullptr};
  const std::array<const char*, 6> values{conninfo.c_str(), timeout.c_str(), "UTF8", "bulwark",
                                          options.c_str(),  nullptr};
  pg_conn* conn = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (conn == nullptr) {
    return fail(Errc::unavailable,
                "connect to PostgreSQL at " + target.endpoint + ": out of memory");
  }
  auto db = std::make_unique<PgDb>(Key{}, conn, target.endpoint);  // owns conn from here
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  if (PQstatus(conn) != CONNECTION_OK) {
    return fail(Errc::unavailable, "connect to PostgreSQL at " + target.endpoint + ": " +
                                       connection_message(conn, target.password));
  }
  return db;
}

}  // namespace bulwark::store::pg
