#include "crypto/tls_certificate.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <array>
#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace bulwark::crypto {
namespace {

template <class T, auto Free>
struct Deleter {
  void operator()(T* object) const noexcept { Free(object); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

X509Ptr parse_certificate(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

KeyPtr parse_key(const SecretBytes& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.view().data(), static_cast<int>(pem.size())));
  return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string key_text(const SecretBytes& pem) {
  return {reinterpret_cast<const char*>(pem.view().data()), pem.size()};
}

struct SubjectAltNames {
  std::vector<std::string> dns;
  std::vector<std::string> ip;  // raw address bytes
};

SubjectAltNames subject_alt_names(X509* certificate) {
  SubjectAltNames out;
  NamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      out.dns.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                           static_cast<std::size_t>(ASN1_STRING_length(dns)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      out.ip.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ip)),
                          static_cast<std::size_t>(ASN1_STRING_length(ip)));
    }
  }
  return out;
}

// Chain verification with the certificate as its own trust anchor, for `host`.
int verify_for_host(X509* certificate, const std::string& host) {
  StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), certificate);
  StoreCtxPtr context(X509_STORE_CTX_new());
  X509_STORE_CTX_init(context.get(), store.get(), certificate, nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  }
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (X509_verify_cert(context.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(context.get());
}

TlsCertificate make(const std::vector<std::string>& names, int days = 30) {
  auto certificate = make_self_signed_certificate(names, days);
  if (!certificate) ADD_FAILURE() << certificate.error().describe();
  return std::move(certificate).value();
}

TEST(TlsCertificateTest, PemsParseBackAndTheKeyMatchesTheCertificate) {
  const auto made = make({"localhost", "127.0.0.1"});
  EXPECT_TRUE(made.certificate_pem.starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_TRUE(key_text(made.private_key_pem).starts_with("-----BEGIN PRIVATE KEY-----"));  // PKCS#8
  const X509Ptr certificate = parse_certificate(made.certificate_pem);
  const KeyPtr key = parse_key(made.private_key_pem);
  ASSERT_TRUE(certificate);
  ASSERT_TRUE(key);
  EXPECT_EQ(X509_check_private_key(certificate.get(), key.get()), 1);
  EXPECT_TRUE(EVP_PKEY_is_a(key.get(), "EC"));
  std::array<char, 64> group{};
  std::size_t group_length = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(key.get(), group.data(), group.size(), &group_length), 1);
  EXPECT_EQ(std::string(group.data(), group_length), "prime256v1");
}

TEST(TlsCertificateTest, SubjectAltNamesHoldDnsAndIpEntries) {
  const auto made = make({"localhost", "127.0.0.1", "::1", "chat.example.org"});
  const X509Ptr certificate = parse_certificate(made.certificate_pem);
  ASSERT_TRUE(certificate);
  const SubjectAltNames names = subject_alt_names(certificate.get());
  EXPECT_EQ(names.dns, (std::vector<std::string>{"localhost", "chat.example.org"}));
  ASSERT_EQ(names.ip.size(), 2U);
  EXPECT_EQ(names.ip[0], std::string("\x7f\x00\x00\x01", 4));
  EXPECT_EQ(names.ip[1], std::string(15, '\0') + "\x01");
}

TEST(TlsCertificateTest, SelfSignatureVerifiesAndTheCertificateAnchorsItself) {
  const auto made = make({"localhost", "127.0.0.1"});
  const X509Ptr certificate = parse_certificate(made.certificate_pem);
  ASSERT_TRUE(certificate);
  EXPECT_EQ(X509_verify(certificate.get(), X509_get0_pubkey(certificate.get())), 1);
  EXPECT_EQ(X509_check_issued(certificate.get(), certificate.get()), X509_V_OK);
  EXPECT_EQ(X509_get_signature_nid(certificate.get()), NID_ecdsa_with_SHA256);
  EXPECT_EQ(X509_get_version(certificate.get()), X509_VERSION_3);
  EXPECT_GE(X509_check_ca(certificate.get()), 1);
  const auto usage = X509_get_key_usage(certificate.get());
  EXPECT_TRUE(usage & KU_DIGITAL_SIGNATURE);
  EXPECT_TRUE(usage & KU_KEY_CERT_SIGN);
  EXPECT_EQ(verify_for_host(certificate.get(), "localhost"), X509_V_OK);
  EXPECT_EQ(verify_for_host(certificate.get(), "127.0.0.1"), X509_V_OK);
  EXPECT_NE(verify_for_host(certificate.get(), "other.example"), X509_V_OK);
  EXPECT_NE(verify_for_host(certificate.get(), "127.0.0.2"), X509_V_OK);
}

TEST(TlsCertificateTest, ValidityStartsAnHourAgoAndLastsTheGivenDays) {
  const auto made = make({"localhost"}, 30);
  const X509Ptr certificate = parse_certificate(made.certificate_pem);
  ASSERT_TRUE(certificate);
  const ASN1_TIME* not_before = X509_get0_notBefore(certificate.get());
  const ASN1_TIME* not_after = X509_get0_notAfter(certificate.get());
  EXPECT_LT(X509_cmp_current_time(not_before), 0);
  EXPECT_GT(X509_cmp_current_time(not_after), 0);
  int days = 0;
  int seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, not_before, not_after), 1);
  EXPECT_EQ(days, 30);
  EXPECT_EQ(seconds, 3600);
}

TEST(TlsCertificateTest, SerialsAreRandomAndPositive) {
  const X509Ptr first = parse_certificate(make({"localhost"}).certificate_pem);
  const X509Ptr second = parse_certificate(make({"localhost"}).certificate_pem);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  const ASN1_INTEGER* a = X509_get0_serialNumber(first.get());
  const ASN1_INTEGER* b = X509_get0_serialNumber(second.get());
  EXPECT_NE(ASN1_INTEGER_cmp(a, b), 0);
  EXPECT_EQ(ASN1_STRING_type(a), V_ASN1_INTEGER);  // V_ASN1_NEG_INTEGER when negative
  EXPECT_GE(ASN1_STRING_length(a), 8);
}

TEST(TlsCertificateTest, EmptyNameListIsRefused) {
  const auto made = make_self_signed_certificate({}, 30);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, Errc::invalid_argument);
}

TEST(TlsCertificateTest, UnusableNamesAreRefused) {
  for (const char* name : {"", "bad name", "evil,DNS:x", "a/b", ".", "host.", "1.2.3.4/8"}) {
    const auto made = make_self_signed_certificate({"localhost", name}, 30);
    ASSERT_FALSE(made) << name;
    EXPECT_EQ(made.error().code, Errc::invalid_argument) << name;
  }
}

TEST(TlsCertificateTest, ValidityOutsideItsRangeIsRefused) {
  for (int days : {0, -1, 3651}) {
    const auto made = make_self_signed_certificate({"localhost"}, days);
    ASSERT_FALSE(made) << days;
    EXPECT_EQ(made.error().code, Errc::invalid_argument) << days;
  }
}

}  // namespace
}  // namespace bulwark::crypto
