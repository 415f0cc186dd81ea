#include "store/pg/db.h"

#include <libpq-fe.h>

#include <charconv>
#include <utility>

#include "store/pg/errors.h"
#include "store/pg/statement.h"

namespace bulwark::store::pg {
namespace {

constexpr sql::Sql begin_sql{"begin transaction", "BEGIN"};
// One round trip: the commit of this transaction only inserts its WAL record, and a later
// synced commit (the store's commit barrier) flushes it.
constexpr sql::Sql begin_unsynced_sql{"begin transaction",
                                      "BEGIN; SET LOCAL synchronous_commit = off"};
constexpr sql::Sql commit_sql{"commit", "COMMIT"};
constexpr sql::Sql savepoint_sql{"savepoint", "SAVEPOINT bulwark_sp"};
constexpr sql::Sql release_sql{"release savepoint", "RELEASE SAVEPOINT bulwark_sp"};
constexpr sql::Sql append_lock_sql{"lock log for append", "SELECT pg_advisory_xact_lock(?)"};

// The command tag's verb: "INSERT 0 1" -> "INSERT".
std::string_view tag_verb(const PGresult* result) {
  const std::string_view tag = PQcmdStatus(const_cast<PGresult*>(result));
  return tag.substr(0, tag.find(' '));
}

// A query that only reads (the store's reads all start with SELECT).
bool is_read(std::string_view text) { return text.substr(0, 7) == "SELECT "; }

bool counts_changes(std::string_view verb) {
  return verb == "INSERT" || verb == "UPDATE" || verb == "DELETE" || verb == "MERGE";
}

}  // namespace

void PgResultDeleter::operator()(pg_result* result) const noexcept { PQclear(result); }

PgDb::PgDb(Key /*key*/, pg_conn* conn, std::string endpoint) noexcept
    : conn_(conn), endpoint_(std::move(endpoint)) {}

PgDb::~PgDb() { PQfinish(conn_); }

bool PgDb::connection_ok() const noexcept { return PQstatus(conn_) == CONNECTION_OK; }

Result<void> PgDb::ensure_connected() {
  if (connection_ok()) return {};
  if (const auto wait = backoff_.wait_at(clock_()); wait.count() > 0) {
    return fail(Errc::unavailable, "PostgreSQL at " + endpoint_ +
                                       " is unreachable; the next reconnection attempt is in " +
                                       std::to_string(wait.count()) + " ms");
  }
  // Prepared statements belong to the session that died: prepare them again on first use.
  for (auto& [text, prepared] : cache_) prepared.names.clear();
  PQreset(conn_);
  if (!connection_ok()) {
    backoff_.failed(clock_());
    return fail(Errc::unavailable,
                "reconnect to PostgreSQL at " + endpoint_ + ": " + connection_message(conn_));
  }
  backoff_.succeeded();
  return {};
}

Result<sql::Statement> PgDb::prepare(sql::Sql sql) {
  if (!in_transaction()) BULWARK_TRY(ensure_connected());
  auto [it, inserted] = cache_.try_emplace(std::string(sql.text));
  PreparedText& text = it->second;
  if (inserted) text.numbered = number_placeholders(sql.text);
  for (auto& execution : text.executions) {
    if (!execution->in_use()) {
      execution->acquire(sql.op);
      return sql::Statement(*execution, sql.op);
    }
  }
  text.executions.push_back(std::make_unique<PgStatement>(*this, text));
  text.executions.back()->acquire(sql.op);
  return sql::Statement(*text.executions.back(), sql.op);
}

Result<std::string> PgDb::prepared_name(PreparedText& text, std::string_view op,
                                        const std::vector<unsigned int>& types) {
  if (auto found = text.names.find(types); found != text.names.end()) return found->second;
  std::string name = "bulwark_" + std::to_string(next_name_++);
  const PgResult prepared(PQprepare(conn_, name.c_str(), text.numbered.text.c_str(),
                                    static_cast<int>(types.size()), types.data()));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    return tl::unexpected(command_error(op, prepared.get(), conn_));
  }
  text.names.emplace(types, name);
  return name;
}

