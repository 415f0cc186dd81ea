#include <algorithm>
#include <array>

#include "store/limits.h"
#include "store/sql/moderation.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr std::size_t hash_bytes = 32;
constexpr std::size_t moderator_key_bytes = 32;

constexpr Sql select_head{"read moderation log head",
                          "SELECT hash FROM moderation_log ORDER BY seq DESC LIMIT 1"};
constexpr Sql select_next_seq{"number moderation log entry",
                              "SELECT COALESCE(MAX(seq), 0) + 1 FROM moderation_log"};
constexpr Sql insert_entry{
    "append moderation log entry",
    "INSERT INTO moderation_log (seq, case_id, action, account, category, moderator, "
    "moderator_key, reason, created_ms, month, record, signature, prev_hash, hash) VALUES (?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Sql select_log{
    "read moderation log",
    "SELECT seq, case_id, action, account, category, moderator, reason, created_ms, record, "
    "signature, prev_hash, hash, moderator_key FROM moderation_log WHERE seq > ? "
    "ORDER BY seq LIMIT ?"};
constexpr Sql select_log_for_account{
    "read moderation notices",
    "SELECT seq, case_id, action, account, category, moderator, reason, created_ms, record, "
    "signature, prev_hash, hash, moderator_key FROM moderation_log WHERE "
    "account = ? ORDER BY seq DESC LIMIT ?"};
constexpr Sql upsert_hidden{
    "hide post",
    "INSERT INTO moderation_hidden_posts (channel, seq, case_id, reason, since_ms) VALUES "
    "(?, ?, ?, ?, ?) ON CONFLICT (channel, seq, case_id) DO NOTHING"};
constexpr Sql upsert_restricted{
    "restrict channel",
    "INSERT INTO moderation_restricted_channels (channel, case_id, reason, since_ms) VALUES "
    "(?, ?, ?, ?) ON CONFLICT (channel, case_id) DO NOTHING"};
constexpr Sql upsert_suspended{
    "suspend account",
    "INSERT INTO moderation_suspended_accounts (account, case_id, reason, since_ms) VALUES "
    "(?, ?, ?, ?) ON CONFLICT (account, case_id) DO NOTHING"};
constexpr Sql lift_hidden{"lift post hiding",
                          "DELETE FROM moderation_hidden_posts WHERE case_id = ?"};
constexpr Sql lift_restricted{"lift channel restriction",
                              "DELETE FROM moderation_restricted_channels WHERE case_id = ?"};
constexpr Sql lift_suspended{"lift account suspension",
                             "DELETE FROM moderation_suspended_accounts WHERE case_id = ?"};
constexpr Sql select_hidden{
    "read hidden posts",
    // Per post, the earliest case still hiding it, with the moderator's remove-post action on
    // that case if one was logged. (Not SQLite's bare columns beside MIN(), which take the
    // other columns from the row MIN chose: PostgreSQL refuses those.)
    "SELECT h.seq, h.case_id, h.reason, h.since_ms, l.record, l.signature FROM "
    "moderation_hidden_posts h LEFT JOIN moderation_log l ON l.case_id = h.case_id AND "
    "l.action = 1 WHERE h.channel = ? AND h.seq >= ? AND h.seq <= ? AND h.case_id = (SELECT "
    "MIN(m.case_id) FROM moderation_hidden_posts m WHERE m.channel = h.channel AND m.seq = "
    "h.seq) ORDER BY h.seq LIMIT ?"};
constexpr Sql select_restriction{
    "read channel restriction",
    "SELECT case_id, reason, since_ms FROM moderation_restricted_channels WHERE channel = ? "
    "ORDER BY case_id LIMIT 1"};
constexpr Sql select_suspension{
    "read account suspension",
    "SELECT case_id, reason, since_ms FROM moderation_suspended_accounts WHERE account = ? "
    "ORDER BY case_id LIMIT 1"};
// Running totals (migration 8's triggers keep them): a small table, whatever the history.
constexpr Sql select_counts{
    "read moderation report counts",
    "SELECT month, kind, code, category, count FROM moderation_monthly_counts ORDER BY month "
    "DESC, kind, code, category LIMIT ?"};

Result<ModerationLogEntry> entry_from_row(const Statement& row) {
  constexpr std::string_view op = "read moderation log";
  ModerationLogEntry out;
  out.seq = BULWARK_TRY(u64_at(row, 0, op));
  out.case_id = BULWARK_TRY(u64_at(row, 1, op));
  out.action = static_cast<std::uint8_t>(row.int64_at(2));
  out.account = BULWARK_TRY(account_id_at(row, 3));
  out.category = static_cast<std::uint8_t>(row.int64_at(4));
  out.moderator = row.text_at(5);
  out.reason = row.text_at(6);
  out.created_ms = row.int64_at(7);
  out.record = row.blob_at(8);
  out.signature = row.blob_at(9);
  out.prev_hash = row.blob_at(10);
  out.hash = row.blob_at(11);
  out.moderator_key = row.blob_at(12);
  return out;
}

