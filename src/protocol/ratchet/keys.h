// The Double Ratchet's key schedule as libsignal computes it (rust/protocol/src/ratchet/keys.rs;
// Signal's Double Ratchet specification §2, §5.2):
//   root step   (RK', CK) = HKDF(salt = RK, ikm = DH(ours, theirs), "WhisperRatchet", 64)
//   chain step  seed = HMAC-SHA256(CK, 0x01), CK' = HMAC-SHA256(CK, 0x02)
//   message key HKDF(salt = SPQR key or none, ikm = seed, "WhisperMessageKeys", 80)
//               = AES-256 key (32) || HMAC key (32) || CBC IV (16)
// Skipped message keys are stored as their seeds, because the SPQR key that salts the final
// derivation arrives with the message itself.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/keys.h"

namespace bulwark::protocol::ratchet {

inline constexpr std::size_t key_bytes = 32;

struct MessageKeys {
  SecretBytes cipher_key;  // 32
  SecretBytes mac_key;     // 32
  SecretBytes iv;          // 16
  std::uint32_t counter = 0;
};

// A chain step's output before the SPQR key is mixed in.
struct MessageKeySeed {
  SecretBytes seed;
  std::uint32_t counter = 0;

  [[nodiscard]] MessageKeySeed clone() const { return {seed.clone(), counter}; }
  // `pq_key` is the SPQR message key when the message carried one (32 bytes), else empty.
  [[nodiscard]] MessageKeys derive(ByteView pq_key) const;
};

class ChainKey {
 public:
  ChainKey(SecretBytes key, std::uint32_t index) : key_(std::move(key)), index_(index) {}
  [[nodiscard]] ChainKey clone() const { return {key_.clone(), index_}; }
  [[nodiscard]] std::uint32_t index() const noexcept { return index_; }
  [[nodiscard]] const SecretBytes& key() const noexcept { return key_; }
  [[nodiscard]] MessageKeySeed message_key_seed() const;
  [[nodiscard]] ChainKey next() const;

 private:
  SecretBytes key_;
  std::uint32_t index_;
};

struct RootAndChain;

class RootKey {
 public:
  explicit RootKey(SecretBytes key) : key_(std::move(key)) {}
  [[nodiscard]] RootKey clone() const { return RootKey(key_.clone()); }
  [[nodiscard]] const SecretBytes& key() const noexcept { return key_; }
  // One DH ratchet step: mixes DH(ours, theirs) into the root key.
  [[nodiscard]] Result<RootAndChain> create_chain(const PublicKey& theirs,
                                                  const KeyPair& ours) const;

 private:
  SecretBytes key_;
};

struct RootAndChain {
  RootKey root;
  ChainKey chain;
};

}  // namespace bulwark::protocol::ratchet
