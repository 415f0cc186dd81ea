#include "crypto/hash.h"

#include "crypto/detail/keccak.h"
#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

Sha256Digest sha256(std::initializer_list<ByteView> parts) noexcept {
  detail::sodium_ready();
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  for (ByteView part : parts) crypto_hash_sha256_update(&state, detail::uc(part.data()), part.size());
  Sha256Digest digest{};
  crypto_hash_sha256_final(&state, detail::uc(digest.data()));
  return digest;
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
