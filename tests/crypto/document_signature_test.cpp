// Detached CMS signatures on documents (crypto/document_signature.h), against a test PKI made
// with OpenSSL at test time (tests/support/test_pki.h): a root, a signer certificate for
// document signing, CRLs. Each check that OpenSSL's defaults would skip has its own test.
#include "crypto/document_signature.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/test_pki.h"

namespace bulwark::crypto {
namespace {

using std::chrono::days;
using std::chrono::system_clock;
using testing::SignatureDigest;
using testing::SignerSpec;
using testing::TestAuthority;
using testing::TestSigner;

// "Now" for every verification: 2026-06-01.
const system_clock::time_point now = system_clock::from_time_t(1'780'272'000);

const std::string order = R"({"order_id":"2026-GR-0042","jurisdiction":"GR"})";

class DocumentSignatureTest : public ::testing::Test {
 protected:
  DocumentSignatureTest() : root_("Test Court Root", now), signer_(root_.issue()) {}

  DocumentTrust trust(const std::vector<long>& revoked = {}) const {
    return DocumentTrust{{root_.root_pem()}, {}, {root_.crl_pem(revoked)}};
  }
  std::string refusal(ByteView signature, const DocumentTrust& with) const {
    auto verified = verify_document_signature(as_bytes(order), signature, with, now);
    EXPECT_FALSE(verified);
    return verified ? std::string("verified") : verified.error().describe();
  }

  TestAuthority root_;
  TestSigner signer_;
};

TEST_F(DocumentSignatureTest, AGenuineSignatureVerifiesAndNamesItsSigner) {
  const Bytes signature = signer_.sign(order);
  auto verified = verify_document_signature(as_bytes(order), signature, trust(), now);
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_EQ(verified->subject, "CN=Judge Test");
  EXPECT_EQ(verified->issuer, "CN=Test Court Root");
  EXPECT_EQ(verified->serial, "07");
}

TEST_F(DocumentSignatureTest, AnAlteredDocumentIsRefused) {
  const Bytes signature = signer_.sign(order);
  std::string altered = order;
  altered[20] = 'X';
  auto verified = verify_document_signature(as_bytes(altered), signature, trust(), now);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, Errc::auth_failed);
  EXPECT_NE(verified.error().describe().find("does not match the document"), std::string::npos);
  // Line endings count: no CRLF rewriting makes another text verify.
  const std::string lf = "line one\nline two\n";
  const Bytes lf_signature = signer_.sign(lf);
  EXPECT_FALSE(verify_document_signature(as_bytes(std::string("line one\r\nline two\r\n")),
                                         lf_signature, trust(), now));
}

TEST_F(DocumentSignatureTest, ASignerOutsideItsValidityIsRefusedWhateverTheDocumentClaims) {
  TestSigner expired = root_.issue(
      {.name = "Retired Judge", .serial = 8, .valid_from = -days(400), .valid_until = -days(1)});
  EXPECT_NE(refusal(expired.sign(order), trust()).find("expired"), std::string::npos);
  TestSigner future = root_.issue({.name = "Future Judge", .serial = 9, .valid_from = days(1)});
  EXPECT_NE(refusal(future.sign(order), trust()).find("not yet valid"), std::string::npos);
}

TEST_F(DocumentSignatureTest, ARevokedSignerIsRefusedAndEveryCertificateNeedsACurrentCrl) {
  const Bytes signature = signer_.sign(order);
  EXPECT_NE(refusal(signature, trust({7})).find("revoked"), std::string::npos);
  DocumentTrust without_crl = trust();
  without_crl.crls.clear();
  EXPECT_NE(refusal(signature, without_crl).find("CRL"), std::string::npos);
  DocumentTrust stale = trust();
  stale.crls = {root_.crl_pem({}, -std::chrono::seconds(1))};
  EXPECT_NE(refusal(signature, stale).find("CRL has expired"), std::string::npos);
  // A CRL without a next update would count as current forever: refused as configuration.
  DocumentTrust endless = trust();
  endless.crls = {root_.crl_pem({}, std::nullopt)};
  EXPECT_NE(refusal(signature, endless).find("no next update"), std::string::npos);
  EXPECT_EQ(check_document_trust(endless).error().code, Errc::invalid_argument);
}

TEST_F(DocumentSignatureTest, ASignatureUnderAnotherAuthorityIsRefused) {
  TestAuthority other_root("Other Root", now, 200);
  TestSigner stranger = other_root.issue({.name = "Judge Test", .serial = 7});
  EXPECT_NE(refusal(stranger.sign(order), trust()).find("chain"), std::string::npos);
}

TEST_F(DocumentSignatureTest, ACertificateNotForDocumentSigningIsRefused) {
  TestSigner tls =
      root_.issue({.name = "Web Server", .serial = 10, .extended_key_usage = "serverAuth"});
  EXPECT_NE(refusal(tls.sign(order), trust()).find("extended key usage"), std::string::npos);
  TestSigner no_eku = root_.issue({.name = "No EKU", .serial = 11, .extended_key_usage = nullptr});
  EXPECT_NE(refusal(no_eku.sign(order), trust()).find("extended key usage"), std::string::npos);
  TestSigner encipher =
      root_.issue({.name = "Encipher", .serial = 12, .key_usage = "critical,keyAgreement"});
  EXPECT_NE(refusal(encipher.sign(order), trust()).find("key usage"), std::string::npos);
}

TEST_F(DocumentSignatureTest, Sha1AndSmallRsaKeysAreRefused) {
  EXPECT_NE(refusal(signer_.sign(order, SignatureDigest::sha1), trust()).find("digest"),
            std::string::npos);
  TestSigner weak = root_.issue({.name = "Weak Judge", .serial = 13, .rsa_bits = 1024});
  EXPECT_NE(refusal(weak.sign(order), trust()).find("2048"), std::string::npos);
}

TEST_F(DocumentSignatureTest, OnlyOneStrictDerSignatureWithNothingAfterIt) {
  Bytes signature = signer_.sign(order);
  Bytes longer = signature;
  longer.push_back(std::byte{0});
  auto trailing = verify_document_signature(as_bytes(order), longer, trust(), now);
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().code, Errc::invalid_encoding);
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, signature.size() / 2, signature.size() - 1})
    EXPECT_EQ(
        verify_document_signature(as_bytes(order), ByteView(signature).first(size), trust(), now)
            .error()
            .code,
        Errc::invalid_encoding)
        << size;
}

}  // namespace
}  // namespace bulwark::crypto
