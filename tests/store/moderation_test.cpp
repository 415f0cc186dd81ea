// Conformance: public-content moderation - cases that merge duplicate reports, the append-only
// hash-chained log and the effects its actions apply, appeals to a different moderator, and the
// public report's counts.
#include "conformance.h"
#include "store/limits.h"

namespace bulwark::store::conformance {
namespace {

constexpr std::int64_t june = 1'780'000'000'000;  // 2026-05-28 (UTC)
constexpr std::int64_t july = 1'783'000'000'000;  // 2026-07-02 (UTC)

ChannelId channel_of(std::uint8_t n) {
  ChannelId id;
  id.bytes.fill(std::byte{n});
  return id;
}

NewReport post_report(std::uint8_t reporter, std::uint64_t seq, std::uint8_t category = 6,
                      std::int64_t now = june) {
  NewReport report;
  report.target = CaseTarget::post;
  report.channel = channel_of(9);
  report.seq = seq;
  report.owner = account_id(1);
  report.reporter = account_id(reporter);
  report.category = category;
  report.comment = "reported by " + std::to_string(reporter);
  report.now_ms = now;
  return report;
}

// A moderator's public key: a stand-in, one per name's first letter (so "alice" and a renamed
// "alice2" share a key, as one person under two names would).
Bytes key_of(std::string_view moderator) {
  return filled(32, static_cast<std::uint8_t>(moderator.front()));
}

// A log entry for `action` on `case_id` extending the current head; its hash is a stand-in
// (the server computes the real one, moderation/signed_action.h).
ModerationLogEntry action(Store& store, std::uint64_t case_id, std::uint8_t code,
                          std::string moderator, std::int64_t now = june + 1000) {
  ModerationLogEntry entry;
  entry.case_id = case_id;
  entry.action = code;
  entry.moderator_key = key_of(moderator);
  entry.moderator = std::move(moderator);
  entry.reason = "reason " + std::to_string(code);
  entry.created_ms = now;
  entry.record = filled(120, code);
  entry.signature = filled(64, 0x5a);
  entry.prev_hash = must(store.moderation_log_head());
  entry.hash = filled(32, static_cast<std::uint8_t>(entry.prev_hash[0] ^ std::byte{0x11}));
  return entry;
}

// A policy rule's match of post 4 of channel 9, owned by account 1, in June.
NewRuleMatch rule_match(std::uint8_t category, std::string rule, bool hide) {
  NewRuleMatch match;
  match.channel = channel_of(9);
  match.seq = 4;
  match.owner = account_id(1);
  match.category = category;
  match.rule = std::move(rule);
  match.hide = hide;
  if (hide) match.reason = "matched a policy rule";
  match.now_ms = june;
  return match;
}

constexpr std::uint8_t remove_post = 1, restrict_channel = 2, suspend_account = 3, dismiss = 4,
                       reinstate = 5;

TEST_P(StoreModerationTest, DuplicateReportsMergeIntoOneCaseAndAReporterCountsOnce) {
  const auto first = must(store().report_content(post_report(2, 5)));
  EXPECT_TRUE(first.new_case);
  EXPECT_TRUE(first.counted);
  const auto second = must(store().report_content(post_report(3, 5, 1)));
  EXPECT_EQ(second.case_id, first.case_id);
  EXPECT_FALSE(second.new_case);
  EXPECT_TRUE(second.counted);
  const auto again = must(store().report_content(post_report(2, 5)));
  EXPECT_EQ(again.case_id, first.case_id);
  EXPECT_FALSE(again.counted);
  const auto other_post = must(store().report_content(post_report(2, 6)));
  EXPECT_NE(other_post.case_id, first.case_id);

  const auto found = must(store().moderation_case(first.case_id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->reports, 2u);
  EXPECT_EQ(found->state, CaseState::open);
  EXPECT_EQ(found->category, 6);
  EXPECT_EQ(found->account, account_id(1));
  const auto reports = must(store().moderation_reports(first.case_id, 10));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].category, 1);
  EXPECT_EQ(must(store().moderation_queue(key_of("alice"), 10)).size(), 2u);
  EXPECT_FALSE(must(store().moderation_case(999)));
}

TEST_P(StoreModerationTest, RemovalHidesThePostAndLogsTheSignedAction) {
  const auto opened = must(store().report_content(post_report(2, 5)));
  EXPECT_EQ(must(store().moderation_log_head()), filled(32, 0));
  const ModerationLogEntry entry = action(store(), opened.case_id, remove_post, "alice");
  EXPECT_EQ(must(store().append_moderation_action(entry)), 1u);
  EXPECT_EQ(must(store().moderation_log_head()), entry.hash);

  const auto hidden = must(store().hidden_posts(channel_of(9), 1, 10));
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_EQ(hidden[0].seq, 5u);
  EXPECT_EQ(hidden[0].effect.case_id, opened.case_id);
  EXPECT_EQ(hidden[0].effect.reason, entry.reason);
  EXPECT_TRUE(must(store().hidden_posts(channel_of(9), 6, 10)).empty());

  const auto decided = must(store().moderation_case(opened.case_id));
  EXPECT_EQ(decided->state, CaseState::decided);
  EXPECT_EQ(decided->decided_by, "alice");
  EXPECT_EQ(decided->decided_by_key, key_of("alice"));
  EXPECT_TRUE(must(store().moderation_queue(key_of("bob"), 10)).empty());
  const auto log = must(store().moderation_log(0, 10));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].record, entry.record);
  EXPECT_EQ(log[0].moderator_key, key_of("alice"));
  EXPECT_EQ(log[0].account, account_id(1));
  EXPECT_EQ(log[0].category, 6);
  EXPECT_EQ(must(store().moderation_log_for_account(account_id(1), 10)).size(), 1u);
  EXPECT_TRUE(must(store().moderation_log_for_account(account_id(2), 10)).empty());

  // Deciding again is refused; so is an action signed against an old head.
  EXPECT_EQ(error_of(store().append_moderation_action(
                action(store(), opened.case_id, dismiss, "bob"))),
            Errc::conflict);
  const auto other = must(store().report_content(post_report(3, 6)));
  ModerationLogEntry stale = action(store(), other.case_id, dismiss, "bob");
  stale.prev_hash = filled(32, 0);
  EXPECT_EQ(error_of(store().append_moderation_action(stale)), Errc::conflict);
  EXPECT_EQ(error_of(store().append_moderation_action(action(store(), 999, dismiss, "bob"))),
            Errc::not_found);
}

