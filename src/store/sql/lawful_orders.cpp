#include <algorithm>
#include <limits>
#include <string>

#include "store/lawful_store.h"
#include "store/sql/lawful.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr std::int64_t max_sql_int = std::numeric_limits<std::int64_t>::max();

// lawful_authority_pems.kind: which of an authority's lists a PEM text belongs to.
enum class PemKind : std::int64_t { anchor = 1, intermediate = 2, crl = 3 };

constexpr Sql count_other_authorities{"count lawful authorities",
                                      "SELECT COUNT(*) FROM lawful_authorities WHERE name <> ?"};
constexpr Sql upsert_authority{
    "store lawful authority",
    "INSERT INTO lawful_authorities (name, jurisdiction, updated_ms) VALUES (?, ?, ?) "
    "ON CONFLICT (name) DO UPDATE SET jurisdiction = excluded.jurisdiction, "
    "updated_ms = excluded.updated_ms"};
constexpr Sql delete_pems{"replace lawful authority PEMs",
                          "DELETE FROM lawful_authority_pems WHERE authority = ?"};
constexpr Sql insert_pem{
    "store lawful authority PEM",
    "INSERT INTO lawful_authority_pems (authority, kind, position, pem) VALUES (?, ?, ?, ?)"};
// One row per PEM (one with NULLs for an authority without any), grouped by authority and in
// list order. Names are ASCII, so byte order is name order (PostgreSQL: COLLATE "C").
constexpr Sql select_authorities{
    "read lawful authorities",
    "SELECT a.name, a.jurisdiction, a.updated_ms, p.kind, p.pem FROM (SELECT name, "
    "jurisdiction, updated_ms FROM lawful_authorities ORDER BY name LIMIT ?) a LEFT JOIN "
    "lawful_authority_pems p ON p.authority = a.name ORDER BY a.name, p.kind, p.position"};
constexpr Sql insert_order{
    "store lawful order",
    "INSERT INTO lawful_orders (authority, order_id, jurisdiction, order_hash, document, "
    "signature, state, received_ms, non_disclosure_until_ms, answer_index) VALUES (?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Sql select_order{
    "read lawful order",
    "SELECT id, authority, order_id, jurisdiction, order_hash, document, signature, state, "
    "received_ms, non_disclosure_until_ms, answer_index FROM lawful_orders WHERE id = ?"};
constexpr Sql select_orders{
    "read lawful orders",
    "SELECT id, authority, order_id, jurisdiction, order_hash, document, signature, state, "
    "received_ms, non_disclosure_until_ms, answer_index FROM lawful_orders WHERE id > ? "
    "ORDER BY id LIMIT ?"};
// A NULL answer index keeps the stored one.
constexpr Sql update_state{
    "set lawful order state",
    "UPDATE lawful_orders SET state = ?, answer_index = COALESCE(?, answer_index) WHERE id = ?"};
// One statement numbers and stores the decision: the next position of its order (one descent
// of lawful_decisions_by_position), so that listing keeps the order they came in.
constexpr Sql insert_decision{
    "store lawful decision",
    "INSERT INTO lawful_decisions (order_id, operator_name, position, operator_key, kind, "
    "signature, reason, time_ms) SELECT ?, ?, COALESCE(MAX(position) + 1, 0), ?, ?, ?, ?, ? "
    "FROM lawful_decisions WHERE order_id = ?"};
constexpr Sql select_decisions{
    "read lawful decisions",
    "SELECT operator_name, operator_key, kind, signature, reason, time_ms FROM lawful_decisions "
    "WHERE order_id = ? ORDER BY position"};

bool known_state(LawfulOrderState state) {
  return state == LawfulOrderState::pending || state == LawfulOrderState::refused ||
         state == LawfulOrderState::answered;
}

Result<void> check_answer_index(std::optional<std::uint64_t> answer_index, std::string_view op) {
  if (answer_index && *answer_index > static_cast<std::uint64_t>(max_sql_int)) {
    return fail(Errc::invalid_argument, std::string(op) + ": answer index out of range");
  }
  return {};
}