Result<std::vector<ModerationLogEntry>> all_entries(Statement& query) {
  std::vector<ModerationLogEntry> out;
  while (BULWARK_TRY(query.step())) out.push_back(BULWARK_TRY(entry_from_row(query)));
  return out;
}

Result<std::optional<ModerationEffect>> one_effect(Statement& query, std::string_view op) {
  if (!BULWARK_TRY(query.step())) return std::optional<ModerationEffect>{};
  ModerationEffect effect;
  effect.case_id = BULWARK_TRY(u64_at(query, 0, op));
  effect.reason = query.text_at(1);
  effect.since_ms = query.int64_at(2);
  return std::optional<ModerationEffect>(std::move(effect));
}

Result<void> run_for_case(Db& db, Sql sql, std::uint64_t case_id) {
  auto statement = BULWARK_TRY(db.prepare(sql));
  statement.bind(clamp_to_sql(case_id));
  return statement.finish();
}

Result<void> conflict(const ModerationCase& found, std::string what) {
  return fail(Errc::conflict, "case " + std::to_string(found.id) + ": " + what);
}

// The effect of a first decision on an open case.
Result<void> apply_decision(Db& db, const ModerationCase& found, const ModerationLogEntry& entry) {
  const auto action = static_cast<ModerationActionCode>(entry.action);
  const std::int64_t now = entry.created_ms;
  switch (action) {
    case ModerationActionCode::remove_post: {
      if (found.target != CaseTarget::post) return conflict(found, "is not about a post");
      auto hide = BULWARK_TRY(db.prepare(upsert_hidden));
      hide.bind(view_of(found.channel.bytes)).bind(clamp_to_sql(found.seq));
      hide.bind(clamp_to_sql(found.id)).bind(entry.reason).bind(now);
      BULWARK_TRY(hide.finish());
      break;
    }
    case ModerationActionCode::restrict_channel: {
      if (found.target == CaseTarget::message) return conflict(found, "is not about a channel");
      auto restriction = BULWARK_TRY(db.prepare(upsert_restricted));
      restriction.bind(view_of(found.channel.bytes)).bind(clamp_to_sql(found.id));
      restriction.bind(entry.reason).bind(now);
      BULWARK_TRY(restriction.finish());
      break;
    }
    case ModerationActionCode::suspend_account: {
      auto suspend = BULWARK_TRY(db.prepare(upsert_suspended));
      bind_id(suspend, found.account);
      suspend.bind(clamp_to_sql(found.id)).bind(entry.reason).bind(now);
      BULWARK_TRY(suspend.finish());
      break;
    }
    case ModerationActionCode::dismiss:
      // No violation: a rule's hide is lifted with the case.
      BULWARK_TRY(run_for_case(db, lift_hidden, found.id));
      return update_case(db, found.id, CaseState::closed, decider_of(found), entry.action, now);
    case ModerationActionCode::reinstate:
      return conflict(found, "reinstate decides an appeal, and this case is not appealed");
  }
  return update_case(db, found.id, CaseState::decided, {entry.moderator, entry.moderator_key},
                     entry.action, now);
}

// The decision on an appeal, by a moderator other than the one appealed against.
Result<void> apply_appeal_decision(Db& db, const ModerationCase& found,
                                   const ModerationLogEntry& entry) {
  // By key: a moderator renamed in the config is still the one who decided.
  if (found.appeal && !found.appeal->excluded_key.empty() &&
      found.appeal->excluded_key == entry.moderator_key)
    return conflict(found,
                    "you made the appealed decision; another moderator must decide the appeal");
  const auto action = static_cast<ModerationActionCode>(entry.action);
  if (action == ModerationActionCode::reinstate) {
    BULWARK_TRY(run_for_case(db, lift_hidden, found.id));
    BULWARK_TRY(run_for_case(db, lift_restricted, found.id));
    BULWARK_TRY(run_for_case(db, lift_suspended, found.id));
  } else if (action != ModerationActionCode::dismiss) {
    return conflict(found, "an appeal is decided with reinstate or dismiss (uphold)");
  }
  return update_case(db, found.id, CaseState::closed, decider_of(found), entry.action,
                     entry.created_ms);
}

Result<void> check_entry(const ModerationLogEntry& entry) {
  if (entry.prev_hash.size() != hash_bytes || entry.hash.size() != hash_bytes)
    return fail(Errc::invalid_argument, "moderation log hashes are 32 bytes");
  if (entry.action < 1 || entry.action > 5)
    return fail(Errc::invalid_argument, "unknown moderation action");
  if (entry.moderator_key.size() != moderator_key_bytes)
    return fail(Errc::invalid_argument, "a moderator's key is 32 bytes");
  return {};
}

}  // namespace

Result<Bytes> moderation_log_head(Db& db) {
  auto query = BULWARK_TRY(db.prepare(select_head));
  if (!BULWARK_TRY(query.step())) return Bytes(hash_bytes, std::byte{0});
  return query.blob_at(0);
}

