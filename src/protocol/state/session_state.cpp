#include "protocol/state/session_state.h"

#include <algorithm>

namespace bulwark::protocol {

ReceiverChain ReceiverChain::clone() const {
  ReceiverChain copy{ratchet_key, chain_key.clone(), {}};
  for (const auto& seed : skipped) copy.skipped.push_back(seed.clone());
  return copy;
}

SessionState::SessionState(std::uint8_t version, Identities identities, ratchet::RootKey root_key,
                           SenderChain sender_chain, const PublicKey& alice_base_key,
                           ratchet::PqRatchet pq_ratchet)
    : version_(version),
      identities_(std::move(identities)),
      root_key_(std::move(root_key)),
      sender_chain_(std::move(sender_chain)),
      alice_base_key_(alice_base_key),
      pq_ratchet_(std::move(pq_ratchet)) {}

SessionState SessionState::clone() const {
  SessionState copy(version_, identities_, root_key_.clone(), sender_chain_.clone(),
                    alice_base_key_, pq_ratchet_.clone());
  copy.previous_counter_ = previous_counter_;
  copy.receivers_.reserve(receivers_.size());
  for (const auto& chain : receivers_) copy.receivers_.push_back(chain.clone());
  copy.pending_ = pending_;
  copy.local_reg_ = local_reg_;
  copy.remote_reg_ = remote_reg_;
  return copy;
}

ReceiverChain* SessionState::find_receiver_chain(const PublicKey& ratchet_key) {
  auto found = std::find_if(receivers_.begin(), receivers_.end(),
                            [&](const ReceiverChain& c) { return c.ratchet_key == ratchet_key; });
  return found == receivers_.end() ? nullptr : &*found;
}

void SessionState::add_receiver_chain(const PublicKey& ratchet_key, ratchet::ChainKey chain_key) {
  receivers_.push_back(ReceiverChain{ratchet_key, std::move(chain_key), {}});
  if (receivers_.size() > max_receiver_chains) receivers_.erase(receivers_.begin());
}

void store_skipped_key(ReceiverChain& chain, ratchet::MessageKeySeed seed) {
  chain.skipped.push_front(std::move(seed));
  if (chain.skipped.size() > max_skipped_message_keys) chain.skipped.pop_back();
}

std::optional<ratchet::MessageKeySeed> take_skipped_key(ReceiverChain& chain,
                                                        std::uint32_t counter) {
  auto found = std::find_if(chain.skipped.begin(), chain.skipped.end(),
                            [&](const auto& seed) { return seed.counter == counter; });
  if (found == chain.skipped.end()) return std::nullopt;
  auto seed = std::move(*found);
  chain.skipped.erase(found);
  return seed;
}

}  // namespace bulwark::protocol
