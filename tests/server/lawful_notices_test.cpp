// The LawfulNotices request (server/handlers/lawful.cpp) over a DeviceSession, with the lawful
// workflow run on the same store (tests/server/support/lawful_support.h): the account an order
// named is told once the order's non-disclosure period has ended and not a second before, with
// the logged answer, the salt that opens it and its proof; anyone else is told nothing; the
// disclosure log's keys come with every answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "kt/checkpoint_policy.h"
#include "lawful/log_entry.h"
#include "server/support/harness.h"
#include "server/support/lawful_support.h"
#include "support/lawful_order.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;
using harness::TestDevice;

// 2026-09-01T00:00:00Z: the sample order's non-disclosure period ends.
constexpr std::time_t gag_ends_s = 1'788'220'800;

api::Request lawful_notices_request() {
  api::Request request;
  request.mutable_lawful_notices();
  return request;
}

ByteView bytes_of(const std::string& text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

class LawfulNoticesRequestTest : public ::testing::Test {
 protected:
  LawfulNoticesRequestTest() {
    suspect_ = harness_.add_account("+302101234567");
    bystander_ = harness_.add_account("+302107654321");
    harness_.with_store([this](store::Store& store) {
      lawful_ = std::make_unique<lawful_support::LawfulFixture>(store);
    });
    harness_.context_->lawful = &lawful_->service();
  }

  // The sample order, approved by two operators, witnessed and released.
  void release_sample_order() {
    harness_.with_store([this](store::Store& store) {
      const LawfulOutcome submitted = lawful_->submit(testing::sample_order()).value();
      ASSERT_TRUE(submitted.accepted) << submitted.detail;
      ASSERT_TRUE(lawful_->approve(submitted.order, 0).value().accepted);
      ASSERT_TRUE(lawful_->approve(submitted.order, 1).value().accepted);
      LawfulService& service = lawful_->service();
      ASSERT_EQ(service.release(store, submitted.order).value().kind,
                ReleaseOutcome::Kind::awaiting_witnesses);
      lawful_->witness_cosigns();
      ASSERT_EQ(service.release(store, submitted.order).value().kind,
                ReleaseOutcome::Kind::released);
    });
  }

  api::LawfulNoticesResult notices_of(const TestDevice& device) {
    auto connection = harness_.authenticated(device);
    const api::Response response = harness_.call(*connection, lawful_notices_request());
    EXPECT_EQ(response.status(), api::OK) << response.message();
    return response.lawful_notices();
  }

  ServerHarness harness_;
  TestDevice suspect_;
  TestDevice bystander_;
  std::unique_ptr<lawful_support::LawfulFixture> lawful_;
};

TEST_F(LawfulNoticesRequestTest, TheOwnerIsToldOnceTheGagEndsAndNotBefore) {
  release_sample_order();
  const api::LawfulNoticesResult during = notices_of(suspect_);
  EXPECT_EQ(during.notices_size(), 0);
  EXPECT_EQ(during.log_vkey(), lawful_->service().log().vkey());
  EXPECT_EQ(during.witnesses_size(), 1);
  EXPECT_EQ(during.quorum(), 1u);
  lawful_->clock().set(std::chrono::system_clock::from_time_t(gag_ends_s - 1));
  EXPECT_EQ(notices_of(suspect_).notices_size(), 0);
  lawful_->clock().set(std::chrono::system_clock::from_time_t(gag_ends_s));
  const api::LawfulNoticesResult after = notices_of(suspect_);
  ASSERT_EQ(after.notices_size(), 1);
  const api::LawfulNotice& notice = after.notices(0);
  EXPECT_EQ(notice.order_id(), "2026-GR-0042");
  EXPECT_EQ(notice.authority(), "Athens Court of First Instance");
  EXPECT_EQ(notice.jurisdiction(), "GR");
  EXPECT_EQ(notice.legal_basis(), "Art. 254 Code of Criminal Procedure");
  EXPECT_EQ(std::vector<std::string>(notice.categories().begin(), notice.categories().end()),
            (std::vector<std::string>{"phone_number", "ip_addresses"}));
  EXPECT_EQ(notice.disclosed_at_ms(),
            static_cast<std::uint64_t>(lawful_support::june_first_s) * 1000);
  // What the owner's client checks: its number opens one of the logged answer's commitments,
  // and the answer is in a checkpoint the witness cosigned.
  ASSERT_EQ(notice.salt().size(), lawful::account_salt_bytes);
  const lawful::LogEntry answer = lawful::decode_log_entry(bytes_of(notice.entry())).value();
  EXPECT_EQ(answer.kind, lawful::EntryKind::answered);
  EXPECT_NE(std::find(answer.accounts.begin(), answer.accounts.end(),
                      lawful::account_commitment(bytes_of(notice.salt()), "+302101234567")),
            answer.accounts.end());
  const auto checkpoint =
      kt::verify_checkpoint(lawful_->service().log().policy(), notice.checkpoint()).value();
  std::vector<kt::Hash> proof;
  for (const std::string& hash : notice.inclusion_proof())
    proof.push_back(kt::to_hash(bytes_of(hash)).value());
  EXPECT_TRUE(kt::verify_inclusion(notice.log_index(), checkpoint.checkpoint.size,
                                   kt::leaf_hash(bytes_of(notice.entry())), proof,
                                   checkpoint.checkpoint.root));
  // Someone the order never named is told nothing.
  EXPECT_EQ(notices_of(bystander_).notices_size(), 0);
}

TEST_F(LawfulNoticesRequestTest, AServerWithoutLawfulRequestsAnswersAnEmptyList) {
  harness_.context_->lawful = nullptr;
  const api::LawfulNoticesResult result = notices_of(suspect_);
  EXPECT_EQ(result.notices_size(), 0);
  EXPECT_TRUE(result.log_vkey().empty());
}

TEST_F(LawfulNoticesRequestTest, NoticesNeedAnAuthenticatedDevice) {
  auto connection = harness_.connect();
  const api::Response response = harness_.call(*connection, lawful_notices_request());
  EXPECT_EQ(response.status(), api::UNAUTHENTICATED);
}

}  // namespace
}  // namespace bulwark::server
