// Whether an order binds the operator (lawful/order_check.h), against a test PKI made with
// OpenSSL here: every refusal of issue 8's list that the document and its signature decide.
// (A replayed order id, and approvals, are the server's: tests/server/lawful_*.)
#include "lawful/order_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/lawful_order.h"
#include "support/test_pki.h"

namespace bulwark::lawful {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::system_clock;
using testing::sample_order;
using testing::SignatureDigest;
using testing::TestAuthority;
using testing::TestSigner;

// 2026-06-01, inside the sample order's validity.
const system_clock::time_point check_time = system_clock::from_time_t(1'780'272'000);

class OrderCheckTest : public ::testing::Test {
 protected:
  OrderCheckTest()
      : athens_("Athens Court Root", check_time),
        berlin_("Berlin Court Root", check_time, 300),
        judge_(athens_.issue()) {
    authorities_.push_back(configured("Athens Court of First Instance", "GR", athens_));
    authorities_.push_back(configured("Amtsgericht Berlin", "DE", berlin_));
  }

  static Authority configured(std::string name, std::string jurisdiction, const TestAuthority& root,
                              const std::vector<long>& revoked = {}) {
    return Authority{std::move(name), std::move(jurisdiction),
                     crypto::DocumentTrust{{root.root_pem()}, {}, {root.crl_pem(revoked)}}};
  }

  tl::expected<VerifiedOrder, OrderRefusal> check(const std::string& document,
                                                  const TestSigner& signer,
                                                  SignatureDigest digest = SignatureDigest::sha256,
                                                  system_clock::time_point at = check_time) const {
    return verify_order(as_bytes(document), signer.sign(document, digest), authorities_, at);
  }

  // The refusal's reason, after checking that its detail mentions `detail`.
  RefusalReason refusal(const tl::expected<VerifiedOrder, OrderRefusal>& checked,
                        std::string_view detail) const {
    EXPECT_FALSE(checked);
    if (checked) return RefusalReason{0};
    EXPECT_NE(checked.error().detail.find(detail), std::string::npos) << checked.error().detail;
    return checked.error().reason;
  }

  TestAuthority athens_;
  TestAuthority berlin_;
  TestSigner judge_;
  std::vector<Authority> authorities_;
};

TEST_F(OrderCheckTest, AValidOrderVerifiesAndIsHashedAsItsBytes) {
  const std::string document = sample_order().dump();
  auto verified = check(document, judge_);
  ASSERT_TRUE(verified) << verified.error().detail;
  EXPECT_EQ(verified->order.order_id, "2026-GR-0042");
  EXPECT_EQ(verified->signer.subject, "CN=Judge Test");
  EXPECT_EQ(verified->hash, order_hash(as_bytes(document)));
  EXPECT_NE(order_hash(as_bytes(document + " ")), verified->hash);
}

TEST_F(OrderCheckTest, AnUnknownAuthorityIsRefused) {
  const std::string document = sample_order("Court of Nowhere").dump();
  EXPECT_EQ(refusal(check(document, judge_), "Court of Nowhere"), RefusalReason::unknown_authority);
}

TEST_F(OrderCheckTest, AWrongJurisdictionIsRefusedHoweverItIsDressed) {
  // The Athens court naming a German jurisdiction.
  const std::string claims_germany = sample_order("Athens Court of First Instance", "DE").dump();
  EXPECT_EQ(refusal(check(claims_germany, judge_), "acts in GR"),
            RefusalReason::wrong_jurisdiction);
  // An Athens signature on an order that names the Berlin court.
  const std::string names_berlin = sample_order("Amtsgericht Berlin", "DE").dump();
  EXPECT_EQ(refusal(check(names_berlin, judge_), "anchors of \"Athens Court of First Instance\""),
            RefusalReason::wrong_jurisdiction);
}

TEST_F(OrderCheckTest, AnOrderOutsideItsOwnValidityIsRefused) {
  const std::string document = sample_order().dump();
  EXPECT_EQ(refusal(check(document, judge_, SignatureDigest::sha256,
                          system_clock::from_time_t(1'780'272'000 + 40 * 86400)),
                    "expired at 2026-06-30T00:00:00Z"),
            RefusalReason::expired);
  json future = sample_order();
  future["issued_at"] = "2026-06-02T00:00:00Z";
  EXPECT_EQ(refusal(check(future.dump(), judge_), "issued at 2026-06-02T00:00:00Z"),
            RefusalReason::not_yet_valid);
}

TEST_F(OrderCheckTest, AnExpiredOrRevokedSignerIsRefusedEvenWithABackdatedOrder) {
  // The judge's certificate expired on 2026-05-01; the order claims to be issued before that.
  TestSigner retired = athens_.issue(
      {.name = "Retired Judge", .serial = 8, .valid_from = -days(400), .valid_until = -days(31)});
  json backdated = sample_order();
  backdated["issued_at"] = "2026-04-15T00:00:00Z";
  EXPECT_EQ(refusal(check(backdated.dump(), retired), "expired"), RefusalReason::invalid_signature);
  // Revoked: the operator's CRL lists the judge's serial.
  authorities_[0] = configured("Athens Court of First Instance", "GR", athens_, {7});
  EXPECT_EQ(refusal(check(backdated.dump(), judge_), "revoked"), RefusalReason::invalid_signature);
  EXPECT_EQ(refusal(check(sample_order().dump(), judge_), "revoked"),
            RefusalReason::invalid_signature);
}

TEST_F(OrderCheckTest, ATamperedDocumentIsRefused) {
  const std::string document = sample_order().dump();
  const Bytes signature = judge_.sign(document);
  json widened = sample_order();
  widened["targets"].push_back({{"phone_number", "+302109999999"}});
  auto checked = verify_order(as_bytes(widened.dump()), signature, authorities_, check_time);
  EXPECT_EQ(refusal(checked, "does not match the document"), RefusalReason::invalid_signature);
}

TEST_F(OrderCheckTest, ASignedDocumentWithADuplicatedKeyIsRefused) {
  // Signed as it is: one reader could see the first order_id, another the second.
  std::string document = sample_order().dump();
  document.insert(1, R"("order_id":"2026-GR-9999",)");
  EXPECT_EQ(refusal(check(document, judge_), "appears twice"), RefusalReason::malformed);
}

TEST_F(OrderCheckTest, ASignerWithoutDocumentSigningUsageIsRefused) {
  TestSigner tls =
      athens_.issue({.name = "Web Server", .serial = 10, .extended_key_usage = "serverAuth"});
  EXPECT_EQ(refusal(check(sample_order().dump(), tls), "extended key usage"),
            RefusalReason::invalid_signature);
  TestSigner agreement =
      athens_.issue({.name = "Key Agreement", .serial = 11, .key_usage = "critical,keyAgreement"});
  EXPECT_EQ(refusal(check(sample_order().dump(), agreement), "key usage"),
            RefusalReason::invalid_signature);
}

TEST_F(OrderCheckTest, Sha1AndRsa1024SignaturesAreRefused) {
  EXPECT_EQ(refusal(check(sample_order().dump(), judge_, SignatureDigest::sha1), "SHA-256"),
            RefusalReason::invalid_signature);
  TestSigner weak = athens_.issue({.name = "Weak Judge", .serial = 12, .rsa_bits = 1024});
  EXPECT_EQ(refusal(check(sample_order().dump(), weak), "2048"), RefusalReason::invalid_signature);
}

TEST_F(OrderCheckTest, ReasonsHaveStableNames) {
  EXPECT_EQ(refusal_name(RefusalReason::malformed), "malformed");
  EXPECT_EQ(refusal_name(RefusalReason::wrong_jurisdiction), "wrong_jurisdiction");
  EXPECT_EQ(refusal_name(RefusalReason::refused_by_operator), "refused_by_operator");
  EXPECT_EQ(static_cast<int>(RefusalReason::replayed), 7);
}

TEST_F(OrderCheckTest, AnAuthorityIsCheckedWhenConfigured) {
  EXPECT_TRUE(check_authority(authorities_[0]));
  Authority bad = authorities_[0];
  bad.jurisdiction = "Greece";
  EXPECT_EQ(check_authority(bad).error().code, Errc::invalid_argument);
  bad = authorities_[0];
  bad.trust.anchors = {"not a certificate"};
  EXPECT_NE(check_authority(bad).error().context.find("not a PEM certificate"), std::string::npos);
  bad = authorities_[0];
  bad.trust.anchors.clear();
  EXPECT_NE(check_authority(bad).error().context.find("at least one anchor"), std::string::npos);
  bad = authorities_[0];
  bad.trust.crls = {athens_.root_pem()};
  EXPECT_NE(check_authority(bad).error().context.find("CRL"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::lawful
