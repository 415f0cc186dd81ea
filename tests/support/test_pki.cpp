// The test PKI of test_pki.h on OpenSSL's C API.
#include "test_pki.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <utility>

namespace bulwark::testing {
namespace {

template <class T, auto Free>
struct Deleter {
  void operator()(T* object) const noexcept { Free(object); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using Time = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

std::time_t seconds(system_clock::time_point at) { return system_clock::to_time_t(at); }

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  require(extension != nullptr, value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

struct CertificateFields {
  const std::string& name;
  long serial;
  std::time_t not_before;
  std::time_t not_after;
};

// An unsigned certificate for `key` issued by `issuer` (by itself without an issuer), with key
// identifiers; the caller adds its extensions and signs it.
Cert make_certificate(const CertificateFields& fields, EVP_PKEY* key, X509* issuer) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), fields.serial);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), fields.not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), fields.not_after);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(fields.name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  return cert;
}

void sign_certificate(X509* cert, EVP_PKEY* key) {
  require(X509_sign(cert, key, EVP_sha256()) > 0, "certificate signature");
}

template <class Write>
std::string pem_text(Write write) {
  BioPtr out(BIO_new(BIO_s_mem()));
  require(write(out.get()) == 1, "PEM encoding");
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

struct TestSigner::Impl {
  Key key;
  Cert certificate;
};

TestSigner::TestSigner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TestSigner::~TestSigner() = default;
TestSigner::TestSigner(TestSigner&&) noexcept = default;
TestSigner& TestSigner::operator=(TestSigner&&) noexcept = default;

Bytes TestSigner::sign(std::string_view document, SignatureDigest digest) const {
  BioPtr content(BIO_new_mem_buf(document.data(), static_cast<int>(document.size())));
  const int flags = CMS_DETACHED | CMS_BINARY;
  CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags | CMS_PARTIAL));
  const EVP_MD* md = digest == SignatureDigest::sha1 ? EVP_sha1() : EVP_sha256();
  require(CMS_add1_signer(cms.get(), impl_->certificate.get(), impl_->key.get(), md, CMS_BINARY) !=
              nullptr,
          "CMS signer");
  require(CMS_final(cms.get(), content.get(), nullptr, flags) == 1, "CMS signature");
  unsigned char* der = nullptr;
  const int length = i2d_CMS_ContentInfo(cms.get(), &der);
  require(length > 0, "CMS encoding");
  Bytes out(reinterpret_cast<std::byte*>(der), reinterpret_cast<std::byte*>(der) + length);
  OPENSSL_free(der);
  return out;
}

std::string TestSigner::certificate_pem() const {
  return pem_text([&](BIO* out) { return PEM_write_bio_X509(out, impl_->certificate.get()); });
}

struct TestAuthority::Impl {
  std::time_t now;
  Key key;
  Cert root;
};

TestAuthority::TestAuthority(std::string name, system_clock::time_point now, long serial)
    : impl_(std::make_unique<Impl>()) {
  impl_->now = seconds(now);
  impl_->key = Key(EVP_EC_gen("P-256"));
  require(impl_->key != nullptr, "root key");
  constexpr std::time_t day = 24 * 3600;
  impl_->root = make_certificate({name, serial, impl_->now - 365 * day, impl_->now + 3650 * day},
                                 impl_->key.get(), nullptr);
  X509* root = impl_->root.get();
  add_extension(root, root, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(root, root, NID_key_usage, "critical,keyCertSign,cRLSign");
  sign_certificate(root, impl_->key.get());
}

TestAuthority::~TestAuthority() = default;
TestAuthority::TestAuthority(TestAuthority&&) noexcept = default;
TestAuthority& TestAuthority::operator=(TestAuthority&&) noexcept = default;

std::string TestAuthority::root_pem() const {
  return pem_text([&](BIO* out) { return PEM_write_bio_X509(out, impl_->root.get()); });
}

std::string TestAuthority::crl_pem(const std::vector<long>& revoked,
                                   std::optional<system_clock::duration> next_update) const {
  CrlPtr list(X509_CRL_new());
  X509_CRL_set_version(list.get(), 1);
  X509_CRL_set_issuer_name(list.get(), X509_get_subject_name(impl_->root.get()));
  Time last_time(ASN1_TIME_set(nullptr, impl_->now - 24 * 3600));
  X509_CRL_set1_lastUpdate(list.get(), last_time.get());
  if (next_update) {
    const std::time_t next =
        impl_->now + std::chrono::duration_cast<std::chrono::seconds>(*next_update).count();
    Time next_time(ASN1_TIME_set(nullptr, next));
    X509_CRL_set1_nextUpdate(list.get(), next_time.get());
  }
  for (long serial : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* number = ASN1_INTEGER_new();
    ASN1_INTEGER_set(number, serial);
    X509_REVOKED_set_serialNumber(entry, number);
    X509_REVOKED_set_revocationDate(entry, last_time.get());
    X509_CRL_add0_revoked(list.get(), entry);
    ASN1_INTEGER_free(number);
  }
  X509_CRL_sort(list.get());
  require(X509_CRL_sign(list.get(), impl_->key.get(), EVP_sha256()) > 0, "CRL signature");
  return pem_text([&](BIO* out) { return PEM_write_bio_X509_CRL(out, list.get()); });
}

TestSigner TestAuthority::issue(const SignerSpec& spec) const {
  auto signer = std::make_unique<TestSigner::Impl>();
  signer->key = spec.rsa_bits != 0 ? Key(EVP_RSA_gen(spec.rsa_bits)) : Key(EVP_EC_gen("P-256"));
  require(signer->key != nullptr, "signer key");
  const auto offset = [&](system_clock::duration by) {
    return impl_->now + std::chrono::duration_cast<std::chrono::seconds>(by).count();
  };
  signer->certificate =
      make_certificate({spec.name, spec.serial, offset(spec.valid_from), offset(spec.valid_until)},
                       signer->key.get(), impl_->root.get());
  X509* cert = signer->certificate.get();
  X509* root = impl_->root.get();
  add_extension(cert, root, NID_basic_constraints, "critical,CA:FALSE");
  if (spec.key_usage != nullptr) add_extension(cert, root, NID_key_usage, spec.key_usage);
  if (spec.extended_key_usage != nullptr)
    add_extension(cert, root, NID_ext_key_usage, spec.extended_key_usage);
  sign_certificate(cert, impl_->key.get());
  return TestSigner(std::move(signer));
}

}  // namespace bulwark::testing
