#include <algorithm>
#include <chrono>
#include <cstdio>

#include "store/limits.h"
#include "store/sql/moderation.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr Sql select_case{
    "read moderation case",
    "SELECT c.id, c.target, c.channel, c.seq, c.account, c.state, "
    "c.category, c.rule, c.rule_hidden, c.evidence, c.opened_ms, "
    "c.updated_ms, c.decided_by, c.last_action, c.decided_by_key, (SELECT COUNT(*) FROM "
    "moderation_reports r WHERE r.case_id = c.id), a.appellant, a.text, "
    "a.created_ms, a.excluded_moderator, a.excluded_key FROM moderation_cases c LEFT JOIN "
    "moderation_appeals a ON a.case_id = c.id WHERE c.id = ?"};
// Open cases, and appealed ones unless this moderator's key made the appealed decision.
constexpr Sql select_queue{
    "read moderation queue",
    "SELECT c.id, c.target, c.channel, c.seq, c.account, c.state, "
    "c.category, c.rule, c.rule_hidden, c.evidence, c.opened_ms, "
    "c.updated_ms, c.decided_by, c.last_action, c.decided_by_key, (SELECT COUNT(*) FROM "
    "moderation_reports r WHERE r.case_id = c.id), a.appellant, a.text, "
    "a.created_ms, a.excluded_moderator, a.excluded_key FROM moderation_cases c LEFT JOIN "
    "moderation_appeals a ON a.case_id = c.id WHERE (c.state = 1 OR "
    "(c.state = 3 AND a.excluded_key <> ?)) ORDER BY c.id LIMIT ?"};
constexpr Sql select_rule_hidden{
    "read rule-hidden cases",
    "SELECT c.id, c.target, c.channel, c.seq, c.account, c.state, "
    "c.category, c.rule, c.rule_hidden, c.evidence, c.opened_ms, "
    "c.updated_ms, c.decided_by, c.last_action, c.decided_by_key, (SELECT COUNT(*) "
    "FROM moderation_reports r WHERE r.case_id = c.id), a.appellant, "
    "a.text, a.created_ms, a.excluded_moderator, a.excluded_key FROM "
    "moderation_cases c LEFT JOIN moderation_appeals a ON "
    "a.case_id = c.id WHERE c.account = ? AND c.rule_hidden = 1 "
    "ORDER BY c.id DESC LIMIT ?"};
constexpr Sql select_active{"find active moderation case",
                            "SELECT id FROM moderation_cases WHERE target = ? AND channel = ? AND "
                            "seq = ? AND state IN (1, 3) ORDER BY id DESC LIMIT 1"};
constexpr Sql insert_case{
    "open moderation case",
    "INSERT INTO moderation_cases (target, channel, seq, account, state, category, rule, "
    "rule_hidden, evidence, opened_ms, opened_month, updated_ms, decided_by, last_action) "
    "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, '', 0) RETURNING id"};
constexpr Sql select_message_case{"find reported message",
                                  "SELECT case_id FROM moderation_message_reports WHERE tag = ?"};
constexpr Sql insert_message_case{
    "record reported message",
    "INSERT INTO moderation_message_reports (tag, case_id) VALUES (?, ?)"};
constexpr Sql insert_report{
    "add moderation report",
    "INSERT INTO moderation_reports (case_id, reporter, category, comment, created_ms, month) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, reporter) DO NOTHING"};
constexpr Sql mark_rule_hidden{
    "hide post by rule",
    "UPDATE moderation_cases SET rule_hidden = 1, rule = CASE WHEN rule = '' THEN ? ELSE rule "
    "END, updated_ms = ? WHERE id = ?"};
constexpr Sql insert_hidden{
    "hide post",
    "INSERT INTO moderation_hidden_posts (channel, seq, case_id, reason, since_ms) VALUES "
    "(?, ?, ?, ?, ?) ON CONFLICT (channel, seq, case_id) DO NOTHING"};
