#include "crypto/ed25519.h"

#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

Result<Ed25519PublicKey> Ed25519PublicKey::from_bytes(ByteView bytes) {
  detail::sodium_ready();
  auto array = BULWARK_TRY(to_array<ed25519_public_key_bytes>(bytes));
  if (crypto_core_ed25519_is_valid_point(detail::uc(array.data())) != 1) {
    return fail(Errc::invalid_encoding, "not a canonical Ed25519 point of prime order");
  }
  return Ed25519PublicKey(array);
}

Result<Ed25519SecretKey> Ed25519SecretKey::from_seed(ByteView seed) {
  detail::sodium_ready();
  if (seed.size() != ed25519_seed_bytes) {
    return fail(Errc::invalid_length, "Ed25519 seed must be 32 bytes");
  }
  SecretBytes expanded(crypto_sign_ed25519_SECRETKEYBYTES);
  std::array<std::byte, ed25519_public_key_bytes> public_key{};
  crypto_sign_ed25519_seed_keypair(detail::uc(public_key.data()),
                                   detail::uc(expanded.writable().data()),
                                   detail::uc(seed.data()));
  return Ed25519SecretKey(SecretBytes::copy_of(seed), std::move(expanded));
}

Ed25519SecretKey Ed25519SecretKey::clone() const {
  return Ed25519SecretKey(seed_.clone(), expanded_.clone());
}

Ed25519PublicKey Ed25519SecretKey::public_key() const {
  std::array<std::byte, ed25519_public_key_bytes> out{};
  const ByteView stored = expanded_.view().subspan(ed25519_seed_bytes);
  std::copy(stored.begin(), stored.end(), out.begin());
  return Ed25519PublicKey(out);
}

Ed25519KeyPair ed25519_keypair(Rng& rng) {
  SecretBytes seed(ed25519_seed_bytes);
  rng.fill(seed.writable());
  auto secret = Ed25519SecretKey::from_seed(seed.view());
  if (!secret) contract_violation("32-byte Ed25519 seed rejected");
  Ed25519PublicKey public_key = secret->public_key();
  return {std::move(*secret), public_key};
}

Ed25519Signature ed25519_sign(const Ed25519SecretKey& secret, ByteView message) noexcept {
  detail::sodium_ready();
  Ed25519Signature signature{};
  crypto_sign_ed25519_detached(detail::uc(signature.data()), nullptr, detail::uc(message.data()),
                               message.size(), detail::uc(secret.expanded_.view().data()));
  return signature;
}

Result<void> ed25519_verify(const Ed25519PublicKey& key, ByteView message, ByteView signature) {
  detail::sodium_ready();
  if (signature.size() != ed25519_signature_bytes) {
    return fail(Errc::auth_failed, "signature verification failed");
  }
  if (crypto_sign_ed25519_verify_detached(detail::uc(signature.data()), detail::uc(message.data()),
                                          message.size(), detail::uc(key.bytes().data())) != 0) {
    return fail(Errc::auth_failed, "signature verification failed");
  }
  return {};
}

}  // namespace bulwark::crypto
