// The lawful-request workflow (server/lawful_service.h) against a real SQLite store, a fake
// clock and a test court PKI (tests/server/support/lawful_support.h): issue 8's "Proof it works"
// at the service level, every step checked against the disclosure log it must leave behind.
#include "server/lawful_service.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "lawful/approval.h"
#include "lawful/log_audit.h"
#include "lawful/release.h"
#include "lawful/utc_time.h"
#include "server/support/lawful_support.h"

namespace bulwark::server {
namespace {

using lawful::EntryKind;
using lawful_support::LawfulFixture;
using OrderJson = nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using testing::sample_order;

constexpr std::int64_t ms(std::int64_t seconds) { return seconds * 1000; }
// 2026-05-28 12:00, 2026-05-31 22:00, 2026-05-20 10:00, 2026-06-01 12:00 (UTC).
constexpr std::int64_t may_28 = lawful_support::june_first_s - 3 * 86400 - 12 * 3600;
constexpr std::int64_t may_31 = lawful_support::june_first_s - 2 * 3600;
constexpr std::int64_t may_20 = lawful_support::june_first_s - 12 * 86400 + 10 * 3600;
constexpr std::int64_t june_1_noon = lawful_support::june_first_s + 12 * 3600;

class LawfulServiceTest : public ::testing::Test {
 protected:
  LawfulServiceTest() {
    suspect_ = fixture_.add_account("+302101234567", 1);
    fixture_.add_account("+302107654321", 2);  // someone else, never named
    EXPECT_TRUE(store().record_ip(suspect_, "203.0.113.7", ms(may_28)));
    EXPECT_TRUE(store().record_ip(suspect_, "203.0.113.7", ms(may_31)));
    EXPECT_TRUE(store().record_ip(suspect_, "198.51.100.2", ms(may_20)));    // before the window
    EXPECT_TRUE(store().record_ip(suspect_, "192.0.2.9", ms(june_1_noon)));  // after the period
  }

  store::Store& store() { return fixture_.store(); }
  LawfulService& service() { return fixture_.service(); }

  std::uint64_t submitted(const OrderJson& order) {
    const LawfulOutcome outcome = fixture_.submit(order).value();
    EXPECT_TRUE(outcome.accepted) << outcome.detail;
    return outcome.order;
  }

  // Approved by alice and bob, released, witnessed, released again: the package's text.
  lawful::ReleasePackage release_approved(std::uint64_t order) {
    EXPECT_TRUE(fixture_.approve(order, 0).value().accepted);
    EXPECT_TRUE(fixture_.approve(order, 1).value().accepted);
    return release_witnessed(order);
  }

  lawful::ReleasePackage release_witnessed(std::uint64_t order) {
    const ReleaseOutcome pending = service().release(store(), order).value();
    EXPECT_EQ(pending.kind, ReleaseOutcome::Kind::awaiting_witnesses) << pending.detail;
    EXPECT_EQ(pending.quorum, 1u);
    fixture_.witness_cosigns();
    const ReleaseOutcome released = service().release(store(), order).value();
    EXPECT_EQ(released.kind, ReleaseOutcome::Kind::released) << released.detail;
    auto package = lawful::verify_release(released.package, service().log().policy());
    EXPECT_TRUE(package) << (package ? "" : package.error().describe());
    return package ? *package : lawful::ReleasePackage{};
  }

