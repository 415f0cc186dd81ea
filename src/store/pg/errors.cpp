#include "store/pg/errors.h"

#include <libpq-fe.h>

namespace bulwark::store::pg {
namespace {

std::string first_line(std::string_view text) {
  const std::size_t end = text.find('\n');
  std::string line(end == std::string_view::npos ? text : text.substr(0, end));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

void mask(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
}

}  // namespace

Errc errc_for_sqlstate(std::string_view sqlstate) noexcept {
  if (sqlstate == "23505") return Errc::conflict;
  if (sqlstate == "23503") return Errc::not_found;
  if (sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || sqlstate == "53300") {
    return Errc::unavailable;
  }
  // Lost a race with another connection (deadlock_detected, serialization_failure,
  // lock_not_available): nothing was stored and the same request may well succeed again.
  if (sqlstate == "40P01" || sqlstate == "40001" || sqlstate == "55P03") return Errc::unavailable;
  // query_canceled: the session's statement_timeout (store/pg/db.h PgSessionLimits) ended it;
  // its transaction is rolled back, and the request may be retried.
  if (sqlstate == "57014") return Errc::unavailable;
  return Errc::storage;
}

Error command_error(std::string_view op, const pg_result* result, const pg_conn* conn) {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary =
      result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string context(op);
  context += ": ";
  const std::string_view sqlstate = state == nullptr ? std::string_view() : state;
  if (sqlstate.substr(0, 2) == "22") {
    context += "a value the database refused";
  } else if (primary != nullptr) {
    context += first_line(primary);
  } else {
    context += connection_message(conn);
  }
  if (!sqlstate.empty()) {
    context += " (SQLSTATE ";
    context += sqlstate;
    context += ')';
  }
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    return Error{Errc::unavailable, context + " (connection to the database lost)"};
  }
  return Error{errc_for_sqlstate(sqlstate), std::move(context)};
}

std::string connection_message(const pg_conn* conn, std::string_view secret) {
  if (conn == nullptr) return "out of memory";
  std::string line = first_line(PQerrorMessage(conn));
  if (line.empty()) line = "no message";
  mask(line, secret);
  return line;
}

}  // namespace bulwark::store::pg
