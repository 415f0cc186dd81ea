// Internal: SHA-3 and SHAKE on OpenSSL's EVP interface, with a reusable context.
//
// EVP contexts cost an allocation each; code that hashes many times in one operation (ML-KEM
// does a dozen hashes per call) keeps one KeccakContext and reuses it. Algorithms are fetched
// from the provider once per process. OpenSSL 3.0 has no incremental squeeze, so a SHAKE
// output is produced in one call, at the length the caller asks for.
#pragma once

#include <initializer_list>

#include "common/bytes.h"

struct evp_md_ctx_st;

namespace bulwark::crypto::detail {

enum class Keccak { sha3_256, sha3_512, shake128, shake256 };

class KeccakContext {
 public:
  KeccakContext();
  ~KeccakContext();
  KeccakContext(const KeccakContext&) = delete;
  KeccakContext& operator=(const KeccakContext&) = delete;

  // Hashes the concatenation of `parts` into `out`. For SHA3-256/512, out.size() must be the
  // digest length; for SHAKE, any length.
  void hash(Keccak algorithm, std::initializer_list<ByteView> parts, MutableByteView out) noexcept;

 private:
  evp_md_ctx_st* ctx_;
};

}  // namespace bulwark::crypto::detail
