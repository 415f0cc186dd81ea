// Before any OpenSSL header: see Sha256Stream below.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "crypto/hash.h"

#include "crypto/detail/keccak.h"
#include "crypto/detail/sha256_stream.h"
#include "crypto/detail/sodium.h"

namespace bulwark::crypto {
namespace detail {

// OpenSSL's SHA-256 block functions rather than its EVP interface: the same code underneath
// (the CPU's SHA extensions, about 3x libsodium's portable SHA-256 here), without EVP's
// dispatch, which on the 33- to 65-byte inputs of Merkle trees, HMAC and franking stamps cost
// more than the hash itself (188 ns against 75 ns for 33 bytes on this machine). OpenSSL 3
// marks these functions deprecated in favour of EVP, hence OPENSSL_SUPPRESS_DEPRECATED above;
// they stay in OpenSSL 3's API. They also bypass OpenSSL's providers: a system configured for
// the FIPS provider would not get its SHA-256 here.
Sha256Stream::Sha256Stream() noexcept {
  if (SHA256_Init(&state_) != 1) contract_violation("crypto::sha256: OpenSSL failed");
}

void Sha256Stream::wipe() noexcept { sodium_memzero(&state_, sizeof state_); }

void Sha256Stream::update(ByteView part) noexcept {
  if (SHA256_Update(&state_, part.data(), part.size()) != 1)
    contract_violation("crypto::sha256: OpenSSL failed");
}

Sha256Digest Sha256Stream::finish() noexcept {
  Sha256Digest digest{};
  if (SHA256_Final(uc(digest.data()), &state_) != 1)
    contract_violation("crypto::sha256: OpenSSL failed");
  return digest;
}

}  // namespace detail

Sha256Digest sha256(std::initializer_list<ByteView> parts) noexcept {
  detail::Sha256Stream stream;
  for (ByteView part : parts) stream.update(part);
  return stream.finish();
}

Sha512Digest sha512(std::initializer_list<ByteView> parts) noexcept {
  detail::sodium_ready();
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  for (ByteView part : parts) crypto_hash_sha512_update(&state, detail::uc(part.data()), part.size());
  Sha512Digest digest{};
  crypto_hash_sha512_final(&state, detail::uc(digest.data()));
  return digest;
}

Sha3_256Digest sha3_256(std::initializer_list<ByteView> parts) noexcept {
  Sha3_256Digest digest{};
  detail::KeccakContext().hash(detail::Keccak::sha3_256, parts, digest);
  return digest;
}

Sha3_512Digest sha3_512(std::initializer_list<ByteView> parts) noexcept {
  Sha3_512Digest digest{};
  detail::KeccakContext().hash(detail::Keccak::sha3_512, parts, digest);
  return digest;
}

void shake128(std::initializer_list<ByteView> parts, MutableByteView out) noexcept {
  detail::KeccakContext().hash(detail::Keccak::shake128, parts, out);
}

void shake256(std::initializer_list<ByteView> parts, MutableByteView out) noexcept {
  detail::KeccakContext().hash(detail::Keccak::shake256, parts, out);
}

Bytes shake128(ByteView data, std::size_t out_bytes) {
  Bytes out(out_bytes);
  shake128({data}, out);
  return out;
}

Bytes shake256(ByteView data, std::size_t out_bytes) {
  Bytes out(out_bytes);
  shake256({data}, out);
  return out;
}

}  // namespace bulwark::crypto
