// Every refusal of issue 8's list, at the service level: each is answered with its reason,
// logged as refused on the disclosure log (under what the document claims), and stores no order.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "server/lawful_service.h"
#include "server/support/lawful_support.h"

namespace bulwark::server {
namespace {

using lawful::RefusalReason;
using lawful_support::LawfulFixture;
using OrderJson = nlohmann::json;
using std::chrono::days;
using testing::SignatureDigest;
using testing::TestSigner;

struct RefusalCase {
  const char* name;
  // Submits the case's document on the fixture.
  std::function<Result<LawfulOutcome>(LawfulFixture&)> submit;
  RefusalReason reason;
  const char* detail;  // a piece of the operator's explanation
  const char* claimed_jurisdiction;
};

Result<LawfulOutcome> signed_by(LawfulFixture& fixture, const OrderJson& order,
                                const TestSigner& signer,
                                SignatureDigest digest = SignatureDigest::sha256) {
  const std::string document = order.dump();
  return fixture.submit_signed(document, signer.sign(document, digest));
}

OrderJson with(OrderJson order, const char* field, const char* value) {
  order[field] = value;
  return order;
}

const std::vector<RefusalCase>& refusal_cases() {
  using testing::sample_order;
  static const std::vector<RefusalCase> cases{
      {"unknown authority",
       [](LawfulFixture& f) { return f.submit(sample_order("Court of Nowhere")); },
       RefusalReason::unknown_authority, "Court of Nowhere", "GR"},
      {"wrong jurisdiction",
       [](LawfulFixture& f) {
         return f.submit(sample_order("Athens Court of First Instance", "DE"));
       },
       RefusalReason::wrong_jurisdiction, "acts in GR", "DE"},
      {"expired order",
       [](LawfulFixture& f) {
         return f.submit(with(sample_order(), "expires_at", "2026-05-31T00:00:00Z"));
       },
       RefusalReason::expired, "expired at", "GR"},
      {"not-yet-valid order",
       [](LawfulFixture& f) {
         return f.submit(with(sample_order(), "issued_at", "2026-06-02T00:00:00Z"));
       },
       RefusalReason::not_yet_valid, "issued at", "GR"},
      {"expired signer, backdated order",
       [](LawfulFixture& f) {
         const TestSigner retired = f.court().issue({.name = "Retired Judge",
                                                     .serial = 30,
                                                     .valid_from = -days(400),
                                                     .valid_until = -days(31)});
         return signed_by(f, with(sample_order(), "issued_at", "2026-04-15T00:00:00Z"), retired);
       },
       RefusalReason::invalid_signature, "expired", "GR"},
      {"revoked signer",
       [](LawfulFixture& f) {
         const TestSigner revoked = f.court().issue({.name = "Revoked Judge", .serial = 31});
         const lawful::Authority athens{
             "Athens Court of First Instance", "GR",
             crypto::DocumentTrust{
                 {f.court().root_pem()}, {}, {f.court().crl_pem({31}, days(60))}}};
         if (!f.put_authority(athens)) std::abort();
         return signed_by(f, sample_order(), revoked);
       },
       RefusalReason::invalid_signature, "revoked", "GR"},
      {"tampered document",
       [](LawfulFixture& f) {
         const Bytes signature = f.judge().sign(sample_order().dump());
         OrderJson widened = sample_order();
         widened["targets"].push_back({{"phone_number", "+302109999999"}});
         return f.submit_signed(widened.dump(), signature);
       },
       RefusalReason::invalid_signature, "does not match the document", "GR"},
      {"duplicated JSON keys",
       [](LawfulFixture& f) {
         std::string document = sample_order().dump();
         document.insert(1, R"("order_id":"2026-GR-9999",)");
         return f.submit_signed(document, f.judge().sign(document));
       },
       RefusalReason::malformed, "appears twice", ""},
      {"signer without document-signing key usage",
       [](LawfulFixture& f) {
         const TestSigner tls = f.court().issue(
             {.name = "Web Server", .serial = 32, .extended_key_usage = "serverAuth"});
         return signed_by(f, sample_order(), tls);
       },
       RefusalReason::invalid_signature, "extended key usage", "GR"},
      {"SHA-1 signature",
       [](LawfulFixture& f) {
         return signed_by(f, sample_order(), f.judge(), SignatureDigest::sha1);
       },
       RefusalReason::invalid_signature, "SHA-256", "GR"},
      {"RSA-1024 signer",
       [](LawfulFixture& f) {
         const TestSigner weak =
             f.court().issue({.name = "Weak Judge", .serial = 33, .rsa_bits = 1024});
         return signed_by(f, sample_order(), weak);
       },
       RefusalReason::invalid_signature, "2048", "GR"},
  };
  return cases;
}

TEST(LawfulRefusalsTest, EachBadOrderIsRefusedWithItsReasonAndLoggedAsRefused) {
  for (const RefusalCase& refusal : refusal_cases()) {
    SCOPED_TRACE(refusal.name);
    LawfulFixture fixture;
    const LawfulOutcome outcome = refusal.submit(fixture).value();
    EXPECT_FALSE(outcome.accepted);
    EXPECT_EQ(outcome.reason, lawful::refusal_name(refusal.reason));
    EXPECT_NE(outcome.detail.find(refusal.detail), std::string::npos) << outcome.detail;
    const std::vector<lawful::LogEntry> entries = fixture.entries();
    ASSERT_EQ(outcome.log_index + 1, entries.size());  // the last entry
    const lawful::LogEntry& logged = entries.back();
    EXPECT_EQ(logged.kind, lawful::EntryKind::refused);
    EXPECT_EQ(logged.reason, static_cast<std::uint8_t>(refusal.reason));
    EXPECT_EQ(logged.jurisdiction, refusal.claimed_jurisdiction);
    EXPECT_TRUE(fixture.store().lawful_orders(0, 10).value().empty());
  }
}

TEST(LawfulRefusalsTest, AReplayedOrderIdIsRefusedAndLogged) {
  LawfulFixture fixture;
  ASSERT_TRUE(fixture.submit(testing::sample_order()).value().accepted);
  // The same order again, even re-signed (a new signature, the same authority and id).
  const LawfulOutcome again = fixture.submit(testing::sample_order()).value();
  EXPECT_FALSE(again.accepted);
  EXPECT_EQ(again.reason, "replayed");
  EXPECT_NE(again.detail.find("submitted before"), std::string::npos);
  const std::vector<lawful::LogEntry> entries = fixture.entries();
  ASSERT_EQ(entries.size(), 3u);  // the authority, received, refused
  EXPECT_EQ(entries[2].kind, lawful::EntryKind::refused);
  EXPECT_EQ(entries[2].reason, static_cast<std::uint8_t>(RefusalReason::replayed));
  EXPECT_EQ(fixture.store().lawful_orders(0, 10).value().size(), 1u);
}

TEST(LawfulRefusalsTest, AnOrderThatNoLongerVerifiesAtReleaseReleasesNothingAndStaysPending) {
  LawfulFixture fixture;
  const std::uint64_t order = fixture.submit(testing::sample_order()).value().order;
  ASSERT_TRUE(fixture.approve(order, 0).value().accepted);
  ASSERT_TRUE(fixture.approve(order, 1).value().accepted);
  // The court revokes the judge's certificate (serial 7) after the order was received.
  const lawful::Authority athens{
      "Athens Court of First Instance", "GR",
      crypto::DocumentTrust{
          {fixture.court().root_pem()}, {}, {fixture.court().crl_pem({7}, days(60))}}};
  ASSERT_TRUE(fixture.put_authority(athens));
  const ReleaseOutcome release = fixture.service().release(fixture.store(), order).value();
  EXPECT_EQ(release.kind, ReleaseOutcome::Kind::refused);
  EXPECT_EQ(release.refused, "order_does_not_verify");
  EXPECT_NE(release.detail.find("revoked"), std::string::npos);
  EXPECT_TRUE(release.package.empty());
  EXPECT_EQ(fixture.entries().back().kind, lawful::EntryKind::attempt_refused);
  // Pending: the operators refuse it, or mend a configuration mistake (a stale CRL) and retry.
  EXPECT_EQ(fixture.store().lawful_order(order).value()->state, store::LawfulOrderState::pending);
  EXPECT_TRUE(fixture.store().lawful_order_disclosures(order).value().empty());
}

TEST(LawfulRefusalsTest, AnOrderThatExpiredBeforeReleaseIsRefusedForGood) {
  LawfulFixture fixture;
  const std::uint64_t order = fixture.submit(testing::sample_order()).value().order;
  ASSERT_TRUE(fixture.approve(order, 0).value().accepted);
  ASSERT_TRUE(fixture.approve(order, 1).value().accepted);
  fixture.clock().advance(days(30));  // past 2026-06-30
  const ReleaseOutcome release = fixture.service().release(fixture.store(), order).value();
  EXPECT_EQ(release.kind, ReleaseOutcome::Kind::refused);
  EXPECT_EQ(release.refused, "expired");
  EXPECT_EQ(fixture.entries().back().kind, lawful::EntryKind::refused);
  EXPECT_EQ(fixture.store().lawful_order(order).value()->state, store::LawfulOrderState::refused);
}

}  // namespace
}  // namespace bulwark::server
