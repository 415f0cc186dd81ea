// How a PostgreSQL failure becomes an Error (the mapping store/sql/db.h fixes for every
// backend), by SQLSTATE: 23505 unique_violation is Errc::conflict, 23503 foreign_key_violation
// Errc::not_found; class 08 (connection exception), 57P01-57P03 (the server shutting down or
// starting), 53300 (too many connections), 40P01 (deadlock), 40001 (serialization failure),
// 55P03 (lock timeout) and a connection that broke are Errc::unavailable (retryable);
// everything else is Errc::storage.
//
// The context is the operation's name, the server's primary message and the SQLSTATE. It never
// holds a bound value: the server's DETAIL lines (which quote key values) are not used, and
// class 22 (data exception) messages, which may quote the offending value, are replaced by a
// fixed text.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

struct pg_conn;
struct pg_result;

namespace bulwark::store::pg {

[[nodiscard]] Errc errc_for_sqlstate(std::string_view sqlstate) noexcept;

// The Error for a failed command: `result` may be null (libpq could not even send it). When the
// connection is no longer usable the error is Errc::unavailable whatever the SQLSTATE.
[[nodiscard]] Error command_error(std::string_view op, const pg_result* result,
                                  const pg_conn* conn);

// The first line of libpq's last message on `conn`, with every occurrence of `secret` (a
// password, when not empty) masked.
[[nodiscard]] std::string connection_message(const pg_conn* conn, std::string_view secret = {});

}  // namespace bulwark::store::pg
