#include "protocol/keys.h"

#include <algorithm>
#include <utility>

namespace bulwark::protocol {

Result<PublicKey> PublicKey::deserialize(ByteView bytes) {
  if (bytes.empty()) return fail(Errc::invalid_encoding, "EC public key: no key type byte");
  if (bytes[0] != ec_key_type) return fail(Errc::invalid_encoding, "EC public key: bad key type");
  if (bytes.size() != ec_public_key_bytes)
    return fail(Errc::invalid_length, "EC public key: expected 33 bytes");
  auto key = BULWARK_TRY(crypto::X25519PublicKey::from_bytes(bytes.subspan(1)));
  return PublicKey(key);
}

PublicKey::Serialized PublicKey::serialize() const {
  Serialized out{};
  out[0] = ec_key_type;
  std::copy(key_.bytes().begin(), key_.bytes().end(), out.begin() + 1);
  return out;
}

Result<void> PublicKey::verify_signature(ByteView message, ByteView signature) const {
  return crypto::xeddsa_verify(key_, message, signature);
}

KeyPair KeyPair::generate(Rng& rng) {
  auto pair = crypto::x25519_keypair(rng);
  return {std::move(pair.secret_key), PublicKey(pair.public_key)};
}

Result<KeyPair> KeyPair::from_secret(ByteView secret) {
  auto key = BULWARK_TRY(crypto::X25519SecretKey::from_bytes(secret));
  PublicKey public_key(key.public_key());
  return KeyPair(std::move(key), public_key);
}

crypto::XEdDsaSignature KeyPair::sign(ByteView message, Rng& rng) const {
  return crypto::xeddsa_sign(secret_, message, rng);
}

Result<SecretBytes> KeyPair::agree(const PublicKey& peer) const {
  return crypto::x25519(secret_, peer.key());
}

Result<KyberPublicKey> KyberPublicKey::deserialize(ByteView bytes) {
  if (bytes.empty()) return fail(Errc::invalid_encoding, "KEM public key: no key type byte");
  if (bytes[0] != crypto::kyber1024::key_type)
    return fail(Errc::invalid_encoding, "KEM public key: bad KEM key type");
  if (bytes.size() != kyber_public_key_bytes)
    return fail(Errc::invalid_length, "KEM public key: expected 1569 bytes");
  BULWARK_TRY(crypto::kyber1024::check_public_key(bytes.subspan(1)));
  return KyberPublicKey(to_bytes(bytes));
}

KyberKeyPair KyberKeyPair::generate(Rng& rng) {
  auto pair = crypto::kyber1024::keypair(rng);
  Bytes serialized = concat({ByteView(&crypto::kyber1024::key_type, 1), pair.public_key});
  return {KyberPublicKey::deserialize(serialized).value(), std::move(pair.secret_key)};
}

Result<KyberEncapsulation> kyber_encapsulate(const KyberPublicKey& key, Rng& rng) {
  auto encapsulation = BULWARK_TRY(crypto::kyber1024::encapsulate(key.raw(), rng));
  return KyberEncapsulation{
      concat({ByteView(&crypto::kyber1024::key_type, 1), encapsulation.ciphertext}),
      std::move(encapsulation.shared_secret)};
}

Result<SecretBytes> kyber_decapsulate(const KyberKeyPair& pair, ByteView serialized_ciphertext) {
  if (serialized_ciphertext.empty() || serialized_ciphertext[0] != crypto::kyber1024::key_type)
    return fail(Errc::invalid_encoding, "KEM ciphertext: bad KEM key type");
  if (serialized_ciphertext.size() != kyber_ciphertext_bytes)
    return fail(Errc::invalid_length, "KEM ciphertext: expected 1569 bytes");
  return crypto::kyber1024::decapsulate(pair.secret_key(), serialized_ciphertext.subspan(1));
}

}  // namespace bulwark::protocol