  LawfulFixture fixture_;
  store::AccountId suspect_;
};

TEST_F(LawfulServiceTest,
       AValidOrderIsApprovedByTwoLoggedAndReleasedWithExactlyThePhoneAndRecentIps) {
  fixture_.clock().set(
      std::chrono::system_clock::from_time_t(lawful_support::june_first_s + 86400));
  const std::uint64_t order = submitted(sample_order());
  const lawful::ReleasePackage package = release_approved(order);

  ASSERT_EQ(package.accounts.size(), 1u);
  const lawful::ReleasedAccount& account = package.accounts[0];
  EXPECT_TRUE(account.found);
  EXPECT_EQ(account.phone_number, "+302101234567");
  ASSERT_TRUE(account.ip_addresses);
  ASSERT_EQ(account.ip_addresses->size(), 1u);  // not the one before the window or after the period
  EXPECT_EQ((*account.ip_addresses)[0].ip, "203.0.113.7");
  EXPECT_EQ((*account.ip_addresses)[0].first_seen.time_since_epoch().count(), may_28);
  EXPECT_EQ((*account.ip_addresses)[0].last_seen.time_since_epoch().count(), may_31);
  EXPECT_EQ(package.released_categories,
            (std::vector<std::string>{"phone_number", "ip_addresses"}));
  EXPECT_TRUE(package.not_held.empty());

  // The log: received, two approvals, the answer - in that order, before anything left.
  const std::vector<lawful::LogEntry> entries = fixture_.entries();
  // (Entry 0 is the fixture's authority.)
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[1].kind, EntryKind::received);
  EXPECT_EQ(entries[2].kind, EntryKind::approval);
  EXPECT_EQ(entries[3].kind, EntryKind::approval);
  const lawful::LogEntry& answer = entries[4];
  EXPECT_EQ(answer.kind, EntryKind::answered);
  EXPECT_EQ(package.log.index, 4u);
  EXPECT_EQ(answer.jurisdiction, "GR");
  EXPECT_EQ(answer.authority, "Athens Court of First Instance");
  EXPECT_EQ(answer.account_count, 1u);
  EXPECT_EQ(answer.accounts[0], lawful::account_commitment(account.salt, "+302101234567"));
  ASSERT_EQ(answer.signatures.size(), 2u);
  EXPECT_EQ(answer.signatures[0].name, "alice");
  EXPECT_EQ(answer.signatures[1].name, "bob");
  EXPECT_EQ(store().lawful_order(order).value()->state, store::LawfulOrderState::answered);
}

TEST_F(LawfulServiceTest, AfterTheRetentionWindowNoIpAddressesAreReleased) {
  const std::uint64_t order = submitted(sample_order());
  // Eight days on: the last sighting (2026-05-31) is outside the 7-day window, even though the
  // maintenance sweep has not pruned it.
  fixture_.clock().advance(days(8));
  const lawful::ReleasePackage package = release_approved(order);
  ASSERT_EQ(package.accounts.size(), 1u);
  EXPECT_EQ(package.accounts[0].phone_number, "+302101234567");
  ASSERT_TRUE(package.accounts[0].ip_addresses);
  EXPECT_TRUE(package.accounts[0].ip_addresses->empty());
  EXPECT_FALSE(store().recent_ips(suspect_).value().empty());  // still stored, not released
}

TEST_F(LawfulServiceTest, SightingsAreCutToThePeriodAndTheWindowAsOfTheAnswer) {
  // An address in use from April into June: only its part inside both the order's period
  // (to 06-01) and the window before the answer (05-26 on) is released.
  EXPECT_TRUE(store().record_ip(suspect_, "198.51.100.77", ms(1'775'001'600)));  // 2026-04-01
  EXPECT_TRUE(store().record_ip(suspect_, "198.51.100.77", ms(june_1_noon)));
  fixture_.clock().set(
      std::chrono::system_clock::from_time_t(lawful_support::june_first_s + 86400));
  const lawful::ReleasePackage package = release_approved(submitted(sample_order()));
  const auto& ips = package.accounts.at(0).ip_addresses.value();
  const auto straddling =
      std::find_if(ips.begin(), ips.end(), [](const auto& ip) { return ip.ip == "198.51.100.77"; });
  ASSERT_NE(straddling, ips.end());
  EXPECT_EQ(lawful::format_utc_time(straddling->first_seen), "2026-05-26T00:00:00Z");
  EXPECT_EQ(lawful::format_utc_time(straddling->last_seen), "2026-06-01T00:00:00Z");
}

TEST_F(LawfulServiceTest, ALaterReleaseOfTheSameAnswerReachesNoFurther) {
  OrderJson reaching_ahead = sample_order();
  reaching_ahead["time_range"]["to"] = "2026-06-20T00:00:00Z";
  const std::uint64_t order = submitted(reaching_ahead);
  const lawful::ReleasePackage first = release_approved(order);
  // A day later the account is seen again, inside the order's period: the answer was given
  // yesterday, so the new sighting is not part of it.
  fixture_.clock().advance(days(1));
  EXPECT_TRUE(
      store().record_ip(suspect_, "203.0.113.99", ms(lawful_support::june_first_s + 86400)));
  const ReleaseOutcome again = service().release(store(), order).value();
  ASSERT_EQ(again.kind, ReleaseOutcome::Kind::released);
  const auto second = lawful::verify_release(again.package, service().log().policy()).value();
  EXPECT_EQ(second.accounts, first.accounts);
  // Once the order has expired, its answer is not released again.
  fixture_.clock().advance(days(40));
  EXPECT_EQ(service().release(store(), order).error().code, Errc::conflict);
}

TEST_F(LawfulServiceTest, TwoTargetsNamingOneAccountDiscloseItOnce) {
  ASSERT_TRUE(store().set_username(suspect_, "suspect.one"));
  OrderJson order = sample_order();
  order["targets"].push_back({{"username", "suspect.one"}});
  const lawful::ReleasePackage package = release_approved(submitted(order));
  ASSERT_EQ(package.accounts.size(), 2u);
  EXPECT_TRUE(package.accounts[0].found);
  EXPECT_FALSE(package.accounts[1].found);
  EXPECT_EQ(fixture_.entries().back().account_count, 1u);
}

TEST_F(LawfulServiceTest, AnAuthorityChangeIsSignedByItsOperatorAndLoggedForAll) {
  // The fixture's own setup: alice added the Athens court, entry 0.
  const std::vector<lawful::LogEntry> entries = fixture_.entries();
  ASSERT_FALSE(entries.empty());
  const lawful::LogEntry& change = entries[0];
  EXPECT_EQ(change.kind, EntryKind::authority);
  EXPECT_EQ(change.authority, "Athens Court of First Instance");
  EXPECT_EQ(change.jurisdiction, "GR");
  EXPECT_EQ(change.signatures.at(0).name, "alice");
  const auto stored = store().lawful_authorities().value().at(0);
  EXPECT_EQ(change.order_hash,
            lawful::trust_digest({stored.anchors, stored.intermediates, stored.crls}));
  // A change signed over other material is refused, and changes nothing.
  lawful::Authority swapped{
      "Athens Court of First Instance", "GR", {{fixture_.court().root_pem()}, {}, {}}};
  const auto signature = lawful::sign_authority_change(
      fixture_.person(1).key, swapped.name, swapped.jurisdiction,
      lawful::trust_digest({{fixture_.court().root_pem()}, {}, {"other"}}));
  EXPECT_EQ(
      service().put_authority(store(), swapped, fixture_.person(1).config, signature).error().code,
      Errc::auth_failed);
  EXPECT_EQ(store().lawful_authorities().value().at(0), stored);
  EXPECT_EQ(fixture_.entries().size(), entries.size());
}

TEST_F(LawfulServiceTest, NothingIsReleasedBeforeTheWitnessesCosignTheAnswer) {
  const std::uint64_t order = submitted(sample_order());
  ASSERT_TRUE(fixture_.approve(order, 0).value().accepted);
  ASSERT_TRUE(fixture_.approve(order, 2).value().accepted);
  const ReleaseOutcome first = service().release(store(), order).value();
  EXPECT_EQ(first.kind, ReleaseOutcome::Kind::awaiting_witnesses);
  EXPECT_TRUE(first.package.empty());
  EXPECT_EQ(fixture_.entries().back().kind, EntryKind::answered);
  // Asking again logs nothing new and still releases nothing.
  const ReleaseOutcome again = service().release(store(), order).value();
  EXPECT_EQ(again.kind, ReleaseOutcome::Kind::awaiting_witnesses);
  EXPECT_EQ(again.log_index, first.log_index);
  EXPECT_EQ(fixture_.entries().size(), first.log_index + 1);
}

TEST_F(LawfulServiceTest, OneApprovalOnlyIsRefusedAndLoggedAndTheOrderStaysPending) {
  const std::uint64_t order = submitted(sample_order());
  ASSERT_TRUE(fixture_.approve(order, 0).value().accepted);
  const ReleaseOutcome refused = service().release(store(), order).value();
  EXPECT_EQ(refused.kind, ReleaseOutcome::Kind::refused);
  EXPECT_EQ(refused.refused, "too_few_approvals");
  EXPECT_NE(refused.detail.find("needs 2"), std::string::npos);
  const lawful::LogEntry logged = fixture_.entries().at(refused.log_index);
  EXPECT_EQ(logged.kind, EntryKind::attempt_refused);
  EXPECT_EQ(logged.reason, static_cast<std::uint8_t>(lawful::AttemptRefusal::too_few_approvals));
  EXPECT_EQ(store().lawful_order(order).value()->state, store::LawfulOrderState::pending);
  EXPECT_TRUE(store().lawful_order_disclosures(order).value().empty());
}

TEST_F(LawfulServiceTest, TheSameApproverTwiceIsRefusedAndLoggedAndCountsOnce) {
  const std::uint64_t order = submitted(sample_order());
  ASSERT_TRUE(fixture_.approve(order, 0).value().accepted);
  const LawfulOutcome twice = fixture_.approve(order, 0).value();
  EXPECT_FALSE(twice.accepted);
  EXPECT_EQ(twice.reason, "repeated_approver");
  EXPECT_EQ(fixture_.entries().at(twice.log_index).kind, EntryKind::attempt_refused);
  EXPECT_EQ(service().release(store(), order).value().refused, "too_few_approvals");
}

TEST_F(LawfulServiceTest, AnApprovalNotSignedByTheOperatorIsAnErrorAndNotLogged) {
  const std::uint64_t order = submitted(sample_order());
  const std::size_t before = fixture_.entries().size();
  const Bytes forged(64, std::byte{1});
  auto approved = service().approve(store(), order, fixture_.person(0).config, forged);
  ASSERT_FALSE(approved);
  EXPECT_EQ(approved.error().code, Errc::auth_failed);
  EXPECT_EQ(fixture_.entries().size(), before);
}

TEST_F(LawfulServiceTest, AnyApproversRefusalEndsTheOrderWithItsReasonOnTheLog) {
  const std::uint64_t order = submitted(sample_order());
  ASSERT_TRUE(fixture_.approve(order, 0).value().accepted);
  const auto stored = store().lawful_order(order).value();
  lawful::OrderHash hash{};
  std::copy(stored->order_hash.begin(), stored->order_hash.end(), hash.begin());
  const std::string reason = "No suspect is named; the order is a fishing expedition.";
  const auto signature = lawful::sign_refusal(fixture_.person(1).key, hash, reason).value();
  const LawfulOutcome refused =
      service().refuse(store(), order, fixture_.person(1).config, reason, signature).value();
  EXPECT_TRUE(refused.accepted);
  const lawful::LogEntry logged = fixture_.entries().at(refused.log_index);
  EXPECT_EQ(logged.kind, EntryKind::refused);
  EXPECT_EQ(logged.reason, static_cast<std::uint8_t>(lawful::RefusalReason::refused_by_operator));
  EXPECT_EQ(logged.operator_note, reason);
  EXPECT_EQ(logged.signatures.at(0).name, "bob");
  EXPECT_EQ(service().release(store(), order).error().code, Errc::conflict);
  EXPECT_EQ(fixture_.approve(order, 2).error().code, Errc::conflict);
}

TEST_F(LawfulServiceTest, AContentRequestGetsTheSignedNotHeldAnswer) {
  OrderJson order = sample_order();
  order["order_id"] = "2026-GR-0043";
  order["categories"] =
      OrderJson::array({"message_content", "contacts", "groups", "channels_subscribed"});
  const std::uint64_t id = submitted(order);
  // Releasing nothing needs no approval, but is still logged and witnessed first.
  const lawful::ReleasePackage package = release_witnessed(id);
  EXPECT_TRUE(package.released_categories.empty());
  EXPECT_EQ(package.not_held, (std::vector<std::string>{"message_content", "contacts", "groups",
                                                        "channels_subscribed"}));
  ASSERT_EQ(package.accounts.size(), 1u);
  EXPECT_FALSE(package.accounts[0].found);
  EXPECT_FALSE(package.accounts[0].phone_number);
  const lawful::LogEntry answer = fixture_.entries().back();
  EXPECT_EQ(answer.kind, EntryKind::answered);
  EXPECT_EQ(answer.not_held.size(), 4u);
  EXPECT_TRUE(answer.accounts.empty());
}

TEST_F(LawfulServiceTest, AMixedOrderReleasesThePhoneNumberAndAnswersTheRestNotHeld) {
  OrderJson order = sample_order();
  order["categories"] = OrderJson::array({"phone_number", "message_content"});
  const lawful::ReleasePackage package = release_approved(submitted(order));
  EXPECT_EQ(package.released_categories, std::vector<std::string>{"phone_number"});
  EXPECT_EQ(package.not_held, std::vector<std::string>{"message_content"});
  EXPECT_EQ(package.accounts.at(0).phone_number, "+302101234567");
  EXPECT_FALSE(package.accounts.at(0).ip_addresses);
}

TEST_F(LawfulServiceTest, TheOwnerIsToldAfterTheGagEndsAndNotBefore) {
  const std::uint64_t order = submitted(sample_order());  // gag until 2026-09-01
  release_approved(order);
  EXPECT_TRUE(service().notices(store(), suspect_).value().empty());
  fixture_.clock().set(
      std::chrono::system_clock::from_time_t(1'788'220'800 - 1));  // 08-31 23:59:59
  EXPECT_TRUE(service().notices(store(), suspect_).value().empty());
  fixture_.clock().advance(std::chrono::seconds(1));
  const std::vector<LawfulNotice> notices = service().notices(store(), suspect_).value();
  ASSERT_EQ(notices.size(), 1u);
  const LawfulNotice& notice = notices[0];
  EXPECT_EQ(notice.order_id, "2026-GR-0042");
  EXPECT_EQ(notice.authority, "Athens Court of First Instance");
  EXPECT_EQ(notice.categories, (std::vector<std::string>{"phone_number", "ip_addresses"}));
  // What the owner's client checks: its own number opens a commitment of the logged answer,
  // proven in a witnessed checkpoint.
  const lawful::LogEntry answer = lawful::decode_log_entry(notice.entry).value();
  EXPECT_NE(std::find(answer.accounts.begin(), answer.accounts.end(),
                      lawful::account_commitment(notice.salt, "+302101234567")),
            answer.accounts.end());
  ASSERT_TRUE(notice.proof);
  const auto checkpoint =
      kt::verify_checkpoint(service().log().policy(), notice.proof->checkpoint).value();
  EXPECT_TRUE(kt::verify_inclusion(notice.log_index, checkpoint.checkpoint.size,
                                   kt::leaf_hash(notice.entry), notice.proof->inclusion_proof,
                                   checkpoint.checkpoint.root));
  // Someone never named is told nothing.
  EXPECT_TRUE(service().notices(store(), fixture_.account_of(2)).value().empty());
}

TEST_F(LawfulServiceTest, TheLogAuditsEndToEndAndAnAlteredEntryStopsTheServer) {
  release_approved(submitted(sample_order()));
  std::vector<Bytes> raw;
  const std::vector<store::LawfulLogEntry> stored_entries = store().lawful_log(0, 100).value();
  for (const store::LawfulLogEntry& stored : stored_entries) raw.push_back(stored.entry);
  const std::string checkpoint = service().log().newest_checkpoint(store()).value().value();
  auto audited =
      lawful::audit_disclosure_log(service().log().policy(), checkpoint, raw, std::nullopt);
  ASSERT_TRUE(audited) << audited.error().describe();
  EXPECT_EQ(audited->entries.size(), 5u);
  EXPECT_EQ(service().log().check_stored(store()).value(), 5u);
  // An altered entry: the audit fails, and so does the server's own check on start.
  raw[1] = raw[2];
  EXPECT_EQ(lawful::audit_disclosure_log(service().log().policy(), checkpoint, raw, std::nullopt)
                .error()
                .code,
            Errc::invalid_proof);
  // The same edit made in the database behind the server's back (the triggers dropped first).
  ASSERT_EQ(fixture_.edit_database("DROP TRIGGER lawful_log_no_update; UPDATE lawful_log SET "
                                   "entry = (SELECT entry FROM lawful_log WHERE idx = 2) WHERE "
                                   "idx = 1;"),
            SQLITE_OK);
  auto checked = service().log().check_stored(store());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, Errc::invalid_proof);
  EXPECT_NE(checked.error().context.find("entry 1 was altered"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::server
