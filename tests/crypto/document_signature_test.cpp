// Detached CMS signatures on documents (crypto/document_signature.h), against a test PKI made
// here with OpenSSL: a root, a signer certificate for document signing, CRLs. Each check that
// OpenSSL's defaults would skip has its own test.
#include "crypto/document_signature.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace bulwark::crypto {
namespace {

using std::chrono::system_clock;

template <class T, auto Free>
struct Deleter {
  void operator()(T* object) const noexcept { Free(object); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;

constexpr std::time_t day = 24 * 3600;
// "Now" for every verification: 2026-06-01.
const system_clock::time_point now = system_clock::from_time_t(1'780'272'000);
const std::time_t now_t = system_clock::to_time_t(now);

Key rsa_key(unsigned bits) { return Key(EVP_RSA_gen(bits)); }
Key ec_key() { return Key(EVP_EC_gen("P-256")); }

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  ASSERT_NE(extension, nullptr) << value;
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

struct CertSpec {
  std::string name;
  long serial = 1;
  std::time_t not_before = now_t - 30 * day;
  std::time_t not_after = now_t + 365 * day;
  bool ca = false;
  const char* key_usage = "critical,digitalSignature,nonRepudiation";
  const char* extended_key_usage = "1.3.6.1.5.5.7.3.36";  // documentSigning
  const EVP_MD* md = EVP_sha256();
};

// A certificate for `key`, signed by `issuer_key` (self-signed without an issuer).
Cert certificate(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), spec.not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), spec.not_after);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    if (spec.key_usage != nullptr) add_extension(cert.get(), signer, NID_key_usage, spec.key_usage);
    if (spec.extended_key_usage != nullptr)
      add_extension(cert.get(), signer, NID_ext_key_usage, spec.extended_key_usage);
  }
  X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, spec.md);
  return cert;
}

CrlPtr crl(X509* issuer, EVP_PKEY* key, const std::vector<long>& revoked,
           std::time_t next_update = now_t + 7 * day) {
  CrlPtr list(X509_CRL_new());
  X509_CRL_set_version(list.get(), 1);
  X509_CRL_set_issuer_name(list.get(), X509_get_subject_name(issuer));
  ASN1_TIME* last = ASN1_TIME_set(nullptr, now_t - day);
  ASN1_TIME* next = ASN1_TIME_set(nullptr, next_update);
  X509_CRL_set1_lastUpdate(list.get(), last);
  X509_CRL_set1_nextUpdate(list.get(), next);
  for (long serial : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* number = ASN1_INTEGER_new();
    ASN1_INTEGER_set(number, serial);
    X509_REVOKED_set_serialNumber(entry, number);
    X509_REVOKED_set_revocationDate(entry, last);
    X509_CRL_add0_revoked(list.get(), entry);
    ASN1_INTEGER_free(number);
  }
  X509_CRL_sort(list.get());
  X509_CRL_sign(list.get(), key, EVP_sha256());
  ASN1_TIME_free(last);
  ASN1_TIME_free(next);
  return list;
}

std::string pem(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string pem(X509_CRL* list) {
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_CRL(out.get(), list);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// A detached DER CMS signature over `document`, as an authority's signing tool makes it.
Bytes sign(const std::string& document, X509* cert, EVP_PKEY* key,
           const EVP_MD* md = EVP_sha256()) {
  BioPtr content(BIO_new_mem_buf(document.data(), static_cast<int>(document.size())));
  CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL));
  EXPECT_NE(CMS_add1_signer(cms.get(), cert, key, md, CMS_BINARY), nullptr);
  EXPECT_EQ(CMS_final(cms.get(), content.get(), nullptr, CMS_DETACHED | CMS_BINARY), 1);
  unsigned char* der = nullptr;
  const int length = i2d_CMS_ContentInfo(cms.get(), &der);
  Bytes out(reinterpret_cast<std::byte*>(der), reinterpret_cast<std::byte*>(der) + length);
  OPENSSL_free(der);
  return out;
}

const std::string order = R"({"order_id":"2026-GR-0042","jurisdiction":"GR"})";

class DocumentSignatureTest : public ::testing::Test {
 protected:
  DocumentSignatureTest()
      : root_key_(ec_key()),
        root_(certificate({.name = "Test Court Root", .serial = 100, .ca = true}, root_key_.get(),
                          nullptr, nullptr)),
        signer_key_(ec_key()),
        signer_(certificate({.name = "Judge Test", .serial = 7}, signer_key_.get(), root_.get(),
                            root_key_.get())) {}

  DocumentTrust trust(const std::vector<long>& revoked = {}) const {
    return DocumentTrust{
        {pem(root_.get())}, {}, {pem(crl(root_.get(), root_key_.get(), revoked).get())}};
  }
  Cert signer_with(CertSpec spec, EVP_PKEY* key) const {
    return certificate(spec, key, root_.get(), root_key_.get());
  }
  std::string refusal(ByteView signature, const DocumentTrust& with) const {
    auto verified = verify_document_signature(as_bytes(order), signature, with, now);
    EXPECT_FALSE(verified);
    return verified ? std::string("verified") : verified.error().describe();
  }

