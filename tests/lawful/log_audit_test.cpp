// Auditing the disclosure log from outside (lawful/log_audit.h): removing or altering an entry
// is caught, even when the operator re-signs the checkpoint with its own key.
#include "lawful/log_audit.h"

#include <gtest/gtest.h>

#include "lawful/approval.h"
#include "lawful/authority.h"
#include "lawful/support/test_log.h"

namespace bulwark::lawful {
namespace {

using testing::received_entry;
using testing::TestLog;

TestLog three_entries() {
  TestLog log;
  for (std::uint8_t i = 1; i <= 3; ++i) log.append(received_entry(i));
  return log;
}

TEST(LogAuditTest, AnHonestLogVerifiesAndExtendsWhatWasSeen) {
  TestLog log = three_entries();
  auto first = audit_disclosure_log(log.policy(), log.checkpoint(2),
                                    std::span(log.entries()).first(2), std::nullopt);
  ASSERT_TRUE(first) << first.error().describe();
  const SeenTree earlier{2, first->checkpoint.checkpoint.root};
  auto audited = audit_disclosure_log(log.policy(), log.checkpoint(), log.entries(), earlier);
  ASSERT_TRUE(audited) << audited.error().describe();
  EXPECT_EQ(audited->entries.size(), 3u);
  EXPECT_EQ(audited->entries[2], received_entry(3));
  EXPECT_EQ(audited->checkpoint.cosigned_by, std::vector<std::string>{"witness.example/w1"});
}

TEST(LogAuditTest, AnAlteredEntryIsCaught) {
  TestLog log = three_entries();
  std::vector<Bytes> served = log.entries();
  served[1] = *encode_log_entry(received_entry(7));
  auto audited = audit_disclosure_log(log.policy(), log.checkpoint(), served, std::nullopt);
  ASSERT_FALSE(audited);
  EXPECT_EQ(audited.error().code, Errc::invalid_proof);
}

TEST(LogAuditTest, ARewrittenLogResignedByTheOperatorIsCaughtByWhatWasSeenOrTheWitness) {
  TestLog honest = three_entries();
  const auto seen_audit =
      audit_disclosure_log(honest.policy(), honest.checkpoint(), honest.entries(), std::nullopt);
  ASSERT_TRUE(seen_audit);
  const SeenTree seen{3, seen_audit->checkpoint.checkpoint.root};
  // The operator removes entry 1 and re-signs with the log key (same keys: seeds are fixed).
  TestLog rewritten;
  rewritten.append(received_entry(1));
  rewritten.append(received_entry(3));
  rewritten.append(received_entry(4));
  auto audited = audit_disclosure_log(
      rewritten.policy(0), rewritten.checkpoint(std::nullopt, false), rewritten.entries(), seen);
  ASSERT_FALSE(audited);
  EXPECT_NE(audited.error().context.find("not the ones verified before"), std::string::npos);
  // Shorter than what was seen.
  auto shorter = audit_disclosure_log(rewritten.policy(0), rewritten.checkpoint(2, false),
                                      std::span(rewritten.entries()).first(2), seen);
  ASSERT_FALSE(shorter);
  EXPECT_NE(shorter.error().context.find("removed"), std::string::npos);
  // Without a witness cosignature, an auditor requiring one refuses it outright.
  EXPECT_EQ(audit_disclosure_log(rewritten.policy(1), rewritten.checkpoint(std::nullopt, false),
                                 rewritten.entries(), std::nullopt)
                .error()
                .code,
            Errc::auth_failed);
}

TEST(LogAuditTest, ACountMismatchOrAnUndecodableEntryIsCaught) {
  TestLog log = three_entries();
  EXPECT_EQ(audit_disclosure_log(log.policy(), log.checkpoint(), std::span(log.entries()).first(2),
                                 std::nullopt)
                .error()
                .code,
            Errc::invalid_proof);
  TestLog junk;
  junk.append_bytes(Bytes{std::byte{1}, std::byte{2}});
  EXPECT_EQ(audit_disclosure_log(junk.policy(), junk.checkpoint(), junk.entries(), std::nullopt)
                .error()
                .code,
            Errc::invalid_encoding);
}

}  // namespace
}  // namespace bulwark::lawful