Statement& bind_answer_index(Statement& statement, std::optional<std::uint64_t> answer_index) {
  if (!answer_index) return statement.bind_null();
  return statement.bind(static_cast<std::int64_t>(*answer_index));
}

// The error of a failed write with the context a caller can act on; other errors unchanged.
tl::unexpected<Error> explained(Error error, Errc code, std::string context) {
  if (error.code == code) error.context = std::move(context);
  return tl::unexpected<Error>(std::move(error));
}

Result<void> store_pems(Db& db, const std::string& authority, PemKind kind,
                        const std::vector<std::string>& pems) {
  for (std::size_t position = 0; position < pems.size(); ++position) {
    auto statement = BULWARK_TRY(db.prepare(insert_pem));
    statement.bind(authority)
        .bind(static_cast<std::int64_t>(kind))
        .bind(static_cast<std::int64_t>(position))
        .bind(pems[position]);
    BULWARK_TRY(statement.finish());
  }
  return {};
}

Result<void> put_authority_in_savepoint(Db& db, const LawfulAuthority& authority) {
  auto count = BULWARK_TRY(db.prepare(count_other_authorities));
  count.bind(authority.name);
  if (!BULWARK_TRY(count.step())) return fail(Errc::storage, "count lawful authorities: no count");
  if (count.int64_at(0) >= static_cast<std::int64_t>(max_lawful_authorities)) {
    return fail(Errc::conflict, "store lawful authority: too many authorities");
  }
  auto upsert = BULWARK_TRY(db.prepare(upsert_authority));
  upsert.bind(authority.name).bind(authority.jurisdiction).bind(authority.updated_ms);
  BULWARK_TRY(upsert.finish());
  auto clear = BULWARK_TRY(db.prepare(delete_pems));
  clear.bind(authority.name);
  BULWARK_TRY(clear.finish());
  BULWARK_TRY(store_pems(db, authority.name, PemKind::anchor, authority.anchors));
  BULWARK_TRY(store_pems(db, authority.name, PemKind::intermediate, authority.intermediates));
  return store_pems(db, authority.name, PemKind::crl, authority.crls);
}

// Adds the PEM of a row (if any) to the list its kind names.
Result<void> add_pem(LawfulAuthority& authority, const Statement& row) {
  if (row.is_null(3)) return {};
  switch (static_cast<PemKind>(row.int64_at(3))) {
    case PemKind::anchor:
      authority.anchors.push_back(row.text_at(4));
      return {};
    case PemKind::intermediate:
      authority.intermediates.push_back(row.text_at(4));
      return {};
    case PemKind::crl:
      authority.crls.push_back(row.text_at(4));
      return {};
  }
  return fail(Errc::storage, std::string(select_authorities.op) + ": corrupt PEM kind");
}

Result<LawfulOrder> order_from_row(const Statement& row, std::string_view op) {
  LawfulOrder order;
  order.id = BULWARK_TRY(u64_at(row, 0, op));
  order.authority = row.text_at(1);
  order.order_id = row.text_at(2);
  order.jurisdiction = row.text_at(3);
  order.order_hash = row.blob_at(4);
  order.document = row.blob_at(5);
  order.signature = row.blob_at(6);
  const std::int64_t state = row.int64_at(7);
  if (state < 1 || state > 0xff || !known_state(static_cast<LawfulOrderState>(state))) {
    return fail(Errc::storage, std::string(op) + ": corrupt order state");
  }
  order.state = static_cast<LawfulOrderState>(state);
  order.received_ms = row.int64_at(8);
  order.non_disclosure_until_ms = row.int64_at(9);
  if (!row.is_null(10)) order.answer_index = BULWARK_TRY(u64_at(row, 10, op));
  return order;
}

