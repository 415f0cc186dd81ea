// A user's notices of lawful disclosures (client/lawful_notices.h): shown as fact only when the
// logged answer commits to the account's own phone number and, with a proof, sits in a
// checkpoint of the pinned disclosure log that its witnesses cosigned; flagged otherwise. The
// log's key is pinned on first use and a later different key is refused.
#include "client/lawful_notices.h"

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "kt/checkpoint.h"
#include "kt/cosignature.h"
#include "kt/log_tree.h"
#include "kt/note.h"
#include "kt/note_ed25519.h"
#include "lawful/log_entry.h"

namespace bulwark::client {
namespace {

using lawful::EntryKind;
using lawful::LogEntry;

constexpr std::string_view notice_origin = "test.example/bulwark-disclosure";
constexpr std::string_view notice_witness = "witness.example/w1";
constexpr std::string_view own_phone = "+302101234567";
const Bytes notice_salt(32, std::byte{0x5a});

crypto::Ed25519SecretKey notice_key(std::uint8_t fill) {
  return *crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{fill}));
}

std::string as_text(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The answer of an order that named this account and someone else, released 2026-06-02.
LogEntry answer_naming(std::string_view phone) {
  LogEntry entry;
  entry.kind = EntryKind::answered;
  entry.time = *lawful::parse_utc_time("2026-06-02T10:00:00Z");
  entry.order_hash.fill(std::byte{0x42});
  entry.jurisdiction = "GR";
  entry.authority = "Athens Court of First Instance";
  entry.categories = {"phone_number", "ip_addresses"};
  entry.not_held = {"message_content"};
  entry.accounts = {lawful::account_commitment(Bytes(32, std::byte{1}), "+302107654321"),
                    lawful::account_commitment(notice_salt, phone)};
  entry.account_count = 2;
  entry.non_disclosure_until = *lawful::parse_utc_time("2026-09-01T00:00:00Z");
  lawful::OperatorSignature signature;
  signature.name = "alice";
  signature.key.fill(std::byte{0x41});
  signature.signature.fill(std::byte{3});
  entry.signatures = {signature};
  return entry;
}

// A disclosure log with its key and one witness; checkpoints at any size, signed by any key.
class NoticeLog {
 public:
  std::uint64_t append(const LogEntry& entry) {
    entries_.push_back(*lawful::encode_log_entry(entry));
    tree_.append(kt::leaf_hash(entries_.back()));
    return entries_.size() - 1;
  }
  [[nodiscard]] std::string checkpoint(const crypto::Ed25519SecretKey& log_key,
                                       bool cosigned = true) const {
    const std::string body = kt::checkpoint_body(
        kt::Checkpoint{std::string(notice_origin), tree_.size(), tree_.root(), {}});
    const kt::NoteSigner signer = *kt::NoteSigner::create(
        std::string(notice_origin), *crypto::Ed25519SecretKey::from_seed(log_key.seed().view()));
    kt::Note note{body, {signer.sign(body)}};
    if (cosigned)
      note.signatures.push_back(
          kt::cosign(witness_key_, std::string(notice_witness), body, 1'780'272'000));
    return kt::format_note(note);
  }
  // What the server publishes with the notices.
  [[nodiscard]] api::LawfulNoticesResult published() const {
    api::LawfulNoticesResult out;
    out.set_log_vkey(
        kt::NoteVerifier::create(std::string(notice_origin), log_key_.public_key())->vkey());
    out.add_witnesses(
        kt::CosignerKey::create(std::string(notice_witness), witness_key_.public_key())->vkey());
    out.set_quorum(1);
    return out;
  }
  // The server's notice of entry `index`, proved in the newest checkpoint.
  [[nodiscard]] api::LawfulNotice notice(std::uint64_t index) const {
    const LogEntry entry = *lawful::decode_log_entry(entries_[index]);
    api::LawfulNotice out;
    out.set_order_id("2026-GR-0042");
    out.set_authority(entry.authority);
    out.set_jurisdiction(entry.jurisdiction);
    out.set_legal_basis("Art. 254 Code of Criminal Procedure");
    for (const std::string& category : entry.categories) out.add_categories(category);
    out.set_disclosed_at_ms(static_cast<std::uint64_t>(entry.time.time_since_epoch().count()) *
                            1000);
    out.set_salt(as_text(notice_salt));
    out.set_log_index(index);
    out.set_entry(as_text(entries_[index]));
    out.set_checkpoint(checkpoint(log_key_));
    for (const kt::Hash& hash : tree_.inclusion_proof(index, tree_.size()))
      out.add_inclusion_proof(as_text(hash));
    return out;
  }
  [[nodiscard]] const crypto::Ed25519SecretKey& log_key() const { return log_key_; }

 private:
  crypto::Ed25519SecretKey log_key_ = notice_key(0x11);
  crypto::Ed25519SecretKey witness_key_ = notice_key(0x22);
  std::vector<Bytes> entries_;
  kt::LogTree tree_;
};

class LawfulNoticesTest : public ::testing::Test {
 protected:
  LawfulNoticesTest() {
    LogEntry earlier = answer_naming("+302100000000");
    earlier.time = *lawful::parse_utc_time("2026-06-01T00:00:00Z");
    log.append(earlier);
    index = log.append(answer_naming(own_phone));
    log.append(answer_naming("+302109999999"));
  }
  [[nodiscard]] kt::CheckpointPolicy policy() const {
    const PinnedDisclosureLog pinned = disclosure_log_to_trust({}, log.published(), 10).value();
    return disclosure_log_policy(pinned).value();
  }
  [[nodiscard]] LawfulNoticeView check(const api::LawfulNotice& notice) const {
    return verify_lawful_notice(policy(), own_phone, notice);
  }

  NoticeLog log;
  std::uint64_t index = 0;
};

TEST_F(LawfulNoticesTest, AGenuineNoticeVerifiesAndShowsTheLoggedAnswer) {
  const LawfulNoticeView view = check(log.notice(index));
  EXPECT_TRUE(view.verified) << view.problem;
  EXPECT_TRUE(view.problem.empty());
  EXPECT_TRUE(view.proved);
  EXPECT_EQ(view.cosigned_by, std::vector<std::string>{std::string(notice_witness)});
  EXPECT_EQ(view.order_id, "2026-GR-0042");
  EXPECT_EQ(view.authority, "Athens Court of First Instance");
  EXPECT_EQ(view.jurisdiction, "GR");
  EXPECT_EQ(view.categories, (std::vector<std::string>{"phone_number", "ip_addresses"}));
  EXPECT_EQ(view.disclosed_at_ms, 1'780'394'400'000);  // 2026-06-02T10:00:00Z
  EXPECT_EQ(view.log_index, 1u);
}

TEST_F(LawfulNoticesTest, ANoticeNotYetWitnessedVerifiesWithoutBeingProved) {
  api::LawfulNotice notice = log.notice(index);
  notice.clear_checkpoint();
  notice.clear_inclusion_proof();
  const LawfulNoticeView view = check(notice);
  EXPECT_TRUE(view.verified) << view.problem;
  EXPECT_FALSE(view.proved);
  EXPECT_TRUE(view.cosigned_by.empty());
  // A proof without the checkpoint it leads to proves nothing.
  notice.add_inclusion_proof(std::string(32, 'x'));
  EXPECT_FALSE(check(notice).verified);
}

TEST_F(LawfulNoticesTest, AnAnswerThatDoesNotNameThisAccountsNumberIsFlagged) {
  const api::LawfulNotice about_someone_else = log.notice(2);
  const LawfulNoticeView view = check(about_someone_else);
  EXPECT_FALSE(view.verified);
  EXPECT_NE(view.problem.find("does not name this account's phone number"), std::string::npos)
      << view.problem;
  // The same answer, checked by the account it does name, verifies.
  EXPECT_TRUE(verify_lawful_notice(policy(), "+302109999999", about_someone_else).verified);
  // A salt that is not this answer's opens nothing either.
  api::LawfulNotice wrong_salt = log.notice(index);
  wrong_salt.set_salt(std::string(32, '\x01'));
  EXPECT_FALSE(check(wrong_salt).verified);
  wrong_salt.set_salt(std::string(31, '\x5a'));
  EXPECT_FALSE(check(wrong_salt).verified);
}

TEST_F(LawfulNoticesTest, ATamperedEntryFailsItsInclusionProof) {
  // The server edits the logged answer (IP addresses only, say) and its notice to match: the
  // edited entry still names this account but is not the one the log holds at that index.
  LogEntry edited = answer_naming(own_phone);
  edited.categories = {"ip_addresses"};
  api::LawfulNotice notice = log.notice(index);
  notice.set_entry(as_text(*lawful::encode_log_entry(edited)));
  notice.clear_categories();
  notice.add_categories("ip_addresses");
  const LawfulNoticeView view = check(notice);
  EXPECT_FALSE(view.verified);
  EXPECT_FALSE(view.proved);
  EXPECT_NE(view.problem.find("inclusion proof does not verify"), std::string::npos)
      << view.problem;
  // The real entry at another index fails the same way.
  api::LawfulNotice moved = log.notice(index);
  moved.set_log_index(0);
  EXPECT_FALSE(check(moved).verified);
}

TEST_F(LawfulNoticesTest, AnEntryThatIsNotAnAnswerIsFlagged) {
  api::LawfulNotice notice = log.notice(index);
  notice.set_entry("not an entry");
  const LawfulNoticeView view = check(notice);
  EXPECT_FALSE(view.verified);
  EXPECT_NE(view.problem.find("does not carry an answer"), std::string::npos) << view.problem;
  EXPECT_EQ(view.authority, "Athens Court of First Instance") << "the claim, shown flagged";
}

TEST_F(LawfulNoticesTest, ACheckpointNotSignedByThePinnedKeyIsFlagged) {
  api::LawfulNotice notice = log.notice(index);
  notice.set_checkpoint(log.checkpoint(notice_key(0x66)));  // the same log, another key
  const LawfulNoticeView view = check(notice);
  EXPECT_FALSE(view.verified);
  EXPECT_NE(view.problem.find("does not verify under the keys this device pinned"),
            std::string::npos)
      << view.problem;
  // Signed by the log but not cosigned by the pinned witness: short of the quorum.
  notice.set_checkpoint(log.checkpoint(log.log_key(), false));
  EXPECT_FALSE(check(notice).verified);
}

TEST_F(LawfulNoticesTest, WhatIsShownIsTheLoggedAnswerNotTheServersText) {
  api::LawfulNotice notice = log.notice(index);
  notice.clear_categories();
  notice.add_categories("phone_number");  // the server plays down what was disclosed
  notice.set_authority("Someone Else");
  const LawfulNoticeView view = check(notice);
  EXPECT_FALSE(view.verified);
  EXPECT_NE(view.problem.find("differs from the logged answer"), std::string::npos) << view.problem;
  EXPECT_EQ(view.categories, (std::vector<std::string>{"phone_number", "ip_addresses"}));
  EXPECT_EQ(view.authority, "Athens Court of First Instance");
}

TEST_F(LawfulNoticesTest, TheLogKeyIsPinnedOnFirstUseAndAnotherKeyLaterIsRefused) {
  const PinnedDisclosureLog first = disclosure_log_to_trust({}, log.published(), 10).value();
  EXPECT_EQ(first.log_key, log.published().log_vkey());
  EXPECT_EQ(first.witnesses.size(), 1u);
  EXPECT_EQ(first.quorum, 1u);
  EXPECT_EQ(first.pinned_at_ms, 10);
  // Later: the same key is trusted as pinned, whatever witnesses the server names now.
  api::LawfulNoticesResult fewer_witnesses = log.published();
  fewer_witnesses.clear_witnesses();
  fewer_witnesses.set_quorum(0);
  const PinnedDisclosureLog again = disclosure_log_to_trust(first, fewer_witnesses, 20).value();
  EXPECT_EQ(again.witnesses, first.witnesses);
  EXPECT_EQ(again.quorum, 1u);
  // Another log key is refused loudly.
  api::LawfulNoticesResult other_key = log.published();
  other_key.set_log_vkey(
      kt::NoteVerifier::create(std::string(notice_origin), notice_key(0x66).public_key())->vkey());
  auto refused = disclosure_log_to_trust(first, other_key, 30);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::untrusted_identity);
  EXPECT_NE(refused.error().context.find("DISCLOSURE LOG KEY CHANGED"), std::string::npos);
  // And a notice proved under that other key fails against the pinned one.
  api::LawfulNotice notice = log.notice(index);
  notice.set_checkpoint(log.checkpoint(notice_key(0x66)));
  EXPECT_FALSE(
      verify_lawful_notice(disclosure_log_policy(first).value(), own_phone, notice).verified);
}

TEST_F(LawfulNoticesTest, PublishedKeysThatDoNotParseAreNotPinned) {
  api::LawfulNoticesResult bad = log.published();
  bad.set_log_vkey("not a vkey");
  EXPECT_EQ(disclosure_log_to_trust({}, bad, 1).error().code, Errc::invalid_message);
  bad = log.published();
  bad.set_quorum(2);  // above its one witness
  EXPECT_EQ(disclosure_log_to_trust({}, bad, 1).error().code, Errc::invalid_message);
  bad = log.published();
  bad.add_witnesses("witness.example/w2+garbage");
  EXPECT_EQ(disclosure_log_to_trust({}, bad, 1).error().code, Errc::invalid_message);
  bad.clear_log_vkey();
  EXPECT_EQ(disclosure_log_to_trust({}, bad, 1).error().code, Errc::invalid_message);
}

}  // namespace
}  // namespace bulwark::client
