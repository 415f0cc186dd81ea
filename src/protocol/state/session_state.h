// SessionState: one Double Ratchet session with one remote device (libsignal
// rust/protocol/src/state/session.rs), and its bounds:
//   - at most max_receiver_chains receiver chains; adding one evicts the oldest;
//   - at most max_skipped_message_keys stored skipped keys per chain; the oldest go first;
//   - a message may jump at most max_forward_jump keys ahead in its chain.
// A state is a value: the session cipher mutates a clone and commits it only on success.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/result.h"
#include "protocol/keys.h"
#include "protocol/ratchet/keys.h"
#include "protocol/ratchet/pq_ratchet.h"

namespace bulwark::protocol {

inline constexpr std::size_t max_receiver_chains = 5;
inline constexpr std::size_t max_skipped_message_keys = 2000;
inline constexpr std::uint32_t max_forward_jump = 25000;
// The forward-jump bound for archived states (see session_cipher.cpp).
inline constexpr std::uint32_t archived_max_forward_jump = 2000;

struct SenderChain {
  KeyPair ratchet_key;
  ratchet::ChainKey chain_key;

  [[nodiscard]] SenderChain clone() const { return {ratchet_key.clone(), chain_key.clone()}; }
};

struct ReceiverChain {
  PublicKey ratchet_key;
  ratchet::ChainKey chain_key;
  std::deque<ratchet::MessageKeySeed> skipped;  // newest first

  [[nodiscard]] ReceiverChain clone() const;
};

// What the initiator repeats in every message until the responder's first reply arrives:
// the PQXDH parameters the responder needs to build the same session.
struct PendingPreKey {
  std::optional<PreKeyId> pre_key_id;
  SignedPreKeyId signed_pre_key_id;
  PublicKey base_key;
  KyberPreKeyId kyber_pre_key_id;
  Bytes kyber_ciphertext;
  std::uint64_t created_ms = 0;
};

class SessionState {
 public:
  struct Identities {
    IdentityKey local;
    IdentityKey remote;
  };

  SessionState(std::uint8_t version, Identities identities, ratchet::RootKey root_key,
               SenderChain sender_chain, const PublicKey& alice_base_key,
               ratchet::PqRatchet pq_ratchet);

  [[nodiscard]] SessionState clone() const;

  [[nodiscard]] std::uint8_t version() const noexcept { return version_; }
  [[nodiscard]] const IdentityKey& local_identity() const noexcept { return identities_.local; }
  [[nodiscard]] const IdentityKey& remote_identity() const noexcept { return identities_.remote; }
  [[nodiscard]] const PublicKey& alice_base_key() const noexcept { return alice_base_key_; }

  [[nodiscard]] const ratchet::RootKey& root_key() const noexcept { return root_key_; }
  void set_root_key(ratchet::RootKey key) { root_key_ = std::move(key); }

  [[nodiscard]] const SenderChain& sender_chain() const noexcept { return sender_chain_; }
  void set_sender_chain(SenderChain chain) { sender_chain_ = std::move(chain); }
  void advance_sender_chain() { sender_chain_.chain_key = sender_chain_.chain_key.next(); }
  [[nodiscard]] std::uint32_t previous_counter() const noexcept { return previous_counter_; }
  void set_previous_counter(std::uint32_t counter) { previous_counter_ = counter; }

  [[nodiscard]] ReceiverChain* find_receiver_chain(const PublicKey& ratchet_key);
  // Oldest first.
  [[nodiscard]] const std::vector<ReceiverChain>& receiver_chains() const noexcept {
    return receivers_;
  }
  [[nodiscard]] std::size_t receiver_chain_count() const noexcept { return receivers_.size(); }
  // Appends a chain; beyond max_receiver_chains the oldest is dropped.
  void add_receiver_chain(const PublicKey& ratchet_key, ratchet::ChainKey chain_key);

  [[nodiscard]] const std::optional<PendingPreKey>& pending_pre_key() const noexcept {
    return pending_;
  }
  void set_pending_pre_key(PendingPreKey pending) { pending_ = std::move(pending); }
  void clear_pending_pre_key() { pending_.reset(); }

  [[nodiscard]] RegistrationId local_registration_id() const noexcept { return local_reg_; }
  [[nodiscard]] RegistrationId remote_registration_id() const noexcept { return remote_reg_; }
  void set_registration_ids(RegistrationId local, RegistrationId remote) {
    local_reg_ = local;
    remote_reg_ = remote;
  }

  [[nodiscard]] ratchet::PqRatchet& pq_ratchet() noexcept { return pq_ratchet_; }
  [[nodiscard]] const ratchet::PqRatchet& pq_ratchet() const noexcept { return pq_ratchet_; }

 private:
  std::uint8_t version_;
  Identities identities_;
  ratchet::RootKey root_key_;
  SenderChain sender_chain_;
  std::uint32_t previous_counter_ = 0;
  std::vector<ReceiverChain> receivers_;  // oldest first
  std::optional<PendingPreKey> pending_;
  RegistrationId local_reg_;
  RegistrationId remote_reg_;
  PublicKey alice_base_key_;
  ratchet::PqRatchet pq_ratchet_;
};

// Stores `seed` as a skipped key of `chain`, newest first, evicting the oldest beyond the bound.
void store_skipped_key(ReceiverChain& chain, ratchet::MessageKeySeed seed);

// Removes and returns the skipped key for `counter`, if the chain holds it.
[[nodiscard]] std::optional<ratchet::MessageKeySeed> take_skipped_key(ReceiverChain& chain,
                                                                      std::uint32_t counter);

}  // namespace bulwark::protocol
