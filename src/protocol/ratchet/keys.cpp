#include "protocol/ratchet/keys.h"

#include "crypto/kdf.h"
#include "crypto/mac.h"

namespace bulwark::protocol::ratchet {
namespace {

constexpr std::byte message_key_seed_input{0x01};
constexpr std::byte chain_key_seed_input{0x02};

SecretBytes hmac_secret(const SecretBytes& key, std::byte input) {
  auto tag = crypto::hmac_sha256(key.view(), ByteView(&input, 1));
  SecretBytes out = SecretBytes::copy_of(tag);
  secure_wipe(tag);
  return out;
}

SecretBytes slice(const SecretBytes& from, std::size_t offset, std::size_t length) {
  return SecretBytes::copy_of(from.view().subspan(offset, length));
}

}  // namespace

MessageKeys MessageKeySeed::derive(ByteView pq_key) const {
  // Inputs are fixed-size and the info is short, so HKDF cannot fail here.
  auto okm = crypto::hkdf_sha256(seed.view(), pq_key, as_bytes("WhisperMessageKeys"), 80);
  if (!okm) contract_violation("message key derivation failed");
  return {slice(*okm, 0, 32), slice(*okm, 32, 32), slice(*okm, 64, 16), counter};
}

MessageKeySeed ChainKey::message_key_seed() const {
  return {hmac_secret(key_, message_key_seed_input), index_};
}

ChainKey ChainKey::next() const { return {hmac_secret(key_, chain_key_seed_input), index_ + 1}; }

Result<RootAndChain> RootKey::create_chain(const PublicKey& theirs, const KeyPair& ours) const {
  SecretBytes shared = BULWARK_TRY(ours.agree(theirs));
  auto okm = BULWARK_TRY(crypto::hkdf_sha256(shared.view(), key_.view(),
                                              as_bytes("WhisperRatchet"), 64));
  return RootAndChain{RootKey(slice(okm, 0, 32)), ChainKey(slice(okm, 32, 32), 0)};
}

}  // namespace bulwark::protocol::ratchet