  Key root_key_;
  Cert root_;
  Key signer_key_;
  Cert signer_;
};

TEST_F(DocumentSignatureTest, AGenuineSignatureVerifiesAndNamesItsSigner) {
  const Bytes signature = sign(order, signer_.get(), signer_key_.get());
  auto verified = verify_document_signature(as_bytes(order), signature, trust(), now);
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_EQ(verified->subject, "CN=Judge Test");
  EXPECT_EQ(verified->issuer, "CN=Test Court Root");
  EXPECT_EQ(verified->serial, "07");
}

TEST_F(DocumentSignatureTest, AnAlteredDocumentIsRefused) {
  const Bytes signature = sign(order, signer_.get(), signer_key_.get());
  std::string altered = order;
  altered[20] = 'X';
  auto verified = verify_document_signature(as_bytes(altered), signature, trust(), now);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, Errc::auth_failed);
  EXPECT_NE(verified.error().describe().find("does not match the document"), std::string::npos);
  // Line endings count: no CRLF rewriting makes another text verify.
  const std::string lf = "line one\nline two\n";
  const Bytes lf_signature = sign(lf, signer_.get(), signer_key_.get());
  EXPECT_FALSE(verify_document_signature(as_bytes(std::string("line one\r\nline two\r\n")),
                                         lf_signature, trust(), now));
}

TEST_F(DocumentSignatureTest, ASignerOutsideItsValidityIsRefusedWhateverTheDocumentClaims) {
  Key key = ec_key();
  Cert expired = signer_with({.name = "Retired Judge",
                              .serial = 8,
                              .not_before = now_t - 400 * day,
                              .not_after = now_t - day},
                             key.get());
  EXPECT_NE(refusal(sign(order, expired.get(), key.get()), trust()).find("expired"),
            std::string::npos);
  Cert future =
      signer_with({.name = "Future Judge", .serial = 9, .not_before = now_t + day}, key.get());
  EXPECT_NE(refusal(sign(order, future.get(), key.get()), trust()).find("not yet valid"),
            std::string::npos);
}

TEST_F(DocumentSignatureTest, ARevokedSignerIsRefusedAndEveryCertificateNeedsACurrentCrl) {
  const Bytes signature = sign(order, signer_.get(), signer_key_.get());
  EXPECT_NE(refusal(signature, trust({7})).find("revoked"), std::string::npos);
  DocumentTrust without_crl = trust();
  without_crl.crls.clear();
  EXPECT_NE(refusal(signature, without_crl).find("CRL"), std::string::npos);
  DocumentTrust stale = trust();
  stale.crls = {pem(crl(root_.get(), root_key_.get(), {}, now_t - 1).get())};
  EXPECT_NE(refusal(signature, stale).find("CRL has expired"), std::string::npos);
}

TEST_F(DocumentSignatureTest, ASignatureUnderAnotherAuthorityIsRefused) {
  Key other_root_key = ec_key();
  Cert other_root = certificate({.name = "Other Root", .serial = 200, .ca = true},
                                other_root_key.get(), nullptr, nullptr);
  Key key = ec_key();
  Cert stranger = certificate({.name = "Judge Test", .serial = 7}, key.get(), other_root.get(),
                              other_root_key.get());
  EXPECT_NE(refusal(sign(order, stranger.get(), key.get()), trust()).find("chain"),
            std::string::npos);
}

TEST_F(DocumentSignatureTest, ACertificateNotForDocumentSigningIsRefused) {
  Key key = ec_key();
  Cert tls = signer_with({.name = "Web Server", .serial = 10, .extended_key_usage = "serverAuth"},
                         key.get());
  EXPECT_NE(refusal(sign(order, tls.get(), key.get()), trust()).find("extended key usage"),
            std::string::npos);
  Cert no_eku =
      signer_with({.name = "No EKU", .serial = 11, .extended_key_usage = nullptr}, key.get());
  EXPECT_NE(refusal(sign(order, no_eku.get(), key.get()), trust()).find("extended key usage"),
            std::string::npos);
  Cert encipher = signer_with(
      {.name = "Encipher", .serial = 12, .key_usage = "critical,keyAgreement"}, key.get());
  EXPECT_NE(refusal(sign(order, encipher.get(), key.get()), trust()).find("key usage"),
            std::string::npos);
}

TEST_F(DocumentSignatureTest, Sha1AndSmallRsaKeysAreRefused) {
  EXPECT_NE(
      refusal(sign(order, signer_.get(), signer_key_.get(), EVP_sha1()), trust()).find("digest"),
      std::string::npos);
  Key small = rsa_key(1024);
  Cert weak = signer_with({.name = "Weak Judge", .serial = 13}, small.get());
  EXPECT_NE(refusal(sign(order, weak.get(), small.get()), trust()).find("2048"), std::string::npos);
}

TEST_F(DocumentSignatureTest, OnlyOneStrictDerSignatureWithNothingAfterIt) {
  Bytes signature = sign(order, signer_.get(), signer_key_.get());
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
