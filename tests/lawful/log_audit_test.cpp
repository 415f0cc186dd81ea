// Auditing the disclosure log from outside (lawful/log_audit.h): removing or altering an entry
// is caught, even when the operator re-signs the checkpoint with its own key.
#include "lawful/log_audit.h"

#include <gtest/gtest.h>

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