constexpr Sql select_reports{
    "read moderation reports",
    "SELECT reporter, category, comment, created_ms FROM moderation_reports WHERE case_id = ? "
    "ORDER BY created_ms, reporter LIMIT ?"};
constexpr Sql insert_appeal{
    "appeal moderation case",
    "INSERT INTO moderation_appeals (case_id, appellant, text, created_ms, excluded_moderator, "
    "excluded_key) VALUES (?, ?, ?, ?, ?, ?)"};
constexpr Sql update_case_sql{
    "update moderation case",
    "UPDATE moderation_cases SET state = ?, decided_by = ?, decided_by_key = ?, last_action = ?, "
    "updated_ms = ? WHERE id = ?"};

Result<ModerationCase> case_from_row(const Statement& row) {
  constexpr std::string_view op = "read moderation case";
  ModerationCase out;
  out.id = BULWARK_TRY(u64_at(row, 0, op));
  const std::int64_t target = row.int64_at(1);
  const std::int64_t state = row.int64_at(5);
  if (target < 1 || target > 3 || state < 1 || state > 4)
    return fail(Errc::storage, "read moderation case: corrupt row");
  out.target = static_cast<CaseTarget>(target);
  out.channel.bytes = BULWARK_TRY(row.array_at<16>(2));
  out.seq = BULWARK_TRY(u64_at(row, 3, op));
  out.account = BULWARK_TRY(account_id_at(row, 4));
  out.state = static_cast<CaseState>(state);
  out.category = static_cast<std::uint8_t>(row.int64_at(6));
  out.rule = row.text_at(7);
  out.rule_hidden = row.int64_at(8) != 0;
  out.evidence = row.blob_at(9);
  out.opened_ms = row.int64_at(10);
  out.updated_ms = row.int64_at(11);
  out.decided_by = row.text_at(12);
  out.last_action = static_cast<std::uint8_t>(row.int64_at(13));
  out.decided_by_key = row.blob_at(14);
  out.reports = BULWARK_TRY(u64_at(row, 15, op));
  if (!row.is_null(16)) {
    ModerationAppeal appeal;
    appeal.appellant = BULWARK_TRY(account_id_at(row, 16));
    appeal.text = row.text_at(17);
    appeal.created_ms = row.int64_at(18);
    appeal.excluded_moderator = row.text_at(19);
    appeal.excluded_key = row.blob_at(20);
    out.appeal = std::move(appeal);
  }
  return out;
}

Result<std::vector<ModerationCase>> all_cases(Statement& query) {
  std::vector<ModerationCase> out;
  while (BULWARK_TRY(query.step())) out.push_back(BULWARK_TRY(case_from_row(query)));
  return out;
}

struct CaseKey {
  CaseTarget target;
  ChannelId channel;
  std::uint64_t seq;
};

Result<std::optional<std::uint64_t>> active_case(Db& db, const CaseKey& key) {
  auto query = BULWARK_TRY(db.prepare(select_active));
  query.bind(static_cast<std::int64_t>(key.target)).bind(view_of(key.channel.bytes));
  query.bind(clamp_to_sql(key.seq));
  if (!BULWARK_TRY(query.step())) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>(BULWARK_TRY(u64_at(query, 0, "find active moderation case")));
}

struct CaseOpening {
  CaseKey key;
  AccountId account;
  std::uint8_t category = 0;
  std::string_view rule;
  bool rule_hidden = false;
  ByteView evidence;
  std::int64_t now_ms = 0;
};

Result<std::uint64_t> insert_new_case(Db& db, const CaseOpening& opening) {
  auto insert = BULWARK_TRY(db.prepare(insert_case));
  insert.bind(static_cast<std::int64_t>(opening.key.target))
      .bind(view_of(opening.key.channel.bytes));
  insert.bind(clamp_to_sql(opening.key.seq));
  bind_id(insert, opening.account);
  insert.bind(std::int64_t{opening.category}).bind(opening.rule);
  insert.bind(std::int64_t{opening.rule_hidden ? 1 : 0}).bind(opening.evidence);
  insert.bind(opening.now_ms).bind(utc_month(opening.now_ms)).bind(opening.now_ms);
  if (!BULWARK_TRY(insert.step())) return fail(Errc::storage, "open moderation case: no id");
  const std::uint64_t id = BULWARK_TRY(u64_at(insert, 0, "open moderation case"));
  BULWARK_TRY(insert.finish());
  return id;
}

