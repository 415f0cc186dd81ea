// Public-content moderation in SQL (store/store.h "moderation", migrations.cpp version 6).
// moderation_cases.cpp holds cases, reports and appeals; moderation_log.cpp the append-only
// log, the effects it applies, and the public report's counts.
//
// Invariants the tables keep: a post or channel has at most one active (open or appealed)
// case, since reports and rule matches join it; a reporter has at most one report per case;
// a case has at most one appeal; every moderation_log row's prev_hash is the hash of the row
// before it (zeros for the first), and no row is ever changed or deleted (triggers); every
// effect row names the case whose action put it there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/moderation_records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

[[nodiscard]] Result<ReportOutcome> report_content(Db& db, const NewReport& report);
[[nodiscard]] Result<std::uint64_t> open_rule_case(Db& db, const NewRuleMatch& match);
[[nodiscard]] Result<ReportOutcome> open_message_case(Db& db, const NewMessageCase& report);
[[nodiscard]] Result<std::optional<ModerationCase>> moderation_case(Db& db, std::uint64_t id);
// Open cases, and appealed ones whose appealed decision was not made under `moderator_key`.
[[nodiscard]] Result<std::vector<ModerationCase>> moderation_queue(Db& db, ByteView moderator_key,
                                                                   std::uint32_t limit);
[[nodiscard]] Result<std::vector<ModerationReport>> moderation_reports(Db& db,
                                                                       std::uint64_t case_id,
                                                                       std::uint32_t limit);
[[nodiscard]] Result<std::vector<ModerationCase>> rule_hidden_cases(Db& db,
                                                                    const AccountId& account,
                                                                    std::uint32_t limit);
[[nodiscard]] Result<void> appeal_case(Db& db, std::uint64_t case_id, const AccountId& appellant,
                                       std::string_view text, std::int64_t now_ms);

[[nodiscard]] Result<Bytes> moderation_log_head(Db& db);
[[nodiscard]] Result<std::uint64_t> append_moderation_action(Db& db,
                                                             const ModerationLogEntry& entry);
[[nodiscard]] Result<std::vector<ModerationLogEntry>> moderation_log(Db& db, std::uint64_t after,
                                                                     std::uint32_t limit);
[[nodiscard]] Result<std::vector<ModerationLogEntry>> moderation_log_for_account(
    Db& db, const AccountId& account, std::uint32_t limit);
[[nodiscard]] Result<std::vector<HiddenPost>> hidden_posts(Db& db, const ChannelId& channel,
                                                           std::uint64_t from,
                                                           std::uint64_t through);
[[nodiscard]] Result<std::optional<ModerationEffect>> channel_restriction(Db& db,
                                                                          const ChannelId& channel);
[[nodiscard]] Result<std::optional<ModerationEffect>> account_suspension(Db& db,
                                                                         const AccountId& account);
[[nodiscard]] Result<std::vector<ModerationCount>> moderation_counts(Db& db);

// "YYYY-MM" of a time in milliseconds since the epoch, UTC.
[[nodiscard]] std::string utc_month(std::int64_t ms);
// Who made a case's last restricting decision: appeals compare the key, the name is shown.
struct CaseDecider {
  std::string_view name;
  ByteView key;
};
[[nodiscard]] inline CaseDecider decider_of(const ModerationCase& found) {
  return {found.decided_by, found.decided_by_key};
}

// Sets the case's state, decider and last action (moderation_log.cpp applies actions with it).
[[nodiscard]] Result<void> update_case(Db& db, std::uint64_t case_id, CaseState state,
                                       const CaseDecider& decided_by, std::uint8_t last_action,
                                       std::int64_t now_ms);

}  // namespace bulwark::store::sql