Result<LawfulDecision> decision_from_row(const Statement& row, std::uint64_t order) {
  LawfulDecision decision;
  decision.order = order;
  decision.operator_name = row.text_at(0);
  decision.operator_key = row.blob_at(1);
  const std::int64_t kind = row.int64_at(2);
  if (kind != static_cast<std::int64_t>(LawfulDecisionKind::approve) &&
      kind != static_cast<std::int64_t>(LawfulDecisionKind::refuse)) {
    return fail(Errc::storage, std::string(select_decisions.op) + ": corrupt decision kind");
  }
  decision.kind = static_cast<LawfulDecisionKind>(kind);
  decision.signature = row.blob_at(3);
  decision.reason = row.text_at(4);
  decision.time_ms = row.int64_at(5);
  return decision;
}

Result<void> check_decision(const LawfulDecision& decision) {
  if (decision.operator_name.empty()) {
    return fail(Errc::invalid_argument, "store lawful decision: empty operator name");
  }
  if (decision.operator_key.size() != lawful_key_bytes) {
    return fail(Errc::invalid_argument, "store lawful decision: an operator's key is 32 bytes");
  }
  if (decision.signature.size() != lawful_signature_bytes) {
    return fail(Errc::invalid_argument, "store lawful decision: a signature is 64 bytes");
  }
  if (decision.kind != LawfulDecisionKind::approve && decision.kind != LawfulDecisionKind::refuse) {
    return fail(Errc::invalid_argument, "store lawful decision: unknown kind");
  }
  return {};
}

}  // namespace

Result<void> put_lawful_authority(Db& db, const LawfulAuthority& authority) {
  if (authority.name.empty()) {
    return fail(Errc::invalid_argument, "store lawful authority: empty name");
  }
  return in_savepoint(db, [&] { return put_authority_in_savepoint(db, authority); });
}

Result<std::vector<LawfulAuthority>> lawful_authorities(Db& db) {
  auto query = BULWARK_TRY(db.prepare(select_authorities));
  query.bind(static_cast<std::int64_t>(max_lawful_authorities));
  std::vector<LawfulAuthority> out;
  while (BULWARK_TRY(query.step())) {
    std::string name = query.text_at(0);
    if (out.empty() || out.back().name != name) {
      LawfulAuthority authority;
      authority.name = std::move(name);
      authority.jurisdiction = query.text_at(1);
      authority.updated_ms = query.int64_at(2);
      out.push_back(std::move(authority));
    }
    BULWARK_TRY(add_pem(out.back(), query));
  }
  return out;
}

Result<std::uint64_t> add_lawful_order(Db& db, const LawfulOrder& order) {
  if (order.order_hash.size() != lawful_hash_bytes) {
    return fail(Errc::invalid_argument, "store lawful order: an order hash is 32 bytes");
  }
  if (!known_state(order.state)) {
    return fail(Errc::invalid_argument, "store lawful order: unknown state");
  }
  BULWARK_TRY(check_answer_index(order.answer_index, insert_order.op));
  auto statement = BULWARK_TRY(db.prepare(insert_order));
  statement.bind(order.authority)
      .bind(order.order_id)
      .bind(order.jurisdiction)
      .bind(order.order_hash)
      .bind(order.document)
      .bind(order.signature)
      .bind(static_cast<std::int64_t>(order.state))
      .bind(order.received_ms)
      .bind(order.non_disclosure_until_ms);
  bind_answer_index(statement, order.answer_index);
  auto row = statement.step();
  if (!row) {
    return explained(std::move(row).error(), Errc::conflict,
                     "store lawful order: this authority's order is already stored (a replay)");
  }
  if (!*row) return fail(Errc::storage, "store lawful order: no id returned");
  const std::uint64_t id = BULWARK_TRY(u64_at(statement, 0, insert_order.op));
  BULWARK_TRY(statement.finish());
  return id;
}