Result<PgResult> PgDb::execute_prepared(PreparedText& text, std::string_view op,
                                        const std::vector<unsigned int>& types,
                                        const std::vector<const char*>& values,
                                        const std::vector<int>& lengths) {
  auto result = execute_once(text, op, types, values, lengths);
  if (result || connection_ok() || in_transaction() || !is_read(text.numbered.text)) {
    return result;
  }
  // A read outside any transaction changed nothing, so when it found the connection dead (the
  // server restarted while this one was idle: libpq learns that only by using the socket) it
  // is repeated once on a new one.
  BULWARK_TRY(ensure_connected());
  return execute_once(text, op, types, values, lengths);
}

Result<PgResult> PgDb::execute_once(PreparedText& text, std::string_view op,
                                    const std::vector<unsigned int>& types,
                                    const std::vector<const char*>& values,
                                    const std::vector<int>& lengths) {
  if (static_cast<int>(types.size()) != text.numbered.parameters) {
    return fail(Errc::storage, std::string(op) + ": " + std::to_string(types.size()) +
                                   " values bound for " + std::to_string(text.numbered.parameters) +
                                   " parameters");
  }
  const std::string name = BULWARK_TRY(prepared_name(text, op, types));
  const std::vector<int> formats(types.size(), 1);
  PgResult result(PQexecPrepared(conn_, name.c_str(), static_cast<int>(types.size()), values.data(),
                                 lengths.data(), formats.data(), 1));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return tl::unexpected(command_error(op, result.get(), conn_));
  }
  if (const std::string_view verb = tag_verb(result.get()); counts_changes(verb)) {
    const std::string_view rows = PQcmdTuples(result.get());
    changes_ = 0;
    std::from_chars(rows.data(), rows.data() + rows.size(), changes_);
  }
  return result;
}

Result<void> PgDb::execute(sql::Sql sql) {
  if (!in_transaction()) BULWARK_TRY(ensure_connected());
  if (inject_fault()) return fail(Errc::storage, std::string(sql.op) + ": injected fault");
  const PgResult result(PQexec(conn_, std::string(sql.text).c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return tl::unexpected(command_error(sql.op, result.get(), conn_));
  }
  return {};
}

Result<void> PgDb::control(sql::Sql sql, std::string_view expected_tag) {
  if (inject_fault()) return fail(Errc::storage, std::string(sql.op) + ": injected fault");
  const PgResult result(PQexec(conn_, sql.text.data()));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return tl::unexpected(command_error(sql.op, result.get(), conn_));
  }
  if (tag_verb(result.get()) != expected_tag) {
    return fail(Errc::storage, std::string(sql.op) + ": the transaction was rolled back");
  }
  return {};
}

Result<void> PgDb::commit(std::string_view op) {
  // A statement failed outside any savepoint: the server would answer COMMIT with ROLLBACK.
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    return fail(Errc::storage, std::string(op) + ": an earlier statement failed");
  }
  auto committed = control(commit_sql, "COMMIT");
  if (!committed && committed.error().code == Errc::unavailable) {
    return fail(Errc::unavailable, std::string(op) +
                                       ": outcome unknown, the connection to PostgreSQL at " +
                                       endpoint_ + " was lost");
  }
  return committed;
}

bool PgDb::in_transaction() const noexcept {
  switch (PQtransactionStatus(conn_)) {
    case PQTRANS_IDLE:
      return false;
    case PQTRANS_UNKNOWN:
      // The connection broke: the transaction is gone on the server, but its owner has still
      // to roll it back here.
      return explicit_transaction_ || savepoint_depth_ > 0;
    default:
      return true;
  }
}

Result<void> PgDb::begin(Sync sync) {
  BULWARK_TRY(ensure_connected());
  // The last command's tag: SET after BEGIN for an unsynced one.
  const sql::Sql& text = sync == Sync::on ? begin_sql : begin_unsynced_sql;
  const std::string_view tag = sync == Sync::on ? "BEGIN" : "SET";
  auto begun = control(text, tag);
  if (!begun && connection_ok() && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    // BEGIN went through but what followed it failed: no transaction may stay open.
    exec_unfailing("ROLLBACK");
  }
  if (begun || connection_ok()) return begun;
  // BEGIN changes nothing: on a connection found dead it is sent again, once, on a new one.
  BULWARK_TRY(ensure_connected());
  return control(text, tag);
}

