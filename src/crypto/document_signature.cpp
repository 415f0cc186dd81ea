#include "crypto/document_signature.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <string_view>

#include "crypto/detail/openssl.h"

namespace bulwark::crypto {
namespace {

using detail::OpenSsl;

void free_certificates(STACK_OF(X509) * certificates) { sk_X509_pop_free(certificates, X509_free); }

using Cms = OpenSsl<CMS_ContentInfo, CMS_ContentInfo_free>;
using Certificate = OpenSsl<X509, X509_free>;
using Certificates = OpenSsl<STACK_OF(X509), free_certificates>;
using Crl = OpenSsl<X509_CRL, X509_CRL_free>;
using Store = OpenSsl<X509_STORE, X509_STORE_free>;
using StoreContext = OpenSsl<X509_STORE_CTX, X509_STORE_CTX_free>;
using Bio = OpenSsl<BIO, BIO_free_all>;
using Usages = OpenSsl<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
using Object = OpenSsl<ASN1_OBJECT, ASN1_OBJECT_free>;

constexpr int min_rsa_bits = 2048;
// RFC 9336's id-kp-documentSigning; OpenSSL 3.0 has no NID for it.
constexpr const char* document_signing_oid = "1.3.6.1.5.5.7.3.36";
// Security level 2: 112-bit keys and no SHA-1 in certificate signatures.
constexpr int auth_level = 2;

tl::unexpected<Error> refused(std::string reason) {
  detail::clear_openssl_errors();
  return fail(Errc::auth_failed, "document signature: " + reason);
}

tl::unexpected<Error> malformed(std::string reason) {
  detail::clear_openssl_errors();
  return fail(Errc::invalid_encoding, "document signature: " + reason);
}

bool weak_digest(int digest_nid) {
  return digest_nid == NID_sha1 || digest_nid == NID_md5 || digest_nid == NID_md5_sha1 ||
         digest_nid == NID_md4;
}

// The digest inside a signature algorithm (sha1WithRSAEncryption -> sha1); NID_undef for one
// that names none (rsaEncryption, Ed25519).
int digest_of_signature(int signature_nid) {
  int digest = NID_undef;
  int key = NID_undef;
  if (OBJ_find_sigid_algs(signature_nid, &digest, &key) != 1) return NID_undef;
  return digest;
}

bool small_rsa_key(const EVP_PKEY* key) {
  return key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
         EVP_PKEY_get_bits(key) < min_rsa_bits;
}

std::string name_text(const X509_NAME* name) {
  Bio out(BIO_new(BIO_s_mem()));
  if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253) < 0) return "?";
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::string serial_hex(const X509* certificate) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(certificate);
  std::string out;
  char digits[3];
  for (int i = 0; i < serial->length; ++i) {
    std::snprintf(digits, sizeof digits, "%02x", serial->data[i]);
    out += digits;
  }
  return out;
}

Result<Certificate> read_certificate(const std::string& pem, std::string_view what) {
  Bio in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Certificate certificate(in ? PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!certificate) {
    detail::clear_openssl_errors();
    return fail(Errc::invalid_argument,
                "document trust: " + std::string(what) + " is not a PEM certificate");
  }
  if (weak_digest(digest_of_signature(X509_get_signature_nid(certificate.get()))))
    return fail(Errc::invalid_argument,
                "document trust: " + std::string(what) + " is signed with SHA-1 or MD5");
  if (small_rsa_key(X509_get0_pubkey(certificate.get())))
    return fail(Errc::invalid_argument,
                "document trust: " + std::string(what) + " has an RSA key under 2048 bits");
  return certificate;
}