Result<bool> add_report(Db& db, std::uint64_t case_id, const AccountId& reporter,
                        std::uint8_t category, std::string_view comment, std::int64_t now_ms) {
  auto insert = BULWARK_TRY(db.prepare(insert_report));
  insert.bind(clamp_to_sql(case_id));
  bind_id(insert, reporter);
  insert.bind(std::int64_t{category}).bind(comment).bind(now_ms).bind(utc_month(now_ms));
  BULWARK_TRY(insert.finish());
  return db.changes() == 1;
}

}  // namespace

std::string utc_month(std::int64_t ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
  const year_month_day date(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()));
  return text;
}

Result<void> update_case(Db& db, std::uint64_t case_id, CaseState state,
                         const CaseDecider& decided_by, std::uint8_t last_action,
                         std::int64_t now_ms) {
  auto update = BULWARK_TRY(db.prepare(update_case_sql));
  update.bind(static_cast<std::int64_t>(state)).bind(decided_by.name).bind(decided_by.key);
  update.bind(std::int64_t{last_action}).bind(now_ms).bind(clamp_to_sql(case_id));
  return update.finish();
}

Result<ReportOutcome> report_content(Db& db, const NewReport& report) {
  if (report.target == CaseTarget::message)
    return fail(Errc::invalid_argument, "message reports open their own case");
  return in_savepoint(db, [&]() -> Result<ReportOutcome> {
    const CaseKey key{report.target, report.channel, report.seq};
    ReportOutcome outcome;
    auto existing = BULWARK_TRY(active_case(db, key));
    if (existing) {
      outcome.case_id = *existing;
    } else {
      outcome.case_id = BULWARK_TRY(insert_new_case(
          db, CaseOpening{key, report.owner, report.category, "", false, {}, report.now_ms}));
      outcome.new_case = true;
    }
    outcome.counted = BULWARK_TRY(add_report(db, outcome.case_id, report.reporter, report.category,
                                             report.comment, report.now_ms));
    return outcome;
  });
}

Result<std::uint64_t> open_rule_case(Db& db, const NewRuleMatch& match) {
  return in_savepoint(db, [&]() -> Result<std::uint64_t> {
    const CaseKey key{CaseTarget::post, match.channel, match.seq};
    auto existing = BULWARK_TRY(active_case(db, key));
    std::uint64_t id = 0;
    if (existing) {
      id = *existing;
      if (match.hide) {
        auto mark = BULWARK_TRY(db.prepare(mark_rule_hidden));
        mark.bind(match.rule).bind(match.now_ms).bind(clamp_to_sql(id));
        BULWARK_TRY(mark.finish());
      }
    } else {
      id = BULWARK_TRY(insert_new_case(
          db,
          CaseOpening{key, match.owner, match.category, match.rule, match.hide, {}, match.now_ms}));
    }
    if (match.hide) {
      auto hide = BULWARK_TRY(db.prepare(insert_hidden));
      hide.bind(view_of(match.channel.bytes)).bind(clamp_to_sql(match.seq));
      hide.bind(clamp_to_sql(id)).bind(match.reason).bind(match.now_ms);
      BULWARK_TRY(hide.finish());
    }
    return id;
  });
}

