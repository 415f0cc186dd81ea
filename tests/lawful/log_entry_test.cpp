// Disclosure log entries (lawful/log_entry.h): one strict byte form per entry, and each kind
// carries exactly what it says.
#include "lawful/log_entry.h"

#include <gtest/gtest.h>

#include "lawful/support/test_log.h"

namespace bulwark::lawful {
namespace {

using testing::received_entry;

LogEntry answered_entry() {
  LogEntry entry = received_entry();
  entry.kind = EntryKind::answered;
  entry.not_held = {"message_content"};
  const Bytes salt(32, std::byte{9});
  entry.accounts = {account_commitment(salt, "+302101234567")};
  entry.account_count = 1;
  for (const char* name : {"alice", "bob"}) {
    OperatorSignature signature;
    signature.name = name;
    signature.key.fill(std::byte{static_cast<unsigned char>(name[0])});
    signature.signature.fill(std::byte{3});
    entry.signatures.push_back(signature);
  }
  return entry;
}

TEST(LogEntryTest, EveryKindRoundTrips) {
  LogEntry refused;
  refused.kind = EntryKind::refused;
  refused.time = *parse_utc_time("2026-06-01T00:00:00Z");
  refused.reason = static_cast<std::uint8_t>(RefusalReason::malformed);  // claims unknown
  LogEntry by_operator = received_entry();
  by_operator.kind = EntryKind::refused;
  by_operator.categories.clear();
  by_operator.account_count = 0;
  by_operator.non_disclosure_until = {};
  by_operator.reason = static_cast<std::uint8_t>(RefusalReason::refused_by_operator);
  by_operator.signatures = {answered_entry().signatures[0]};
  by_operator.operator_note = "Too broad: no suspect named.";
  LogEntry approval = by_operator;
  approval.kind = EntryKind::approval;
  approval.reason = 0;
  approval.operator_note.clear();
  LogEntry attempt = approval;
  attempt.kind = EntryKind::attempt_refused;
  attempt.signatures.clear();
  attempt.reason = static_cast<std::uint8_t>(AttemptRefusal::too_few_approvals);
  for (const LogEntry& entry :
       {received_entry(), refused, by_operator, approval, attempt, answered_entry()}) {
    auto encoded = encode_log_entry(entry);
    ASSERT_TRUE(encoded) << entry_kind_name(entry.kind) << ": " << encoded.error().describe();
    auto decoded = decode_log_entry(*encoded);
    ASSERT_TRUE(decoded) << decoded.error().describe();
    EXPECT_EQ(*decoded, entry);
  }
}

TEST(LogEntryTest, AnAnswerReleasesOnlyPhoneNumbersAndIpAddresses) {
  LogEntry content = answered_entry();
  content.categories.push_back("message_content");
  content.not_held.clear();
  EXPECT_EQ(encode_log_entry(content).error().code, Errc::invalid_argument);
  LogEntry phone_not_held = answered_entry();
  phone_not_held.not_held.push_back("phone_number");
  EXPECT_FALSE(encode_log_entry(phone_not_held));
  // A "not held" answer alone needs no approvals and commits to no account.
  LogEntry not_held_only = answered_entry();
  not_held_only.categories.clear();
  not_held_only.signatures.clear();
  not_held_only.accounts.clear();
  not_held_only.account_count = 0;
  EXPECT_TRUE(encode_log_entry(not_held_only));
  not_held_only.accounts = answered_entry().accounts;
  not_held_only.account_count = 1;
  EXPECT_FALSE(encode_log_entry(not_held_only));
  // Releasing data needs approvals, and the count is the commitments'.
  LogEntry unapproved = answered_entry();
  unapproved.signatures.clear();
  EXPECT_FALSE(encode_log_entry(unapproved));
  LogEntry miscounted = answered_entry();
  miscounted.account_count = 2;
  EXPECT_FALSE(encode_log_entry(miscounted));
  LogEntry twice = answered_entry();
  twice.signatures[1].name = "alice";
  EXPECT_FALSE(encode_log_entry(twice));
}

TEST(LogEntryTest, KindsCarryNothingElse) {
  LogEntry received = received_entry();
  received.accounts = answered_entry().accounts;
  EXPECT_FALSE(encode_log_entry(received));
  LogEntry approval = received_entry();
  approval.kind = EntryKind::approval;
  EXPECT_FALSE(encode_log_entry(approval));  // categories on an approval
  LogEntry refused = received_entry();
  refused.kind = EntryKind::refused;
  refused.categories.clear();
  refused.account_count = 0;
  refused.non_disclosure_until = {};
  refused.reason = 9;
  EXPECT_FALSE(encode_log_entry(refused));
  refused.reason = static_cast<std::uint8_t>(RefusalReason::expired);
  EXPECT_TRUE(encode_log_entry(refused));
  refused.operator_note = "why";
  EXPECT_FALSE(encode_log_entry(refused));
}

TEST(LogEntryTest, DecodingIsStrict) {
  const Bytes encoded = *encode_log_entry(answered_entry());
  for (std::size_t size = 0; size < encoded.size(); ++size)
    EXPECT_FALSE(decode_log_entry(ByteView(encoded).first(size))) << size;
  Bytes longer = encoded;
  longer.push_back(std::byte{0});
  EXPECT_FALSE(decode_log_entry(longer));
  Bytes version = encoded;
  version[0] = std::byte{2};
  EXPECT_EQ(decode_log_entry(version).error().code, Errc::invalid_encoding);
  Bytes kind = encoded;
  kind[1] = std::byte{1};  // an answer's fields under the received kind
  EXPECT_FALSE(decode_log_entry(kind));
}

TEST(LogEntryTest, AnAccountCommitmentDependsOnSaltAndNumber) {
  const Bytes salt(32, std::byte{1});
  const Bytes other_salt(32, std::byte{2});
  EXPECT_EQ(account_commitment(salt, "+302101234567"), account_commitment(salt, "+302101234567"));
  EXPECT_NE(account_commitment(salt, "+302101234567"), account_commitment(salt, "+302101234568"));
  EXPECT_NE(account_commitment(salt, "+302101234567"),
            account_commitment(other_salt, "+302101234567"));
}

}  // namespace
}  // namespace bulwark::lawful