Result<Crl> read_crl(const std::string& pem) {
  Bio in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Crl crl(in ? PEM_read_bio_X509_CRL(in.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!crl) {
    detail::clear_openssl_errors();
    return fail(Errc::invalid_argument, "document trust: a CRL is not PEM");
  }
  if (weak_digest(digest_of_signature(X509_CRL_get_signature_nid(crl.get()))))
    return fail(Errc::invalid_argument, "document trust: a CRL is signed with SHA-1 or MD5");
  // Without a next update OpenSSL treats a CRL as current forever: a revocation published
  // after it could never be required.
  if (X509_CRL_get0_nextUpdate(crl.get()) == nullptr)
    return fail(Errc::invalid_argument, "document trust: a CRL has no next update");
  return crl;
}

// The operator's anchors and CRLs, checked as of `now`: every chain must end at an anchor and
// every certificate in it have a current CRL from its issuer.
Result<Store> trust_store(const DocumentTrust& trust, std::chrono::system_clock::time_point now) {
  Store store(X509_STORE_new());
  if (!store) return refused("out of memory");
  for (const std::string& pem : trust.anchors) {
    Certificate anchor = BULWARK_TRY(read_certificate(pem, "a trust anchor"));
    if (X509_STORE_add_cert(store.get(), anchor.get()) != 1)
      return refused("an anchor was refused");
  }
  for (const std::string& pem : trust.crls) {
    Crl crl = BULWARK_TRY(read_crl(pem));
    if (X509_STORE_add_crl(store.get(), crl.get()) != 1) return refused("a CRL was refused");
  }
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
  X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(now));
  X509_VERIFY_PARAM_set_flags(
      param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL | X509_V_FLAG_X509_STRICT);
  X509_VERIFY_PARAM_set_auth_level(param, auth_level);
  // Document signing is none of OpenSSL's purposes; its EKU is checked below instead.
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
  return store;
}

Result<Certificates> intermediates(const DocumentTrust& trust, CMS_ContentInfo* cms) {
  Certificates all(sk_X509_new_null());
  if (!all) return refused("out of memory");
  for (const std::string& pem : trust.intermediates) {
    Certificate certificate = BULWARK_TRY(read_certificate(pem, "an intermediate certificate"));
    if (sk_X509_push(all.get(), certificate.get()) <= 0) return refused("out of memory");
    (void)certificate.release();
  }
  Certificates carried(CMS_get1_certs(cms));
  while (carried && sk_X509_num(carried.get()) > 0) {
    X509* certificate = sk_X509_shift(carried.get());
    if (sk_X509_push(all.get(), certificate) <= 0) {
      X509_free(certificate);
      return refused("out of memory");
    }
  }
  return all;
}

Result<Cms> strict_signed_data(ByteView signature) {
  if (signature.size() > max_document_signature_bytes) return malformed("over 64 KiB");
  const auto* start = reinterpret_cast<const unsigned char*>(signature.data());
  const unsigned char* end = start;
  Cms cms(d2i_CMS_ContentInfo(nullptr, &end, static_cast<long>(signature.size())));
  if (!cms) return malformed("not a DER CMS structure");
  if (end != start + signature.size()) return malformed("bytes after the signature");
  unsigned char* again = nullptr;
  const int length = i2d_CMS_ContentInfo(cms.get(), &again);
  const bool der =
      length == static_cast<int>(signature.size()) && std::equal(again, again + length, start);
  OPENSSL_free(again);
  if (!der) return malformed("not in DER form");
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) return malformed("not SignedData");
  if (CMS_is_detached(cms.get()) != 1) return malformed("the document is inside it, not detached");
  if (OBJ_obj2nid(CMS_get0_eContentType(cms.get())) != NID_pkcs7_data)
    return malformed("signs something other than plain data");
  if (sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms.get())) != 1)
    return malformed("not exactly one signer");
  return cms;
}

// The signer's certificate: fit for signing documents, with a key that is not too small.
Result<void> check_signer_certificate(X509* signer) {
  if (small_rsa_key(X509_get0_pubkey(signer)))
    return refused("the signer's RSA key is under 2048 bits");
  const std::uint32_t usage = X509_get_key_usage(signer);
  if (usage == UINT32_MAX || (usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0)
    return refused("the signer's certificate is not for signatures (key usage)");
  Usages usages(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(signer, NID_ext_key_usage, nullptr, nullptr)));
  Object document_signing(OBJ_txt2obj(document_signing_oid, 1));
  bool found = false;
  for (int i = 0; usages && document_signing && i < sk_ASN1_OBJECT_num(usages.get()); ++i)
    found = found || OBJ_cmp(sk_ASN1_OBJECT_value(usages.get(), i), document_signing.get()) == 0;
  if (!found)
    return refused("the signer's certificate is not for document signing (extended key usage)");
  return {};
}