Result<ReportOutcome> open_message_case(Db& db, const NewMessageCase& report) {
  return in_savepoint(db, [&]() -> Result<ReportOutcome> {
    if (!report.message_tag.empty()) {
      auto known = BULWARK_TRY(db.prepare(select_message_case));
      known.bind(report.message_tag);
      if (BULWARK_TRY(known.step()))
        return ReportOutcome{BULWARK_TRY(u64_at(known, 0, "read reported message")), false, false};
    }
    const CaseKey key{CaseTarget::message, ChannelId{}, 0};
    const std::uint64_t id =
        BULWARK_TRY(insert_new_case(db, CaseOpening{key, report.sender, report.category, "", false,
                                                    report.evidence, report.now_ms}));
    BULWARK_TRY(
        add_report(db, id, report.reporter, report.category, report.comment, report.now_ms));
    if (!report.message_tag.empty()) {
      auto remember = BULWARK_TRY(db.prepare(insert_message_case));
      remember.bind(report.message_tag).bind(clamp_to_sql(id));
      BULWARK_TRY(remember.finish());
    }
    return ReportOutcome{id, true, true};
  });
}

Result<std::optional<ModerationCase>> moderation_case(Db& db, std::uint64_t id) {
  auto query = BULWARK_TRY(db.prepare(select_case));
  query.bind(clamp_to_sql(id));
  if (!BULWARK_TRY(query.step())) return std::optional<ModerationCase>{};
  return std::optional<ModerationCase>(BULWARK_TRY(case_from_row(query)));
}

Result<std::vector<ModerationCase>> moderation_queue(Db& db, ByteView moderator_key,
                                                     std::uint32_t limit) {
  auto query = BULWARK_TRY(db.prepare(select_queue));
  query.bind(moderator_key).bind(std::int64_t{std::min(limit, max_moderation_page)});
  return all_cases(query);
}

Result<std::vector<ModerationCase>> rule_hidden_cases(Db& db, const AccountId& account,
                                                      std::uint32_t limit) {
  auto query = BULWARK_TRY(db.prepare(select_rule_hidden));
  bind_id(query, account);
  query.bind(std::int64_t{std::min(limit, max_moderation_page)});
  return all_cases(query);
}

Result<std::vector<ModerationReport>> moderation_reports(Db& db, std::uint64_t case_id,
                                                         std::uint32_t limit) {
  auto query = BULWARK_TRY(db.prepare(select_reports));
  query.bind(clamp_to_sql(case_id)).bind(std::int64_t{std::min(limit, max_moderation_page)});
  std::vector<ModerationReport> out;
  while (BULWARK_TRY(query.step())) {
    ModerationReport report;
    report.reporter = BULWARK_TRY(account_id_at(query, 0));
    report.category = static_cast<std::uint8_t>(query.int64_at(1));
    report.comment = query.text_at(2);
    report.created_ms = query.int64_at(3);
    out.push_back(std::move(report));
  }
  return out;
}

Result<void> appeal_case(Db& db, std::uint64_t case_id, const AccountId& appellant,
                         std::string_view text, std::int64_t now_ms) {
  return in_savepoint(db, [&]() -> Result<void> {
    auto found = BULWARK_TRY(moderation_case(db, case_id));
    if (!found || found->account != appellant)
      return fail(Errc::not_found,
                  "no moderation case " + std::to_string(case_id) + " affects you");
    if (found->appeal)
      return fail(Errc::conflict, "case " + std::to_string(case_id) + " was already appealed");
    CaseDecider excluded;
    if (found->state == CaseState::decided) {
      excluded = decider_of(*found);
    } else if (!(found->state == CaseState::open && found->rule_hidden)) {
      return fail(Errc::conflict, "case " + std::to_string(case_id) + " has no decision to appeal");
    }
    auto insert = BULWARK_TRY(db.prepare(insert_appeal));
    insert.bind(clamp_to_sql(case_id));
    bind_id(insert, appellant);
    insert.bind(text).bind(now_ms).bind(excluded.name).bind(excluded.key);
    BULWARK_TRY(insert.finish());
    return update_case(db, case_id, CaseState::appealed, decider_of(*found), found->last_action,
                       now_ms);
  });
}

}  // namespace bulwark::store::sql
