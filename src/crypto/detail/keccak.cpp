#include "crypto/detail/keccak.h"

#include <openssl/evp.h>

#include "common/result.h"

namespace bulwark::crypto::detail {
namespace {

EVP_MD* fetch(const char* name) noexcept {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) contract_violation("OpenSSL lacks a FIPS 202 algorithm");
  return md;
}

const EVP_MD* algorithm_md(Keccak algorithm) noexcept {
  // Fetched once: explicit fetching skips OpenSSL's per-call implicit lookup.
  static EVP_MD* const sha3_256 = fetch("SHA3-256");
  static EVP_MD* const sha3_512 = fetch("SHA3-512");
  static EVP_MD* const shake128 = fetch("SHAKE128");
  static EVP_MD* const shake256 = fetch("SHAKE256");
  switch (algorithm) {
    case Keccak::sha3_256: return sha3_256;
    case Keccak::sha3_512: return sha3_512;
    case Keccak::shake128: return shake128;
    case Keccak::shake256: return shake256;
  }
  contract_violation("unknown Keccak algorithm");
}

}  // namespace

KeccakContext::KeccakContext() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) contract_violation("EVP_MD_CTX_new failed");
}

KeccakContext::~KeccakContext() { EVP_MD_CTX_free(ctx_); }

void KeccakContext::hash(Keccak algorithm, std::initializer_list<ByteView> parts,
                         MutableByteView out) noexcept {
  const EVP_MD* md = algorithm_md(algorithm);
  bool ok = EVP_DigestInit_ex2(ctx_, md, nullptr) == 1;
  for (ByteView part : parts) ok = ok && EVP_DigestUpdate(ctx_, part.data(), part.size()) == 1;
  if (algorithm == Keccak::shake128 || algorithm == Keccak::shake256) {
    ok = ok && EVP_DigestFinalXOF(ctx_, reinterpret_cast<unsigned char*>(out.data()),
                                  out.size()) == 1;
  } else {
    if (out.size() != static_cast<std::size_t>(EVP_MD_get_size(md))) {
      contract_violation("SHA-3 output buffer has the wrong size");
    }
    ok = ok && EVP_DigestFinal_ex(ctx_, reinterpret_cast<unsigned char*>(out.data()),
                                  nullptr) == 1;
  }
  if (!ok) contract_violation("OpenSSL SHA-3 computation failed");
}

}  // namespace bulwark::crypto::detail