Result<std::uint64_t> append_moderation_action(Db& db, const ModerationLogEntry& entry) {
  BULWARK_TRY(check_entry(entry));
  return in_savepoint(db, [&]() -> Result<std::uint64_t> {
    if (BULWARK_TRY(moderation_log_head(db)) != entry.prev_hash)
      return fail(Errc::conflict,
                  "the moderation log moved on since the action was signed; "
                  "sign it again");
    auto found = BULWARK_TRY(moderation_case(db, entry.case_id));
    if (!found) return fail(Errc::not_found, "no moderation case " + std::to_string(entry.case_id));
    switch (found->state) {
      case CaseState::open:
        BULWARK_TRY(apply_decision(db, *found, entry));
        break;
      case CaseState::appealed:
        BULWARK_TRY(apply_appeal_decision(db, *found, entry));
        break;
      case CaseState::decided:
      case CaseState::closed:
        BULWARK_TRY(conflict(*found, "is already decided"));
        break;
    }
    BULWARK_TRY(db.lock_for_append("moderation_log"));  // entries are numbered MAX + 1
    auto next = BULWARK_TRY(db.prepare(select_next_seq));
    if (!BULWARK_TRY(next.step())) return fail(Errc::storage, "number moderation log entry");
    const std::int64_t seq = next.int64_at(0);
    BULWARK_TRY(next.finish());
    auto insert = BULWARK_TRY(db.prepare(insert_entry));
    insert.bind(seq).bind(clamp_to_sql(entry.case_id)).bind(std::int64_t{entry.action});
    bind_id(insert, found->account);
    insert.bind(std::int64_t{found->category}).bind(entry.moderator).bind(entry.moderator_key);
    insert.bind(entry.reason);
    insert.bind(entry.created_ms).bind(utc_month(entry.created_ms)).bind(entry.record);
    insert.bind(entry.signature).bind(entry.prev_hash).bind(entry.hash);
    BULWARK_TRY(insert.finish());
    return static_cast<std::uint64_t>(seq);
  });
}

Result<std::vector<ModerationLogEntry>> moderation_log(Db& db, std::uint64_t after,
                                                       std::uint32_t limit) {
  auto query = BULWARK_TRY(db.prepare(select_log));
  query.bind(clamp_to_sql(after)).bind(std::int64_t{std::min(limit, max_moderation_page)});
  return all_entries(query);
}

Result<std::vector<ModerationLogEntry>> moderation_log_for_account(Db& db, const AccountId& account,
                                                                   std::uint32_t limit) {
  auto query = BULWARK_TRY(db.prepare(select_log_for_account));
  bind_id(query, account);
  query.bind(std::int64_t{std::min(limit, max_moderation_page)});
  return all_entries(query);
}

Result<std::vector<HiddenPost>> hidden_posts(Db& db, const ChannelId& channel, std::uint64_t from,
                                             std::uint64_t through) {
  auto query = BULWARK_TRY(db.prepare(select_hidden));
  query.bind(view_of(channel.bytes)).bind(clamp_to_sql(from)).bind(clamp_to_sql(through));
  query.bind(static_cast<std::int64_t>(max_hidden_posts_page));
  std::vector<HiddenPost> out;
  while (BULWARK_TRY(query.step())) {
    HiddenPost post;
    post.seq = BULWARK_TRY(u64_at(query, 0, "read hidden posts"));
    post.effect.case_id = BULWARK_TRY(u64_at(query, 1, "read hidden posts"));
    post.effect.reason = query.text_at(2);
    post.effect.since_ms = query.int64_at(3);
    if (!query.is_null(4)) {
      post.effect.record = query.blob_at(4);
      post.effect.signature = query.blob_at(5);
    }
    out.push_back(std::move(post));
  }
  return out;
}

Result<std::optional<ModerationEffect>> channel_restriction(Db& db, const ChannelId& channel) {
  auto query = BULWARK_TRY(db.prepare(select_restriction));
  query.bind(view_of(channel.bytes));
  return one_effect(query, "read channel restriction");
}

Result<std::optional<ModerationEffect>> account_suspension(Db& db, const AccountId& account) {
  auto query = BULWARK_TRY(db.prepare(select_suspension));
  bind_id(query, account);
  return one_effect(query, "read account suspension");
}

Result<std::vector<ModerationCount>> moderation_counts(Db& db) {
  constexpr std::string_view op = "read moderation report counts";
  auto query = BULWARK_TRY(db.prepare(select_counts));
  query.bind(static_cast<std::int64_t>(max_moderation_counts));
  std::vector<ModerationCount> out;
  while (BULWARK_TRY(query.step())) {
    const std::int64_t kind = query.int64_at(1);
    if (kind < 1 || kind > 3) return fail(Errc::storage, std::string(op) + ": corrupt row");
    constexpr std::array<std::string_view, 3> names{"reports", "rule_matches", "actions"};
    out.push_back(ModerationCount{query.text_at(0), std::string(names[kind - 1]),
                                  static_cast<std::uint8_t>(query.int64_at(2)),
                                  static_cast<std::uint8_t>(query.int64_at(3)),
                                  BULWARK_TRY(u64_at(query, 4, op))});
  }
  return out;
}

}  // namespace bulwark::store::sql