TEST_P(StoreModerationTest, AppealGoesToAnotherModeratorWhoMayReinstate) {
  const auto opened = must(store().report_content(post_report(2, 5)));
  must(store().append_moderation_action(action(store(), opened.case_id, remove_post, "alice")));
  EXPECT_EQ(error_of(store().appeal_case(opened.case_id, account_id(2), "not mine", june)),
            Errc::not_found);
  must(store().appeal_case(opened.case_id, account_id(1), "it was satire", june + 2000));
  EXPECT_EQ(error_of(store().appeal_case(opened.case_id, account_id(1), "again", june)),
            Errc::conflict);

  const auto appealed = must(store().moderation_case(opened.case_id));
  EXPECT_EQ(appealed->state, CaseState::appealed);
  ASSERT_TRUE(appealed->appeal);
  EXPECT_EQ(appealed->appeal->text, "it was satire");
  EXPECT_EQ(appealed->appeal->excluded_moderator, "alice");
  EXPECT_EQ(appealed->appeal->excluded_key, key_of("alice"));
  EXPECT_TRUE(must(store().moderation_queue(key_of("alice"), 10)).empty());
  EXPECT_EQ(must(store().moderation_queue(key_of("bob"), 10)).size(), 1u);

  EXPECT_EQ(error_of(store().append_moderation_action(
                action(store(), opened.case_id, reinstate, "alice"))),
            Errc::conflict);
  // The same key under another name (a moderator renamed in the config) is still refused, and
  // still does not see the case.
  EXPECT_EQ(error_of(store().append_moderation_action(
                action(store(), opened.case_id, reinstate, "alice-renamed"))),
            Errc::conflict);
  EXPECT_TRUE(must(store().moderation_queue(key_of("alice-renamed"), 10)).empty());
  EXPECT_EQ(error_of(store().append_moderation_action(
                action(store(), opened.case_id, remove_post, "bob"))),
            Errc::conflict);
  must(store().append_moderation_action(action(store(), opened.case_id, reinstate, "bob")));
  EXPECT_TRUE(must(store().hidden_posts(channel_of(9), 1, 10)).empty());
  EXPECT_EQ(must(store().moderation_case(opened.case_id))->state, CaseState::closed);
  EXPECT_EQ(must(store().moderation_log_for_account(account_id(1), 10)).size(), 2u);
}

