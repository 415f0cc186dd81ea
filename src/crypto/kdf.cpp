#include "crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>
#include <string>

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

// One EVP_KDF derivation. `key` is the IKM (extract modes) or the PRK (expand-only).
Result<SecretBytes> derive(int mode, ByteView key, ByteView salt, ByteView info,
                           std::size_t length) {
  if (length == 0 || length > hkdf_sha256_max_output_bytes) {
    return fail(Errc::invalid_argument, "HKDF output length must be 1.." +
                                            std::to_string(hkdf_sha256_max_output_bytes));
  }
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(hkdf_algorithm());
  if (ctx == nullptr) return fail(Errc::internal, "EVP_KDF_CTX_new failed");

  // An empty salt is HashLen zero bytes (RFC 5869 §2.2); OpenSSL wants it spelled out.
  static constexpr std::array<std::byte, 32> zero_salt{};
  const ByteView effective_salt = salt.empty() ? ByteView(zero_salt) : salt;
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 6> params{};
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, mutable_ptr(key), key.size());
  if (mode != EVP_KDF_HKDF_MODE_EXPAND_ONLY) {
    params[n++] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_SALT, mutable_ptr(effective_salt), effective_salt.size());
  }
  if (!info.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, mutable_ptr(info),
                                                    info.size());
  }
  params[n] = OSSL_PARAM_construct_end();

  SecretBytes out(length);
  const int ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.writable().data()),
                                out.size(), params.data());
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) return fail(Errc::internal, "HKDF derivation failed");
  return out;
}

}  // namespace

Result<SecretBytes> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length) {
  return derive(EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, ikm, salt, info, length);
}

Result<SecretBytes> hkdf_sha256_extract(ByteView salt, ByteView ikm) {
  return derive(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, salt, {}, hkdf_sha256_prk_bytes);
}

Result<SecretBytes> hkdf_sha256_expand(ByteView prk, ByteView info, std::size_t length) {
  if (prk.size() < hkdf_sha256_prk_bytes) {
    return fail(Errc::invalid_length, "HKDF-Expand needs a PRK of at least 32 bytes");
  }
  return derive(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, {}, info, length);
}

}  // namespace bulwark::crypto
