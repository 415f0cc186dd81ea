// The release package (lawful/release.h): it exists only for a logged answer, and an altered
// one is caught.
#include "lawful/release.h"

#include <gtest/gtest.h>

#include "lawful/approval.h"
#include "lawful/support/test_log.h"

namespace bulwark::lawful {
namespace {

using testing::received_entry;
using testing::TestLog;

class ReleaseTest : public ::testing::Test {
 protected:
  ReleaseTest() {
    log_.append(received_entry());
    LogEntry answer = received_entry();
    answer.kind = EntryKind::answered;
    answer.not_held = {"message_content"};
    salt_ = Bytes(32, std::byte{5});
    answer.accounts = {account_commitment(salt_, "+302101234567")};
    const auto alice_key = *crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x41}));
    OperatorSignature alice{"alice", {}, sign_approval(alice_key, answer.order_hash)};
    const auto alice_public = alice_key.public_key();
    std::copy(alice_public.bytes().begin(), alice_public.bytes().end(), alice.key.begin());
    answer.signatures = {alice};
    index_ = log_.append(answer);
    log_.append(received_entry(9));

    package_.order_id = "2026-GR-0042";
    package_.order_hash = answer.order_hash;
    package_.authority = answer.authority;
    package_.jurisdiction = "GR";
    package_.released_at = *parse_utc_time("2026-06-02T00:00:00Z");
    package_.released_categories = answer.categories;
    package_.not_held = answer.not_held;
    ReleasedAccount found;
    found.target = {Target::Kind::phone_number, "+302101234567"};
    found.found = true;
    found.salt = salt_;
    found.commitment = answer.accounts[0];
    found.phone_number = "+302101234567";
    found.ip_addresses =
        std::vector<ReleasedIp>{{"203.0.113.7", *parse_utc_time("2026-05-20T10:00:00Z"),
                                 *parse_utc_time("2026-05-31T22:00:00Z")}};
    ReleasedAccount missing;
    missing.target = {Target::Kind::username, "nobody"};
    package_.accounts = {found, missing};
    package_.log = {index_, log_.entries()[index_], log_.checkpoint(),
                    log_.inclusion_proof(index_, log_.size())};
  }

  Result<std::string> encoded(const ReleasePackage& package) const {
    return encode_release(package, log_.policy(), log_.log_key());
  }

  TestLog log_;
  Bytes salt_;
  std::uint64_t index_ = 0;
  ReleasePackage package_;
};

TEST_F(ReleaseTest, ALoggedAnswerIsReleasedAndVerifies) {
  auto file = encoded(package_);
  ASSERT_TRUE(file) << file.error().describe();
  EXPECT_NE(file->find("\"phone_number\": \"+302101234567\""), std::string::npos);
  EXPECT_NE(file->find("203.0.113.7"), std::string::npos);
  EXPECT_NE(file->find(std::string(not_held_statement)), std::string::npos);
  auto verified = verify_release(*file, log_.policy());
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_EQ(*verified, package_);
}

TEST_F(ReleaseTest, NoEntryNoRelease) {
  // Another entry's proof, a proof against a tree without the entry, an entry that is not this
  // order's answer: nothing is signed.
  ReleasePackage wrong_index = package_;
  wrong_index.log.index = 0;
  EXPECT_EQ(encoded(wrong_index).error().code, Errc::invalid_proof);
  ReleasePackage before = package_;
  before.log.checkpoint = log_.checkpoint(index_);  // the tree before the answer
  before.log.inclusion_proof = {};
  EXPECT_EQ(encoded(before).error().code, Errc::invalid_proof);
  ReleasePackage received = package_;
  received.log = {0, log_.entries()[0], log_.checkpoint(), log_.inclusion_proof(0, log_.size())};
  EXPECT_EQ(encoded(received).error().code, Errc::invalid_proof);
  // A checkpoint the witness did not cosign does not meet the policy.
  ReleasePackage unwitnessed = package_;
  unwitnessed.log.checkpoint = log_.checkpoint(std::nullopt, /*cosigned=*/false);
  EXPECT_EQ(encoded(unwitnessed).error().code, Errc::auth_failed);
}

TEST_F(ReleaseTest, APackageMustMatchWhatTheLogCommitsTo) {
  ReleasePackage extra_category = package_;
  extra_category.released_categories = {"phone_number"};
  EXPECT_EQ(encoded(extra_category).error().code, Errc::invalid_proof);
  ReleasePackage other_number = package_;
  other_number.accounts[0].phone_number = "+302109999999";
  EXPECT_EQ(encoded(other_number).error().code, Errc::invalid_proof);
  ReleasePackage extra_account = package_;
  extra_account.accounts.push_back(package_.accounts[0]);
  EXPECT_EQ(encoded(extra_account).error().code, Errc::invalid_proof);
  ReleasePackage no_ips = package_;
  no_ips.accounts[0].ip_addresses.reset();
  EXPECT_EQ(encoded(no_ips).error().code, Errc::invalid_proof);
}

TEST_F(ReleaseTest, AnAlteredFileIsCaught) {
  const std::string file = *encoded(package_);
  std::string altered = file;
  altered.replace(altered.find("203.0.113.7"), 11, "198.51.100.1");
  EXPECT_EQ(verify_release(altered, log_.policy()).error().code, Errc::auth_failed);
  EXPECT_EQ(verify_release(file.substr(0, file.size() - 10), log_.policy()).error().code,
            Errc::invalid_encoding);
  EXPECT_FALSE(verify_release("", log_.policy()));
  // Signed by another key than the log's.
  auto other = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x33}));
  EXPECT_EQ(encode_release(package_, log_.policy(), *other).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::lawful