TEST_P(StoreModerationTest, RestrictionAndSuspensionApplyAndAnUpheldAppealKeepsThem) {
  NewReport channel_report = post_report(2, 0);
  channel_report.target = CaseTarget::channel;
  const auto channel_case = must(store().report_content(channel_report));
  EXPECT_EQ(error_of(store().append_moderation_action(
                action(store(), channel_case.case_id, remove_post, "alice"))),
            Errc::conflict);
  must(store().append_moderation_action(
      action(store(), channel_case.case_id, restrict_channel, "alice")));
  ASSERT_TRUE(must(store().channel_restriction(channel_of(9))));
  EXPECT_FALSE(must(store().channel_restriction(channel_of(8))));
  must(store().appeal_case(channel_case.case_id, account_id(1), "please", june));
  must(store().append_moderation_action(action(store(), channel_case.case_id, dismiss, "bob")));
  EXPECT_TRUE(must(store().channel_restriction(channel_of(9))));

  const auto post_case = must(store().report_content(post_report(3, 7)));
  must(store().append_moderation_action(
      action(store(), post_case.case_id, suspend_account, "alice")));
  const auto suspension = must(store().account_suspension(account_id(1)));
  ASSERT_TRUE(suspension);
  EXPECT_EQ(suspension->case_id, post_case.case_id);
  EXPECT_FALSE(must(store().account_suspension(account_id(2))));
}

TEST_P(StoreModerationTest, HideRuleHidesAtOnceAndDismissLiftsIt) {
  NewRuleMatch match = rule_match(3, "known-media", true);
  const std::uint64_t id = must(store().open_rule_case(match));
  ASSERT_EQ(must(store().hidden_posts(channel_of(9), 4, 4)).size(), 1u);
  const auto found = must(store().moderation_case(id));
  EXPECT_TRUE(found->rule_hidden);
  EXPECT_EQ(found->rule, "known-media");
  EXPECT_EQ(must(store().rule_hidden_cases(account_id(1), 10)).size(), 1u);
  // A report of the same post joins the rule's case.
  EXPECT_EQ(must(store().report_content(post_report(2, 4))).case_id, id);
  must(store().append_moderation_action(action(store(), id, dismiss, "alice")));
  EXPECT_TRUE(must(store().hidden_posts(channel_of(9), 4, 4)).empty());
  // A rule that only queues hides nothing.
  match.seq = 5;
  match.hide = false;
  must(store().open_rule_case(match));
  EXPECT_TRUE(must(store().hidden_posts(channel_of(9), 5, 5)).empty());
}

TEST_P(StoreModerationTest, OwnerMayAppealARuleHideBeforeAnyModeratorDecides) {
  const NewRuleMatch match = rule_match(6, "spam-words", true);
  const std::uint64_t id = must(store().open_rule_case(match));
  must(store().appeal_case(id, account_id(1), "false positive", june + 1));
  EXPECT_EQ(must(store().moderation_queue(key_of("alice"), 10)).size(), 1u);
  must(store().append_moderation_action(action(store(), id, reinstate, "alice")));
  EXPECT_TRUE(must(store().hidden_posts(channel_of(9), 4, 4)).empty());
}

// Effects are kept per case: reinstating one case on appeal lifts only what that case imposed.
TEST_P(StoreModerationTest, ReinstatingOneCaseKeepsAnotherCasesEffectOnTheSameTarget) {
  NewMessageCase report;
  report.sender = account_id(4);
  report.reporter = account_id(2);
  report.category = 1;
  report.evidence = filled(10, 0x61);
  report.now_ms = june;
  const std::uint64_t first = must(store().open_message_case(report)).case_id;
  const std::uint64_t second = must(store().open_message_case(report)).case_id;
  must(store().append_moderation_action(action(store(), first, suspend_account, "alice")));
  must(store().append_moderation_action(action(store(), second, suspend_account, "bob")));
  // The first is appealed and reinstated by another moderator; the second still stands.
  must(store().appeal_case(first, account_id(4), "not me", june + 2000));
  must(store().append_moderation_action(action(store(), first, reinstate, "bob")));
  const auto suspension = must(store().account_suspension(account_id(4)));
  ASSERT_TRUE(suspension) << "the second case's suspension was lifted with the first";
  EXPECT_EQ(suspension->case_id, second);
  must(store().appeal_case(second, account_id(4), "not me either", june + 3000));
  must(store().append_moderation_action(action(store(), second, reinstate, "alice")));
  EXPECT_FALSE(must(store().account_suspension(account_id(4))));

  // The same for a post hidden by two cases (a rule's and a moderator's).
  const auto opened = must(store().report_content(post_report(2, 5)));
  must(store().append_moderation_action(action(store(), opened.case_id, remove_post, "alice")));
  const auto hidden = must(store().hidden_posts(channel_of(9), 5, 5));
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_EQ(hidden[0].effect.case_id, opened.case_id);
}

TEST_P(StoreModerationTest, OneReportedMessageIsOneCaseHoweverOftenItIsReported) {
  NewMessageCase report;
  report.sender = account_id(4);
  report.reporter = account_id(2);
  report.category = 6;
  report.evidence = filled(10, 0x61);
  report.message_tag = filled(32, 0x77);
  report.now_ms = june;
  const ReportOutcome first = must(store().open_message_case(report));
  EXPECT_TRUE(first.new_case);
  const ReportOutcome again = must(store().open_message_case(report));
  EXPECT_EQ(again.case_id, first.case_id);
  EXPECT_FALSE(again.new_case);
  EXPECT_FALSE(again.counted);
  EXPECT_EQ(must(store().moderation_queue(key_of("alice"), 10)).size(), 1u);
  report.message_tag = filled(32, 0x78);
  EXPECT_NE(must(store().open_message_case(report)).case_id, first.case_id) << "another message";
}

