#include "crypto/x25519.h"

#include "crypto/detail/ct.h"
#include "crypto/detail/x25519_rfc7748.h"
#include "crypto/detail/sodium.h"

namespace bulwark::crypto {
namespace {

// True when the 32-byte little-endian value is < 2^255 - 19 with bit 255 clear.
bool is_canonical_u(ByteView u) noexcept {
  const auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(u[i]); };
  if (byte(31) > 0x7f) return false;
  if (byte(31) < 0x7f) return true;
  for (std::size_t i = 30; i >= 1; --i) {
    if (byte(i) != 0xff) return true;
  }
  return byte(0) < 0xed;
}

}  // namespace

Result<X25519PublicKey> X25519PublicKey::from_bytes(ByteView bytes) {
  auto array = BULWARK_TRY(to_array<x25519_public_key_bytes>(bytes));
  if (!is_canonical_u(bytes)) return fail(Errc::invalid_encoding, "non-canonical X25519 key");
  return X25519PublicKey(array);
}

Result<X25519PublicKey> detail::x25519_public_key_rfc7748(ByteView bytes) {
  return X25519PublicKey(BULWARK_TRY(to_array<x25519_public_key_bytes>(bytes)));
}

Result<X25519SecretKey> X25519SecretKey::from_bytes(ByteView bytes) {
  if (bytes.size() != x25519_secret_key_bytes) {
    return fail(Errc::invalid_length, "X25519 secret key must be 32 bytes");
  }
  SecretBytes scalar = SecretBytes::copy_of(bytes);
  auto s = scalar.writable();
  s[0] &= std::byte{248};
  s[31] &= std::byte{127};
  s[31] |= std::byte{64};
  return X25519SecretKey(std::move(scalar));
}

X25519PublicKey X25519SecretKey::public_key() const {
  detail::sodium_ready();
  std::array<std::byte, x25519_public_key_bytes> out{};
  crypto_scalarmult_curve25519_base(detail::uc(out.data()), detail::uc(scalar_.view().data()));
  return X25519PublicKey(out);
}

X25519KeyPair x25519_keypair(Rng& rng) {
  SecretBytes seed(x25519_secret_key_bytes);
  rng.fill(seed.writable());
  auto secret = X25519SecretKey::from_bytes(seed.view());
  if (!secret) contract_violation("32-byte X25519 seed rejected");
  X25519PublicKey public_key = secret->public_key();
  return {std::move(*secret), public_key};
}

Result<SecretBytes> x25519(const X25519SecretKey& secret, const X25519PublicKey& peer) {
  detail::sodium_ready();
  SecretBytes shared(x25519_shared_secret_bytes);
  int rc = crypto_scalarmult_curve25519(detail::uc(shared.writable().data()),
                                        detail::uc(secret.bytes().view().data()),
                                        detail::uc(peer.bytes().data()));
  // Whether the result is all-zero (a small-order peer key) is reported to the caller anyway.
  detail::ct_declassify(&rc, sizeof rc);
  if (rc != 0) return fail(Errc::weak_key, "X25519 peer key has small order");
  return shared;
}

}  // namespace bulwark::crypto