namespace bulwark::lawful {
namespace {

crypto::Ed25519SecretKey roster_key(std::uint8_t fill) {
  return *crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{fill}));
}

OperatorSignature approval_by(const std::string& name, const crypto::Ed25519SecretKey& key,
                              const OrderHash& order) {
  OperatorSignature signed_by{name, {}, sign_approval(key, order)};
  const auto public_key = key.public_key();
  std::copy(public_key.bytes().begin(), public_key.bytes().end(), signed_by.key.begin());
  return signed_by;
}

class DecisionAuditTest : public ::testing::Test {
 protected:
  DecisionAuditTest() : alice_(roster_key(1)), bob_(roster_key(2)) {
    for (const auto& [name, key] : {std::pair{"alice", &alice_}, std::pair{"bob", &bob_}}) {
      const auto public_key = key->public_key();
      roster_.keys[name] = to_bytes(public_key.bytes());
    }
    roster_.approvals = 2;
    answer_ = testing::received_entry();
    answer_.kind = EntryKind::answered;
    answer_.signatures = {approval_by("alice", alice_, answer_.order_hash),
                          approval_by("bob", bob_, answer_.order_hash)};
  }
  crypto::Ed25519SecretKey alice_;
  crypto::Ed25519SecretKey bob_;
  OperatorRoster roster_;
  LogEntry answer_;
};

TEST_F(DecisionAuditTest, GenuineApprovalsByPublishedOperatorsPass) {
  EXPECT_TRUE(audit_decisions(std::vector<LogEntry>{testing::received_entry(), answer_}, roster_));
}

TEST_F(DecisionAuditTest, AnAuthorityChangeMustBeSignedOverItsTrustDigest) {
  const crypto::DocumentTrust trust{{"-----BEGIN CERTIFICATE-----\n"}, {}, {}};
  LogEntry change;
  change.kind = EntryKind::authority;
  change.time = *parse_utc_time("2026-06-01T00:00:00Z");
  change.authority = "Athens Court of First Instance";
  change.jurisdiction = "GR";
  change.order_hash = trust_digest(trust);
  OperatorSignature signed_by{
      "alice",
      {},
      sign_authority_change(alice_, change.authority, change.jurisdiction, change.order_hash)};
  const auto public_key = alice_.public_key();
  std::copy(public_key.bytes().begin(), public_key.bytes().end(), signed_by.key.begin());
  change.signatures = {signed_by};
  EXPECT_TRUE(encode_log_entry(change));
  EXPECT_TRUE(audit_decisions(std::vector<LogEntry>{change}, roster_));
  LogEntry other_material = change;
  other_material.order_hash = trust_digest({{"-----BEGIN CERTIFICATE-----\nX"}, {}, {}});
  EXPECT_EQ(audit_decisions(std::vector<LogEntry>{other_material}, roster_).error().code,
            Errc::invalid_proof);
  LogEntry other_court = change;
  other_court.authority = "Amtsgericht Berlin";
  EXPECT_FALSE(audit_decisions(std::vector<LogEntry>{other_court}, roster_));
}

TEST_F(DecisionAuditTest, TooFewForgedOrUnpublishedApprovalsAreCaught) {
  LogEntry one = answer_;
  one.signatures.pop_back();
  EXPECT_NE(audit_decisions(std::vector<LogEntry>{one}, roster_).error().context.find("fewer"),
            std::string::npos);
  LogEntry forged = answer_;
  forged.signatures[1].signature[0] ^= std::byte{1};
  EXPECT_EQ(audit_decisions(std::vector<LogEntry>{forged}, roster_).error().code,
            Errc::invalid_proof);
  LogEntry stranger = answer_;
  stranger.signatures[1] = approval_by("bob", roster_key(9), answer_.order_hash);
  EXPECT_NE(audit_decisions(std::vector<LogEntry>{stranger}, roster_)
                .error()
                .context.find("not a published operator's key"),
            std::string::npos);
}

}  // namespace
}  // namespace bulwark::lawful
