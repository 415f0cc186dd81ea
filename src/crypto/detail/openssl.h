// Internal: small RAII and fetch helpers for OpenSSL. Included by crypto/*.cpp only.
#pragma once

#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>

#include "common/result.h"

namespace bulwark::crypto::detail {

// An owning pointer to any OpenSSL object with its free function:
//   using Certificate = OpenSsl<X509, X509_free>;
template <class T, auto Free>
struct OpenSslDeleter {
  void operator()(T* object) const noexcept { Free(object); }
};
template <class T, auto Free>
using OpenSsl = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// Fetches a cipher from the default provider; aborts if OpenSSL lacks it, since every cipher
// we name is in OpenSSL 3.0's default provider. Callers cache the result in a static.
inline EVP_CIPHER* fetch_cipher(const char* name) noexcept {
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (cipher == nullptr) contract_violation("OpenSSL lacks a cipher Bulwark needs");
  return cipher;
}

// OpenSSL queues an error on every failure, per thread. We report failures as Results, so the
// queue is cleared on each failure path; otherwise a later TLS call on the same thread could
// misread the stale entry as its own error.
inline void clear_openssl_errors() noexcept { ERR_clear_error(); }

}  // namespace bulwark::crypto::detail
