// Public-content moderation with real processes (issue 7, docs/MODERATION.md): bulwark-server,
// the bulwark CLI for users and bulwark-admin for two moderators. A post reported twice is one
// case; a moderator removes it, which readers and the web preview show as removed by moderation;
// the owner sees the signed notice and appeals; the same moderator is refused and a second one
// reinstates it. A policy rule hides a post at once; the public report counts all of it. Bad
// input (unknown category or case, a forged, stale or replayed moderator request) gets a clear
// error. A moderator's key swapped on the server is caught by the clients that pinned the real
// one.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "moderation/request_auth.h"
#include "support/accounts.h"
#include "support/admin.h"
#include "support/channels.h"
#include "support/db_edit.h"
#include "support/https_get.h"

namespace bulwark::e2e {
namespace {

constexpr const char* hateful = "Those people are vermin and should be driven out";

std::string server_config(const Moderator& alice, const Moderator& bob) {
  return moderator_toml(alice) + moderator_toml(bob) +
         "[[moderation.rule]]\nname = \"scam-coins\"\nkind = \"keywords\"\n"
         "patterns = [\"scamcoin\"]\ncategory = \"spam\"\naction = \"hide\"\n";
}

std::uint64_t case_of(const CliResult& result) {
  auto lines = result.of_type("moderation_report");
  require(result.exit_code() == 0 && lines.size() == 1, "report failed", result.describe());
  return lines[0]["case"].get<std::uint64_t>();
}

std::vector<std::uint64_t> queue_ids(const CliResult& result) {
  std::vector<std::uint64_t> ids;
  for (const auto& line : result.of_type("moderation_case")) ids.push_back(line["id"].get<std::uint64_t>());
  return ids;
}

bool contains(const std::vector<std::uint64_t>& ids, std::uint64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string current_month() {
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day date(std::chrono::floor<std::chrono::days>(now));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()));
  return text;
}

// A count summed over the public report's months: a test running across the end of a month
// finds its counts split between two months (the server is fresh, so all of them are its own).
std::int64_t report_total(const nlohmann::json& report, std::initializer_list<std::string> path) {
  std::int64_t total = 0;
  for (const auto& month : report["months"]) {
    const nlohmann::json* node = &month;
    for (const std::string& key : path) node = &node->at(key);
    total += node->get<std::int64_t>();
  }
  return total;
}

// A moderator's key as bulwark-admin stores it (64 hex digits).
crypto::Ed25519SecretKey key_of(const Moderator& moderator) {
  std::ifstream in(moderator.key_file);
  std::string hex;
  in >> hex;
  return crypto::Ed25519SecretKey::from_seed(from_hex(hex).value()).value();
}

// A moderator's request signed by hand with time `time_ms`, for the refusals bulwark-admin
// itself would never send.
HttpResult signed_get(const ServerProcess& server, const std::string& name,
                      const crypto::Ed25519SecretKey& key, std::int64_t time_ms,
                      const std::string& target) {
  auto signature = moderation::sign_request(key, "GET", target, time_ms, {}).value();
  return https_request(server.port(), server.ca_file(), "GET", target,
                       {{"X-Bulwark-Moderator", name},
                        {"X-Bulwark-Time", std::to_string(time_ms)},
                        {"X-Bulwark-Signature", crypto::base64_encode(signature)}},
                       "");
}

HttpResult signed_post(const ServerProcess& server, const std::string& name,
                       const crypto::Ed25519SecretKey& key, std::int64_t time_ms,
                       const std::string& target, const std::string& body) {
  auto signature = moderation::sign_request(key, "POST", target, time_ms, as_bytes(body)).value();
  return https_request(server.port(), server.ca_file(), "POST", target,
                       {{"X-Bulwark-Moderator", name},
                        {"X-Bulwark-Time", std::to_string(time_ms)},
                        {"X-Bulwark-Signature", crypto::base64_encode(signature)}},
                       body);
}

// An account's id as the CLI shows it (UUID text) and as 32 hex digits.
std::vector<std::string> account_id_forms(const Account& account) {
  CliResult whoami = account.cli.run({"whoami"});
  require(whoami.exit_code() == 0, "whoami failed", whoami.describe());
  std::string text = whoami.of_type("account").at(0)["account_id"].get<std::string>();
  std::string hex = text;
  std::erase(hex, '-');
  return {text, hex};
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(ModerationTest, ReportedPostIsRemovedAppealedAndReinstatedByAnotherModerator) {
  TempDir tmp;
  const std::string started_month = current_month();
  const Moderator alice = make_moderator(tmp, "alice");
  const Moderator bob = make_moderator(tmp, "bob");
  ServerProcess server(tmp.path() / "srv", ServerOptions{server_config(alice, bob)});
  Account owner = register_account(tmp, server, "owner", test_phone(60));
  Account reader = register_account(tmp, server, "reader", test_phone(61));
  Account other = register_account(tmp, server, "other", test_phone(62));
  create_channel(owner, "free_press");
  post_to(owner, "free_press", "An ordinary post");
  const std::uint64_t bad = post_to(owner, "free_press", hateful);
  const std::string bad_seq = std::to_string(bad);

  // Two readers report the post: one case; a second report by the same reader counts once.
  const std::uint64_t id = case_of(reader.cli.run(
      {"channel", "report", "free_press", bad_seq, "--category", "hate", "-m", "dehumanising"}));
  EXPECT_EQ(case_of(other.cli.run({"channel", "report", "free_press", bad_seq, "-c", "violence"})), id);
  CliResult again = reader.cli.run({"channel", "report", "free_press", bad_seq, "-c", "hate"});
  EXPECT_EQ(case_of(again), id);
  EXPECT_FALSE(again.of_type("moderation_report")[0]["counted"].get<bool>());
  const std::string case_id = std::to_string(id);

  CliResult queue = moderate(alice, server, {"queue"});
  ASSERT_EQ(queue.exit_code(), 0) << queue.describe();
  ASSERT_TRUE(contains(queue_ids(queue), id)) << queue.describe();
  CliResult shown = moderate(alice, server, {"show", case_id});
  ASSERT_EQ(shown.exit_code(), 0) << shown.describe();
  const auto details = shown.of_type("moderation_case").at(0);
  EXPECT_EQ(details["content"], hateful);
  EXPECT_EQ(details["reports"], 2);
  EXPECT_EQ(details["report_list"].size(), 2u);
  // Reporters stay anonymous: no field names them, and neither their phone nor their account
  // id (as text or as hex) is anywhere in what the moderator gets.
  for (const auto& item : details["report_list"]) {
    EXPECT_FALSE(item.contains("reporter")) << item.dump();
    EXPECT_FALSE(item.contains("account")) << item.dump();
  }
  for (const std::string& id_form : account_id_forms(reader)) {
    EXPECT_EQ(shown.out.find(id_form), std::string::npos) << "a reporter's id reached the moderator";
    EXPECT_EQ(queue.out.find(id_form), std::string::npos);
  }
  EXPECT_EQ(shown.out.find(test_phone(61)), std::string::npos) << "reporters stay anonymous";

  CliResult removed = moderate(alice, server, {"act", case_id, "--action", "remove-post",
                                                "--reason", "dehumanising speech (rules 4.2)"});
  ASSERT_EQ(removed.exit_code(), 0) << removed.describe();

  // Readers see it removed by moderation, with the case: not tampering, not silently gone.
  CliResult read = reader.cli.run({"channel", "read", "free_press"});
  ASSERT_EQ(read.exit_code(), 0) << read.describe();
  const nlohmann::json held = entry(entries_of(read), bad);
  EXPECT_EQ(held["kind"], "moderated");
  EXPECT_EQ(held["verified"], true);
  EXPECT_EQ(held["moderation_case"], id);
  EXPECT_EQ(held["moderated_by"], "alice") << "checked against the key the reader pinned";
  EXPECT_EQ(read.out.find("vermin"), std::string::npos);
  const HttpResult page = https_get(server.port(), server.ca_file(), "/s/free_press/" + bad_seq);
  EXPECT_EQ(page.status, 200) << page.error;
  EXPECT_NE(page.body.find("Removed by moderation (case " + case_id + ")"), std::string::npos);
  EXPECT_EQ(page.body.find("vermin"), std::string::npos);
  EXPECT_EQ(https_get(server.port(), server.ca_file(), "/s/free_press").body.find("vermin"),
            std::string::npos);

  // The owner sees the signed notice and appeals once.
  CliResult notices = owner.cli.run({"moderation"});
  ASSERT_EQ(notices.exit_code(), 0) << notices.describe();
  const auto notice = notices.of_type("moderation_notice").at(0);
  EXPECT_EQ(notice["case"], id);
  EXPECT_EQ(notice["action"], "remove-post");
  EXPECT_EQ(notice["moderator"], "alice");
  EXPECT_EQ(notice["signed"], true);
  EXPECT_EQ(notice["appealable"], true);
  EXPECT_NE(reader.cli.run({"appeal", case_id, "-m", "not mine"}).exit_code(), 0);
  CliResult appealed = owner.cli.run({"appeal", case_id, "-m", "I was quoting them to criticise it"});
  ASSERT_EQ(appealed.exit_code(), 0) << appealed.describe();
  CliResult twice = owner.cli.run({"appeal", case_id, "-m", "again"});
  EXPECT_NE(twice.exit_code(), 0);
  EXPECT_NE(error_message(twice).find("already appealed"), std::string::npos) << twice.describe();

  // The appeal goes to another moderator: alice neither sees it nor may decide it.
  EXPECT_FALSE(contains(queue_ids(moderate(alice, server, {"queue"})), id));
  CliResult same = moderate(alice, server, {"act", case_id, "--action", "reinstate", "--reason", "ok"});
  EXPECT_NE(same.exit_code(), 0);
  EXPECT_NE(error_message(same).find("another moderator"), std::string::npos) << same.describe();
  ASSERT_TRUE(contains(queue_ids(moderate(bob, server, {"queue"})), id));
  CliResult decided = moderate(bob, server, {"act", case_id, "--action", "reinstate",
                                             "--reason", "quoted in order to criticise it"});
  ASSERT_EQ(decided.exit_code(), 0) << decided.describe();

  CliResult reread = reader.cli.run({"channel", "read", "free_press"});
  EXPECT_EQ(entry(entries_of(reread), bad)["text"], hateful) << reread.describe();
  CliResult after = owner.cli.run({"moderation"});
  const auto final_notices = after.of_type("moderation_notice");
  ASSERT_EQ(final_notices.size(), 2u) << after.describe();
  EXPECT_EQ(final_notices[0]["action"], "reinstate");
  EXPECT_EQ(final_notices[0]["moderator"], "bob");
  EXPECT_EQ(final_notices[0]["signed"], true);
  EXPECT_EQ(final_notices[1]["appealable"], false);

  // A hide rule hides a matching post at once, and queues it.
  const std::uint64_t scam = post_to(owner, "free_press", "Buy ScamCoin today, 1000% returns");
  CliResult hidden = reader.cli.run({"channel", "read", "free_press"});
  const nlohmann::json rule_held = entry(entries_of(hidden), scam);
  EXPECT_EQ(rule_held["kind"], "moderated") << hidden.describe();
  EXPECT_EQ(rule_held["verified"], true);
  EXPECT_FALSE(rule_held.contains("moderated_by")) << "a rule's hold, no moderator yet";
  const std::uint64_t rule_case = rule_held["moderation_case"].get<std::uint64_t>();
  EXPECT_TRUE(contains(queue_ids(moderate(alice, server, {"queue"})), rule_case));
  EXPECT_EQ(https_get(server.port(), server.ca_file(), "/s/free_press").body.find("ScamCoin"),
            std::string::npos);

  // The public report: counts per month, category and action; nothing else.
  const HttpResult report = https_get(server.port(), server.ca_file(), "/moderation.json");
  ASSERT_EQ(report.status, 200) << report.error;
  const auto json = nlohmann::json::parse(report.body);
  ASSERT_FALSE(json["months"].empty());
  for (const auto& month : json["months"])
    EXPECT_TRUE(month["month"] == started_month || month["month"] == current_month()) << month["month"];
  EXPECT_EQ(report_total(json, {"reports", "hate"}), 1);
  EXPECT_EQ(report_total(json, {"reports", "violence"}), 1);
  EXPECT_EQ(report_total(json, {"rule_matches", "spam"}), 1);
  EXPECT_EQ(report_total(json, {"actions", "remove-post"}), 1);
  EXPECT_EQ(report_total(json, {"actions", "reinstate"}), 1);
  EXPECT_EQ(report_total(json, {"actions_by_category", "hate", "remove-post"}), 1);
  for (const std::string& secret : {test_phone(61), std::string("vermin"), std::string("free_press")})
    EXPECT_EQ(report.body.find(secret), std::string::npos) << secret;
  for (const Account* account : {&reader, &other, &owner})
    for (const std::string& id_form : account_id_forms(*account))
      EXPECT_EQ(report.body.find(id_form), std::string::npos) << "an account id is in the public report";
  const HttpResult html = https_get(server.port(), server.ca_file(), "/moderation");
  EXPECT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("Moderation report"), std::string::npos);
  EXPECT_GE(server.metric("bulwark_moderation_actions_total"), 2);

  // An auditor checks the whole log: every hash, every link, every signature by a moderator
  // they trust.
  const std::vector<std::string> audit{"log", "--verify", "--trust", "alice=" + alice.public_key,
                                       "--trust", "bob=" + bob.public_key};
  CliResult verified = moderate(alice, server, audit);
  ASSERT_EQ(verified.exit_code(), 0) << verified.describe();
  const auto summary = verified.of_type("moderation_log_verified").at(0);
  EXPECT_EQ(summary["entries"], 2) << "the removal and the reinstatement";
  // Trusting only Bob, Alice's entry is not accepted.
  CliResult only_bob = moderate(alice, server, {"log", "--verify", "--trust", "bob=" + bob.public_key});
  EXPECT_EQ(only_bob.exit_code(), 4) << only_bob.describe();
  // Whoever holds the disk rewrites a logged reason (past the triggers): the audit catches it.
  server.stop();
  edit_database(server.data_dir() / "bulwark.db",
                "DROP TRIGGER moderation_log_no_update; "
                "UPDATE moderation_log SET record = CAST(replace(CAST(record AS TEXT), 'rules 4.2', "
                "'rules 9.9') AS BLOB) WHERE seq = 1");
  server.restart();
  CliResult tampered = moderate(alice, server, audit);
  EXPECT_EQ(tampered.exit_code(), 4) << tampered.describe();
  EXPECT_NE(tampered.describe().find("moderation log entry 1"), std::string::npos) << tampered.describe();
}

TEST(ModerationTest, BadInputGetsClearErrors) {
  TempDir tmp;
  const Moderator alice = make_moderator(tmp, "alice");
  const Moderator bob = make_moderator(tmp, "bob");
  ServerProcess server(tmp.path() / "srv", ServerOptions{server_config(alice, bob)});
  Account owner = register_account(tmp, server, "owner", test_phone(63));
  create_channel(owner, "free_press");
  const std::uint64_t seq = post_to(owner, "free_press", "hello");

  CliResult category = owner.cli.run({"channel", "report", "free_press", std::to_string(seq), "-c", "gore"});
  EXPECT_EQ(category.exit_code(), 1);
  EXPECT_NE(error_message(category).find("unknown category"), std::string::npos) << category.describe();
  CliResult no_post = owner.cli.run({"channel", "report", "free_press", "999", "-c", "spam"});
  EXPECT_NE(no_post.exit_code(), 0);
  EXPECT_NE(error_message(no_post).find("no such post"), std::string::npos) << no_post.describe();

  CliResult unknown = moderate(alice, server, {"show", "999"});
  EXPECT_NE(unknown.exit_code(), 0);
  EXPECT_NE(error_message(unknown).find("no moderation case 999"), std::string::npos) << unknown.describe();
  CliResult bad_action = moderate(alice, server, {"act", "1", "--action", "ban", "--reason", "x"});
  EXPECT_EQ(bad_action.exit_code(), 1);

  // A key the server does not know for that name: a forged moderator.
  Moderator mallory = make_moderator(tmp, "mallory");
  mallory.name = "alice";
  CliResult forged = moderate(mallory, server, {"queue"});
  EXPECT_NE(forged.exit_code(), 0);
  EXPECT_NE(error_message(forged).find("signature does not verify"), std::string::npos) << forged.describe();
  // A name nobody configured gets the same answer, so names cannot be probed.
  Moderator stranger = make_moderator(tmp, "stranger");
  CliResult unknown_name = moderate(stranger, server, {"queue"});
  EXPECT_NE(unknown_name.exit_code(), 0);
  EXPECT_EQ(error_message(unknown_name), error_message(forged)) << unknown_name.describe();
  // A request signed ten minutes ago: a clock problem, said so.
  const HttpResult stale = signed_get(server, "alice", key_of(alice), now_ms() - 600'000,
                                      "/admin/moderation/queue");
  EXPECT_EQ(stale.status, 401);
  EXPECT_NE(stale.body.find("clock skew"), std::string::npos) << stale.body;
  const std::int64_t signed_at = now_ms();
  const HttpResult fresh = signed_get(server, "alice", key_of(alice), signed_at, "/admin/moderation/queue");
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  // The same signed request sent again (a capture replayed within the clock window) is refused.
  const HttpResult replayed = signed_get(server, "alice", key_of(alice), signed_at, "/admin/moderation/queue");
  EXPECT_EQ(replayed.status, 401);
  EXPECT_NE(replayed.body.find("replayed request"), std::string::npos) << replayed.body;
  const HttpResult unsigned_request = https_get(server.port(), server.ca_file(), "/admin/moderation/queue");
  EXPECT_EQ(unsigned_request.status, 401);
  // A request is accepted (admitted) before what it asks is checked, so one refused now stays
  // refused: sent again once the case's state made it valid, it would be a replay.
  const std::int64_t act_at = now_ms();
  const HttpResult bad_body =
      signed_post(server, "alice", key_of(alice), act_at, "/admin/moderation/cases/1/act", "{}");
  EXPECT_EQ(bad_body.status, 400) << bad_body.body;
  const HttpResult bad_again =
      signed_post(server, "alice", key_of(alice), act_at, "/admin/moderation/cases/1/act", "{}");
  EXPECT_EQ(bad_again.status, 401);
  EXPECT_NE(bad_again.body.find("replayed request"), std::string::npos) << bad_again.body;
  EXPECT_GE(server.metric("bulwark_moderation_admin_refused_total"), 7);
  // A restart does not forget it: accepted signatures are kept in the database (so are they
  // for every node of a cluster), not in the process.
  ASSERT_EQ(server.stop().code, 0);
  server.restart();
  const HttpResult after_restart =
      signed_get(server, "alice", key_of(alice), signed_at, "/admin/moderation/queue");
  EXPECT_EQ(after_restart.status, 401);
  EXPECT_NE(after_restart.body.find("replayed request"), std::string::npos) << after_restart.body;
  EXPECT_EQ(server.metric("bulwark_moderation_admin_refused_total"), 1);
  EXPECT_TRUE(server.healthy());
}

TEST(ModerationTest, RestrictedChannelAndSuspendedAccountAreVisiblyLimited) {
  TempDir tmp;
  const Moderator alice = make_moderator(tmp, "alice");
  const Moderator bob = make_moderator(tmp, "bob");
  ServerProcess server(tmp.path() / "srv", ServerOptions{server_config(alice, bob)});
  Account owner = register_account(tmp, server, "owner", test_phone(64));
  Account reader = register_account(tmp, server, "reader", test_phone(65));
  create_channel(owner, "spam_hub");
  const std::uint64_t seq = post_to(owner, "spam_hub", "click here");
  const std::uint64_t channel_case = case_of(reader.cli.run({"channel", "report", "spam_hub", "-c", "spam"}));
  CliResult restricted = moderate(alice, server, {"act", std::to_string(channel_case), "--action",
                                                  "restrict-channel", "--reason", "spam network"});
  ASSERT_EQ(restricted.exit_code(), 0) << restricted.describe();
  const HttpResult page = https_get(server.port(), server.ca_file(), "/s/spam_hub");
  EXPECT_EQ(page.status, 403);
  EXPECT_NE(page.body.find("restricted by moderation"), std::string::npos);
  CliResult refused = owner.cli.run({"channel", "post", "spam_hub", "-m", "more"});
  EXPECT_NE(refused.exit_code(), 0);
  EXPECT_NE(error_message(refused).find("restricted by moderation"), std::string::npos) << refused.describe();
  CliResult subscribe = reader.cli.run({"channel", "subscribe", "spam_hub"});
  EXPECT_NE(subscribe.exit_code(), 0);

  const std::uint64_t post_case = case_of(reader.cli.run(
      {"channel", "report", "spam_hub", std::to_string(seq), "-c", "spam"}));
  CliResult suspended = moderate(bob, server, {"act", std::to_string(post_case), "--action",
                                               "suspend-account", "--reason", "repeated spam"});
  ASSERT_EQ(suspended.exit_code(), 0) << suspended.describe();
  CliResult create = owner.cli.run({"channel", "create", "spam_hub_two"});
  EXPECT_NE(create.exit_code(), 0);
  EXPECT_NE(error_message(create).find("suspended by moderation"), std::string::npos) << create.describe();
  // Suspended, the owner still authenticates, sees why and may appeal.
  CliResult notices = owner.cli.run({"moderation"});
  ASSERT_EQ(notices.exit_code(), 0) << notices.describe();
  EXPECT_EQ(notices.of_type("moderation_notice").size(), 2u);
  EXPECT_EQ(owner.cli.run({"appeal", std::to_string(post_case), "-m", "not spam"}).exit_code(), 0);
}

// The operator (or whoever holds the server) swaps a moderator's key for one of their own and
// removes a post under that moderator's name. Readers who pinned the real key at registration
// flag the hold, and the affected owner's notice does not verify: the server cannot sign a
// moderation decision under a moderator's name without that moderator's private key.
TEST(ModerationTest, AModeratorKeySwappedOnTheServerIsCaughtByClientsThatPinnedTheRealOne) {
  TempDir tmp;
  const Moderator alice = make_moderator(tmp, "alice");
  const Moderator bob = make_moderator(tmp, "bob");
  Moderator impostor = make_moderator(tmp, "impostor");
  ServerProcess server(tmp.path() / "srv", ServerOptions{server_config(alice, bob)});
  Account owner = register_account(tmp, server, "owner", test_phone(64));
  Account reader = register_account(tmp, server, "reader", test_phone(65));
  create_channel(owner, "free_press");
  const std::uint64_t bad = post_to(owner, "free_press", "An inconvenient truth");
  const std::string case_id = std::to_string(case_of(reader.cli.run(
      {"channel", "report", "free_press", std::to_string(bad), "-c", "other"})));

  // The same server, now configured with the impostor's key under Alice's name.
  ASSERT_EQ(server.stop().code, 0);
  impostor.name = "alice";
  std::ofstream(server.data_dir().parent_path() / "server.toml", std::ios::trunc)
      << server_config(impostor, bob);
  server.restart();
  CliResult removed = moderate(impostor, server, {"act", case_id, "--action", "remove-post",
                                                  "--reason", "inconvenient"});
  ASSERT_EQ(removed.exit_code(), 0) << removed.describe();

  CliResult read = reader.cli.run({"channel", "read", "free_press"});
  EXPECT_EQ(read.exit_code(), 4) << "an entry that does not verify: " << read.describe();
  const nlohmann::json held = entry(entries_of(read), bad);
  EXPECT_EQ(held["kind"], "moderated");
  EXPECT_EQ(held["verified"], false);
  EXPECT_NE(held["problem"].get<std::string>().find("another key than the one this device pinned"),
            std::string::npos) << held.dump();
  CliResult notices = owner.cli.run({"moderation"});
  EXPECT_NE(notices.exit_code(), 0) << "a decision that does not verify is a problem";
  const auto notice = notices.of_type("moderation_notice").at(0);
  EXPECT_EQ(notice["signed"], false) << notice.dump();
  EXPECT_NE(notice["problem"].get<std::string>().find("another key than the one this device pinned"),
            std::string::npos) << notice.dump();
}

}  // namespace
}  // namespace bulwark::e2e