Result<std::optional<LawfulOrder>> lawful_order(Db& db, std::uint64_t id) {
  if (id > static_cast<std::uint64_t>(max_sql_int)) return std::optional<LawfulOrder>{};
  auto query = BULWARK_TRY(db.prepare(select_order));
  query.bind(static_cast<std::int64_t>(id));
  if (!BULWARK_TRY(query.step())) return std::optional<LawfulOrder>{};
  auto order = BULWARK_TRY(order_from_row(query, select_order.op));
  return std::optional<LawfulOrder>(std::move(order));
}

Result<std::vector<LawfulOrder>> lawful_orders(Db& db, std::uint64_t after, std::uint32_t limit) {
  const std::uint32_t page = std::min(limit, max_lawful_page);
  if (page == 0 || after >= static_cast<std::uint64_t>(max_sql_int)) {
    return std::vector<LawfulOrder>{};
  }
  auto query = BULWARK_TRY(db.prepare(select_orders));
  query.bind(static_cast<std::int64_t>(after)).bind(static_cast<std::int64_t>(page));
  std::vector<LawfulOrder> out;
  while (BULWARK_TRY(query.step())) {
    auto order = BULWARK_TRY(order_from_row(query, select_orders.op));
    out.push_back(std::move(order));
  }
  return out;
}

Result<void> set_lawful_order_state(Db& db, std::uint64_t id, LawfulOrderState state,
                                    std::optional<std::uint64_t> answer_index) {
  if (!known_state(state)) {
    return fail(Errc::invalid_argument, "set lawful order state: unknown state");
  }
  BULWARK_TRY(check_answer_index(answer_index, update_state.op));
  if (id > static_cast<std::uint64_t>(max_sql_int)) {
    return fail(Errc::not_found, "set lawful order state: no such order");
  }
  auto statement = BULWARK_TRY(db.prepare(update_state));
  statement.bind(static_cast<std::int64_t>(state));
  bind_answer_index(statement, answer_index).bind(static_cast<std::int64_t>(id));
  BULWARK_TRY(statement.finish());
  if (db.changes() == 0) {
    return fail(Errc::not_found, "set lawful order state: no order " + std::to_string(id));
  }
  return {};
}

Result<void> add_lawful_decision(Db& db, const LawfulDecision& decision) {
  BULWARK_TRY(check_decision(decision));
  const std::string order = std::to_string(decision.order);
  if (decision.order > static_cast<std::uint64_t>(max_sql_int)) {
    return fail(Errc::not_found, "store lawful decision: no order " + order);
  }
  BULWARK_TRY(db.lock_for_append("lawful_decisions"));  // positions are MAX + 1
  auto statement = BULWARK_TRY(db.prepare(insert_decision));
  statement.bind(static_cast<std::int64_t>(decision.order))
      .bind(decision.operator_name)
      .bind(decision.operator_key)
      .bind(static_cast<std::int64_t>(decision.kind))
      .bind(decision.signature)
      .bind(decision.reason)
      .bind(decision.time_ms)
      .bind(static_cast<std::int64_t>(decision.order));
  // The order's foreign key finds an unknown order, the primary key a second decision.
  if (auto done = statement.finish(); !done) {
    Error error = std::move(done).error();
    if (error.code == Errc::not_found) {
      return explained(std::move(error), Errc::not_found,
                       "store lawful decision: no order " + order);
    }
    return explained(std::move(error), Errc::conflict,
                     "store lawful decision: this operator already decided on order " + order);
  }
  return {};
}

Result<std::vector<LawfulDecision>> lawful_decisions(Db& db, std::uint64_t order) {
  if (order > static_cast<std::uint64_t>(max_sql_int)) return std::vector<LawfulDecision>{};
  // Unbounded by a LIMIT, yet bounded: one decision per operator, and the server takes
  // decisions only from the operators it is configured with.
  auto query = BULWARK_TRY(db.prepare(select_decisions));
  query.bind(static_cast<std::int64_t>(order));
  std::vector<LawfulDecision> out;
  while (BULWARK_TRY(query.step())) {
    auto decision = BULWARK_TRY(decision_from_row(query, order));
    out.push_back(std::move(decision));
  }
  return out;
}

}  // namespace bulwark::store::sql
