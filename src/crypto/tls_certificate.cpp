#include "crypto/tls_certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <memory>

#include "crypto/detail/openssl.h"
#include "crypto/random.h"

namespace bulwark::crypto {
namespace {

using detail::OpenSsl;

using Key = OpenSsl<EVP_PKEY, EVP_PKEY_free>;
using Certificate = OpenSsl<X509, X509_free>;
using Bio = OpenSsl<BIO, BIO_free_all>;
using BigNum = OpenSsl<BIGNUM, BN_free>;
using GeneralNames = OpenSsl<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralName = OpenSsl<GENERAL_NAME, GENERAL_NAME_free>;
using OctetString = OpenSsl<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Ia5String = OpenSsl<ASN1_IA5STRING, ASN1_IA5STRING_free>;
using Extension = OpenSsl<X509_EXTENSION, X509_EXTENSION_free>;

constexpr std::size_t max_names = 100;
constexpr std::size_t max_dns_name_chars = 253;    // RFC 1035's limit on a whole name
constexpr std::size_t max_common_name_chars = 64;  // RFC 5280's ub-common-name
constexpr int max_valid_days = 3650;

tl::unexpected<Error> openssl_failure(std::string_view what) {
  detail::clear_openssl_errors();
  return fail(Errc::internal, "self-signed certificate: " + std::string(what) + " failed");
}

// Letters, digits, hyphens and dots, with an optional leading "*." wildcard label; anything
// else would be a name no TLS client could match.
bool valid_dns_name(const std::string& name) {
  if (name.empty() || name.size() > max_dns_name_chars) return false;
  const std::string_view rest = name.starts_with("*.") ? std::string_view(name).substr(2) : name;
  return !rest.empty() && rest.front() != '.' && rest.back() != '.' &&
         std::all_of(rest.begin(), rest.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.';
         });
}

// One subjectAltName entry: an IP entry for an address literal, a DNS entry otherwise.
Result<GeneralName> general_name(const std::string& name) {
  GeneralName entry(GENERAL_NAME_new());
  if (!entry) return openssl_failure("GENERAL_NAME_new");
  OctetString address(a2i_IPADDRESS(name.c_str()));
  detail::clear_openssl_errors();  // a DNS name is a failed address parse: not an error
  if (address) {
    GENERAL_NAME_set0_value(entry.get(), GEN_IPADD, address.release());
    return entry;
  }
  if (!valid_dns_name(name)) {
    return fail(Errc::invalid_argument, "certificate name is neither an IP address nor a DNS name");
  }
  Ia5String dns(ASN1_IA5STRING_new());
  if (!dns || ASN1_STRING_set(dns.get(), name.data(), static_cast<int>(name.size())) != 1) {
    return openssl_failure("ASN1_STRING_set");
  }
  GENERAL_NAME_set0_value(entry.get(), GEN_DNS, dns.release());
  return entry;
}

Result<void> add_subject_alt_names(X509* certificate, const std::vector<std::string>& names) {
  GeneralNames entries(GENERAL_NAMES_new());
  if (!entries) return openssl_failure("GENERAL_NAMES_new");
  for (const std::string& name : names) {
    GeneralName entry = BULWARK_TRY(general_name(name));
    if (sk_GENERAL_NAME_push(entries.get(), entry.get()) == 0) {
      return openssl_failure("sk_GENERAL_NAME_push");
    }
    entry.release();  // the stack owns it now
  }
  if (X509_add1_ext_i2d(certificate, NID_subject_alt_name, entries.get(), 0, X509V3_ADD_DEFAULT) !=
      1) {
    return openssl_failure("subjectAltName");
  }
  return {};
}

// Fixed-text extensions: built from constants, never from caller input.
Result<void> add_fixed_extensions(X509* certificate) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  constexpr std::array<std::pair<int, const char*>, 3> extensions{{
      {NID_basic_constraints, "critical,CA:TRUE"},
      {NID_key_usage, "critical,digitalSignature,keyCertSign"},
      {NID_subject_key_identifier, "hash"},
  }};
  for (const auto& [nid, value] : extensions) {
    Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
      return openssl_failure("X509_add_ext");
    }
  }
  return {};
}

// 16 random octets with the top bit cleared (positive, at most 20 octets, as RFC 5280 wants)
// and the first octet's low bit set (so the encoding is always 16 octets): 126 random bits.
Result<void> set_random_serial(X509* certificate) {
  std::array<std::byte, 16> serial{};
  random_bytes(serial);
  serial[0] = (serial[0] & std::byte{0x7f}) | std::byte{0x01};
  BigNum number(BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()),
                          static_cast<int>(serial.size()), nullptr));
  if (!number || BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate)) == nullptr) {
    return openssl_failure("serial number");
  }
  return {};
}

Result<void> set_subject_and_validity(X509* certificate, const std::string& common_name,
                                      int valid_days) {
  const std::string cn = common_name.substr(0, max_common_name_chars);
  X509_NAME* subject = X509_get_subject_name(certificate);
  if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(certificate, subject) != 1) {
    return openssl_failure("subject name");
  }
  // From an hour ago: a peer whose clock runs a little behind must still accept it.
  if (X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(certificate), valid_days, 0, nullptr) == nullptr) {
    return openssl_failure("validity");
  }
  return {};
}

Result<std::string> certificate_pem(X509* certificate) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1)
    return openssl_failure("PEM_write_bio_X509");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// PKCS#8 PEM through a secure-memory BIO, which OpenSSL wipes when it is freed.
Result<SecretBytes> private_key_pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return openssl_failure("PEM_write_bio_PrivateKey");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return SecretBytes::copy_of(
      ByteView(reinterpret_cast<const std::byte*>(data), static_cast<std::size_t>(size)));
}

}  // namespace

Result<TlsCertificate> make_self_signed_certificate(const std::vector<std::string>& names,
                                                    int valid_days) {
  if (names.empty() || names.size() > max_names) {
    return fail(Errc::invalid_argument, "a certificate needs between 1 and 100 names");
  }
  if (valid_days < 1 || valid_days > max_valid_days) {
    return fail(Errc::invalid_argument, "certificate validity must be 1..3650 days");
  }
  Key key(EVP_EC_gen("P-256"));
  if (!key) return openssl_failure("P-256 key generation");
  Certificate certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(certificate.get(), key.get()) != 1) {
    return openssl_failure("X509_new");
  }
  BULWARK_TRY(set_random_serial(certificate.get()));
  BULWARK_TRY(set_subject_and_validity(certificate.get(), names.front(), valid_days));
  BULWARK_TRY(add_subject_alt_names(certificate.get(), names));
  BULWARK_TRY(add_fixed_extensions(certificate.get()));
  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0)
    return openssl_failure("X509_sign");
  auto cert_pem = BULWARK_TRY(certificate_pem(certificate.get()));
  auto key_pem = BULWARK_TRY(private_key_pem(key.get()));
  return TlsCertificate{std::move(cert_pem), std::move(key_pem)};
}

}  // namespace bulwark::crypto