Result<void> check_signer_algorithms(CMS_SignerInfo* signer_info) {
  X509_ALGOR* digest = nullptr;
  X509_ALGOR* signature = nullptr;
  CMS_SignerInfo_get0_algs(signer_info, nullptr, nullptr, &digest, &signature);
  const ASN1_OBJECT* digest_oid = nullptr;
  const ASN1_OBJECT* signature_oid = nullptr;
  if (digest != nullptr) X509_ALGOR_get0(&digest_oid, nullptr, nullptr, digest);
  if (signature != nullptr) X509_ALGOR_get0(&signature_oid, nullptr, nullptr, signature);
  const int digest_nid = OBJ_obj2nid(digest_oid);
  if (digest_nid != NID_sha256 && digest_nid != NID_sha384 && digest_nid != NID_sha512)
    return refused("the signature's digest is not SHA-256, SHA-384 or SHA-512");
  if (weak_digest(digest_of_signature(OBJ_obj2nid(signature_oid))))
    return refused("the signature algorithm uses SHA-1 or MD5");
  return {};
}

// The chain, checked on its own first so that a refusal says why (CMS_verify checks it again).
Result<void> check_chain(X509_STORE* store, X509* signer, STACK_OF(X509) * untrusted) {
  StoreContext context(X509_STORE_CTX_new());
  if (!context || X509_STORE_CTX_init(context.get(), store, signer, untrusted) != 1)
    return refused("out of memory");
  if (X509_verify_cert(context.get()) == 1) return {};
  const int error = X509_STORE_CTX_get_error(context.get());
  return refused(std::string("the signer's certificate chain: ") +
                 X509_verify_cert_error_string(error));
}

}  // namespace

Result<void> check_document_trust(const DocumentTrust& trust) {
  for (const std::string& pem : trust.anchors) BULWARK_TRY(read_certificate(pem, "a trust anchor"));
  for (const std::string& pem : trust.intermediates)
    BULWARK_TRY(read_certificate(pem, "an intermediate certificate"));
  for (const std::string& pem : trust.crls) BULWARK_TRY(read_crl(pem));
  return {};
}

Result<DocumentSigner> verify_document_signature(ByteView document, ByteView signature,
                                                 const DocumentTrust& trust,
                                                 std::chrono::system_clock::time_point now) {
  if (document.size() > max_signed_document_bytes) return malformed("the document is over 1 MiB");
  Cms cms = BULWARK_TRY(strict_signed_data(signature));
  Store store = BULWARK_TRY(trust_store(trust, now));
  Certificates untrusted = BULWARK_TRY(intermediates(trust, cms.get()));
  if (CMS_set1_signers_certs(cms.get(), untrusted.get(), 0) < 1)
    return refused("the signer's certificate is in neither the signature nor the configuration");
  CMS_SignerInfo* signer_info = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
  X509* signer = nullptr;
  CMS_SignerInfo_get0_algs(signer_info, nullptr, &signer, nullptr, nullptr);
  if (signer == nullptr) return refused("no signer certificate");
  BULWARK_TRY(check_signer_algorithms(signer_info));
  BULWARK_TRY(check_signer_certificate(signer));
  BULWARK_TRY(check_chain(store.get(), signer, untrusted.get()));
  Bio content(BIO_new_mem_buf(document.data(), static_cast<int>(document.size())));
  if (!content) return refused("out of memory");
  // CMS_BINARY: the document's bytes as they are. CMS_NOCRL: only the operator's CRLs.
  if (CMS_verify(cms.get(), untrusted.get(), store.get(), content.get(), nullptr,
                 CMS_BINARY | CMS_NOCRL) != 1)
    return refused("it does not match the document");
  detail::clear_openssl_errors();
  return DocumentSigner{name_text(X509_get_subject_name(signer)),
                        name_text(X509_get_issuer_name(signer)), serial_hex(signer)};
}

}  // namespace bulwark::crypto