Result<void> PgDb::begin_transaction() {
  if (in_transaction()) contract_violation("store::pg::PgDb: transaction already open");
  BULWARK_TRY(begin(Sync::on));
  explicit_transaction_ = true;
  unsynced_transaction_ = false;
  return {};
}

Result<void> PgDb::commit_transaction() {
  if (unsynced_transaction_ && before_unsynced_commit_) before_unsynced_commit_();
  BULWARK_TRY(commit("commit"));
  explicit_transaction_ = false;
  unsynced_transaction_ = false;
  rollback_failed_ = false;
  return {};
}

Result<void> PgDb::begin_transaction_unsynced() {
  if (in_transaction()) contract_violation("store::pg::PgDb: transaction already open");
  BULWARK_TRY(begin(Sync::off));
  explicit_transaction_ = true;
  unsynced_transaction_ = true;
  return {};
}

void PgDb::rollback_transaction() noexcept {
  if (connection_ok() && PQtransactionStatus(conn_) != PQTRANS_IDLE) exec_unfailing("ROLLBACK");
  explicit_transaction_ = false;
  unsynced_transaction_ = false;
  savepoint_owns_transaction_ = false;
  rollback_failed_ = false;
  savepoint_depth_ = 0;
}

Result<void> PgDb::begin_savepoint() {
  if (savepoint_depth_ == 0 && !in_transaction()) {
    BULWARK_TRY(begin(Sync::on));
    savepoint_owns_transaction_ = true;
  } else {
    BULWARK_TRY(control(savepoint_sql, "SAVEPOINT"));
  }
  ++savepoint_depth_;
  return {};
}

Result<void> PgDb::release_savepoint() {
  if (savepoint_depth_ == 1 && savepoint_owns_transaction_) {
    // A nested rollback that failed may have left partial work: never commit it.
    if (rollback_failed_) return fail(Errc::storage, "commit: an earlier rollback failed");
    BULWARK_TRY(commit("commit"));
    savepoint_owns_transaction_ = false;
  } else {
    BULWARK_TRY(control(release_sql, "RELEASE"));
  }
  --savepoint_depth_;
  return {};
}

void PgDb::rollback_savepoint() noexcept {
  --savepoint_depth_;
  const bool outermost = savepoint_depth_ == 0 && savepoint_owns_transaction_;
  if (outermost) {
    if (connection_ok() && PQtransactionStatus(conn_) != PQTRANS_IDLE) exec_unfailing("ROLLBACK");
    savepoint_owns_transaction_ = false;
    rollback_failed_ = false;
    return;
  }
  if (!exec_unfailing("ROLLBACK TO SAVEPOINT bulwark_sp") ||
      !exec_unfailing("RELEASE SAVEPOINT bulwark_sp")) {
    rollback_failed_ = true;
  }
}

bool PgDb::transaction_damaged() const noexcept {
  if (!explicit_transaction_) return false;
  if (rollback_failed_ || !connection_ok()) return true;
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  // Ended by the server, or aborted by a statement that ran outside any savepoint.
  return status == PQTRANS_IDLE || (status == PQTRANS_INERROR && savepoint_depth_ == 0);
}

Result<void> PgDb::lock_for_append(std::string_view log) {
  auto lock = BULWARK_TRY(prepare(append_lock_sql));
  lock.bind(append_lock_key(log));
  return lock.finish();
}

bool PgDb::exec_unfailing(const char* sql) noexcept {
  if (!connection_ok()) return false;
  const PgResult result(PQexec(conn_, sql));
  return PQresultStatus(result.get()) == PGRES_COMMAND_OK;
}

std::int64_t append_lock_key(std::string_view log) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view text) {
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
  };
  mix("bulwark log ");
  mix(log);
  return static_cast<std::int64_t>(hash);
}

}  // namespace bulwark::store::pg
