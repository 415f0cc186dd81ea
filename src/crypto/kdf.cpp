#include "crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>
#include <string>

#include "crypto/mac.h"

namespace bulwark::crypto {
namespace {

EVP_KDF* hkdf_algorithm() noexcept {
  static EVP_KDF* const kdf = [] {
    EVP_KDF* fetched = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (fetched == nullptr) contract_violation("OpenSSL lacks HKDF");
    return fetched;
  }();
  return kdf;
}

void* mutable_ptr(ByteView view) noexcept {
  // OSSL_PARAM takes non-const pointers but HKDF only reads its inputs.
  return const_cast<std::byte*>(view.data());
}

// HKDF-Expand on OpenSSL's EVP_KDF (mode EXPAND_ONLY).
Result<SecretBytes> expand(ByteView prk, ByteView info, std::size_t length) {
  if (length == 0 || length > hkdf_sha256_max_output_bytes) {
    return fail(Errc::invalid_argument, "HKDF output length must be 1.." +
                                            std::to_string(hkdf_sha256_max_output_bytes));
  }
  if (info.size() > hkdf_sha256_max_info_bytes) {
    return fail(Errc::invalid_argument, "HKDF info longer than 32 KiB");
  }
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(hkdf_algorithm());
  if (ctx == nullptr) return fail(Errc::internal, "EVP_KDF_CTX_new failed");
  char digest[] = "SHA256";
  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  std::array<OSSL_PARAM, 5> params{};
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, mutable_ptr(prk), prk.size());
  if (!info.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, mutable_ptr(info),
                                                    info.size());
  }
  params[n] = OSSL_PARAM_construct_end();

  SecretBytes out(length);
  const int ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.writable().data()),
                                out.size(), params.data());
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) {
    ERR_clear_error();  // see crypto/detail/openssl.h
    return fail(Errc::internal, "HKDF-Expand failed");
  }
  return out;
}

}  // namespace

Result<SecretBytes> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length) {
  const SecretBytes prk = BULWARK_TRY(hkdf_sha256_extract(salt, ikm));
  return expand(prk.view(), info, length);
}

// HKDF-Extract is HMAC-SHA256(salt, IKM) by definition (RFC 5869 §2.2). Computing it with our
// HMAC, not OpenSSL's HKDF, also covers the empty IKM, which OpenSSL 3.0's HKDF refuses.
Result<SecretBytes> hkdf_sha256_extract(ByteView salt, ByteView ikm) {
  HmacSha256Tag prk = hmac_sha256(salt, ikm);  // an empty salt is HashLen zeros: same HMAC key
  SecretBytes out = SecretBytes::copy_of(prk);
  secure_wipe(prk);
  return out;
}

Result<SecretBytes> hkdf_sha256_expand(ByteView prk, ByteView info, std::size_t length) {
  if (prk.size() < hkdf_sha256_prk_bytes) {
    return fail(Errc::invalid_length, "HKDF-Expand needs a PRK of at least 32 bytes");
  }
  return expand(prk, info, length);
}

}  // namespace bulwark::crypto