TEST_P(StoreModerationTest, MessageCasesStandAloneWithTheirEvidence) {
  NewMessageCase report;
  report.sender = account_id(4);
  report.reporter = account_id(2);
  report.category = 1;
  report.comment = "threats";
  report.evidence = filled(50, 0x61);
  report.now_ms = june;
  const std::uint64_t first = must(store().open_message_case(report)).case_id;
  const std::uint64_t second = must(store().open_message_case(report)).case_id;
  EXPECT_NE(first, second) << "reports without a message tag are never merged";
  const auto found = must(store().moderation_case(first));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->target, CaseTarget::message);
  EXPECT_EQ(found->evidence, report.evidence);
  EXPECT_EQ(found->account, account_id(4));
  EXPECT_EQ(found->reports, 1u);
  EXPECT_EQ(error_of(store().append_moderation_action(
                action(store(), first, restrict_channel, "alice"))),
            Errc::conflict);
  must(store().append_moderation_action(action(store(), first, suspend_account, "alice")));
  EXPECT_TRUE(must(store().account_suspension(account_id(4))));
}

TEST_P(StoreModerationTest, CountsPerMonthCategoryAndActionHoldNoIdentities) {
  must(store().report_content(post_report(2, 5, 6, june)));
  must(store().report_content(post_report(3, 5, 6, june)));
  const auto july_case = must(store().report_content(post_report(2, 8, 4, july)));
  must(store().append_moderation_action(
      action(store(), july_case.case_id, remove_post, "alice", july)));
  const auto counts = must(store().moderation_counts());
  auto find = [&](std::string month, std::string kind, std::uint8_t code) -> std::uint64_t {
    for (const ModerationCount& count : counts)
      if (count.month == month && count.kind == kind && count.code == code) return count.count;
    return 0;
  };
  EXPECT_EQ(find("2026-05", "reports", 6), 2u);
  EXPECT_EQ(find("2026-07", "reports", 4), 1u);
  EXPECT_EQ(find("2026-07", "actions", remove_post), 1u);
  EXPECT_EQ(find("2026-05", "actions", remove_post), 0u);
  EXPECT_EQ(find("2026-05", "rule_matches", 6), 0u);
}

// The report's totals follow every way a rule match is recorded: a case a rule opens, and a
// case a report opened that a rule then matches (counted once, however often rules match it).
TEST_P(StoreModerationTest, RuleMatchesAreCountedOncePerCase) {
  NewRuleMatch match = rule_match(7, "scam", false);
  must(store().open_rule_case(match));
  const auto reported = must(store().report_content(post_report(2, 5, 7, june)));
  match.seq = 5;
  match.hide = true;
  match.reason = "matched";
  EXPECT_EQ(must(store().open_rule_case(match)), reported.case_id);
  match.rule = "another";
  EXPECT_EQ(must(store().open_rule_case(match)), reported.case_id);
  std::uint64_t rule_matches = 0;
  for (const ModerationCount& count : must(store().moderation_counts()))
    if (count.kind == "rule_matches" && count.month == "2026-05" && count.code == 7)
      rule_matches = count.count;
  EXPECT_EQ(rule_matches, 2u);
}

TEST_P(StoreModerationTest, AnActionWithoutTheModeratorsKeyIsRefused) {
  const auto opened = must(store().report_content(post_report(2, 5)));
  ModerationLogEntry entry = action(store(), opened.case_id, remove_post, "alice");
  entry.moderator_key.clear();
  EXPECT_EQ(error_of(store().append_moderation_action(entry)), Errc::invalid_argument);
  EXPECT_EQ(must(store().moderation_log_head()), filled(32, 0));
}

TEST_P(StoreModerationTest, FailedActionLeavesNothingBehind) {
  const auto opened = must(store().report_content(post_report(2, 5)));
  const ModerationLogEntry entry = action(store(), opened.case_id, remove_post, "alice");
  fail_each_statement([&] { return store().append_moderation_action(entry); }, [&] {
    EXPECT_EQ(must(store().moderation_log_head()), filled(32, 0));
    EXPECT_TRUE(must(store().hidden_posts(channel_of(9), 1, 10)).empty());
    EXPECT_EQ(must(store().moderation_case(opened.case_id))->state, CaseState::open);
  });
  EXPECT_EQ(must(store().moderation_log_head()), entry.hash);
}

}  // namespace
}  // namespace bulwark::store::conformance
