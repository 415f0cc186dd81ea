// An auditor's check of the moderation log's chain (moderation/log_audit.h): a genuine chain
// passes; a dropped, reordered, altered or forged entry, or one signed by a key the auditor
// does not trust, is caught at that entry.
#include "moderation/log_audit.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "support/seeded_rng.h"

namespace bulwark::moderation {
using bulwark::testing::SeededRng;
namespace {

struct Moderator {
  std::string name;
  std::shared_ptr<const crypto::Ed25519KeyPair> keys;
};

std::shared_ptr<const crypto::Ed25519KeyPair> new_keys(SeededRng& rng) {
  return std::make_shared<const crypto::Ed25519KeyPair>(crypto::ed25519_keypair(rng));
}

// A chain of `count` actions by the moderators in turn, as the server would log them.
std::vector<LogEntryToAudit> chain(const std::vector<Moderator>& moderators, std::size_t count) {
  std::vector<LogEntryToAudit> out;
  LogHash head{};
  for (std::size_t i = 0; i < count; ++i) {
    const Moderator& who = moderators[i % moderators.size()];
    ActionRecord record;
    record.case_id = i + 1;
    record.action = Action::remove_post;
    record.channel.fill(std::byte{0x11});
    record.seq = 2 + i;
    record.account.fill(std::byte{0x22});
    record.time_ms = 1'800'000'000'000 + static_cast<std::int64_t>(i);
    record.moderator = who.name;
    for (std::size_t k = 0; k < 32; ++k) record.moderator_key[k] = who.keys->public_key.bytes()[k];
    record.reason = "rule " + std::to_string(i);
    record.previous = head;
    LogEntryToAudit entry;
    entry.seq = i + 1;
    entry.record = encode_action(record).value();
    const auto signature = sign_action(who.keys->secret_key, entry.record);
    entry.signature = to_bytes(signature);
    entry.prev_hash = head;
    entry.hash = log_entry_hash(entry.record, entry.signature);
    head = entry.hash;
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::uint64_t> audit(const std::vector<LogEntryToAudit>& entries,
                            std::map<std::string, Bytes> trusted = {}) {
  LogAudit audit(std::move(trusted));
  for (const LogEntryToAudit& entry : entries) BULWARK_TRY(audit.next(entry));
  return audit.entries();
}

class LogAuditTest : public ::testing::Test {
 protected:
  SeededRng rng{5};
  std::vector<Moderator> moderators{{"alice", new_keys(rng)}, {"bob", new_keys(rng)}};
  std::map<std::string, Bytes> trusted() const {
    return {{"alice", to_bytes(moderators[0].keys->public_key.bytes())},
            {"bob", to_bytes(moderators[1].keys->public_key.bytes())}};
  }
};

TEST_F(LogAuditTest, AGenuineChainVerifiesUnderTheTrustedKeys) {
  const auto entries = chain(moderators, 5);
  auto audited = audit(entries, trusted());
  ASSERT_TRUE(audited) << audited.error().describe();
  EXPECT_EQ(*audited, 5u);
  LogAudit state(trusted());
  for (const auto& entry : entries) ASSERT_TRUE(state.next(entry));
  EXPECT_EQ(state.head(), entries.back().hash);
}

TEST_F(LogAuditTest, ADroppedOrReorderedEntryIsCaught) {
  auto entries = chain(moderators, 4);
  auto dropped = entries;
  dropped.erase(dropped.begin() + 1);
  EXPECT_NE(audit(dropped).error().context.find("entry 3"), std::string::npos);
  // Renumbered to hide the gap, it still does not follow the entry before it.
  dropped[1].seq = 2;
  dropped[2].seq = 3;
  EXPECT_NE(audit(dropped).error().context.find("previous hash"), std::string::npos);
  auto swapped = entries;
  std::swap(swapped[1], swapped[2]);
  EXPECT_EQ(audit(swapped).error().code, Errc::invalid_proof);
}

TEST_F(LogAuditTest, AnAlteredRecordOrHashIsCaught) {
  auto entries = chain(moderators, 3);
  auto altered = entries;
  altered[1].record[20] ^= std::byte{1};  // the reason or target changed after signing
  EXPECT_NE(audit(altered).error().context.find("entry 2"), std::string::npos);
  // Re-hashed to match, the signature no longer verifies.
  altered[1].hash = log_entry_hash(altered[1].record, altered[1].signature);
  auto error = audit(altered).error().context;
  EXPECT_TRUE(error.find("signature") != std::string::npos || error.find("decode") != std::string::npos)
      << error;
}

TEST_F(LogAuditTest, AnEntrySignedByAnUntrustedKeyIsCaught) {
  std::vector<Moderator> with_impostor = moderators;
  with_impostor[1].keys = new_keys(rng);  // "bob", but not bob's key
  const auto entries = chain(with_impostor, 2);
  EXPECT_TRUE(audit(entries)) << "self-consistent without a trust list";
  auto refused = audit(entries, trusted());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().context.find("not among the moderators you trust"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::moderation
