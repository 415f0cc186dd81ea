#include "protocol/mls/secret_tree.h"

#include <algorithm>
#include <limits>
#include <string>

namespace bulwark::protocol::mls {
namespace {

constexpr std::uint64_t max_generation = std::numeric_limits<std::uint32_t>::max();

std::uint16_t nh() { return static_cast<std::uint16_t>(CipherSuite::hash_size()); }

Result<KeyAndNonce> generation_key(const CipherSuite& suite, ByteView secret,
                                   std::uint32_t generation) {
  KeyAndNonce out;
  out.key = BULWARK_TRY(suite.derive_tree_secret(
      secret, "key", generation, static_cast<std::uint16_t>(suite.aead_key_size())));
  out.nonce = BULWARK_TRY(suite.derive_tree_secret(
      secret, "nonce", generation, static_cast<std::uint16_t>(CipherSuite::aead_nonce_size())));
  return out;
}

RatchetKey with_generation(std::uint32_t generation, KeyAndNonce key) {
  return RatchetKey{generation, std::move(key.key), std::move(key.nonce)};
}

}  // namespace

Result<SecretTree> SecretTree::create(const CipherSuite& suite, ByteView encryption_secret,
                                      std::uint32_t n_leaves, SecretTreeLimits limits) {
  if (!valid_leaf_count(n_leaves)) {
    return fail(Errc::invalid_argument, "secret tree leaf count is not a power of two");
  }
  if (encryption_secret.size() != CipherSuite::hash_size()) {
    return fail(Errc::invalid_length, "encryption_secret is not Nh bytes");
  }
  SecretTree tree(suite, n_leaves, limits);
  tree.node_secrets_.emplace(root(n_leaves).value(), SecretBytes::copy_of(encryption_secret));
  return tree;
}

SecretTree::HashRatchet SecretTree::HashRatchet::clone() const {
  HashRatchet copy;
  copy.next_generation = next_generation;
  copy.secret = secret.clone();
  copy.oldest_kept = oldest_kept;
  for (const auto& [generation, key] : skipped) {
    copy.skipped.emplace(generation, KeyAndNonce{key.key.clone(), key.nonce.clone()});
  }
  return copy;
}

SecretTree SecretTree::clone() const {
  SecretTree copy(suite_, n_leaves_, limits_);
  for (const auto& [node, secret] : node_secrets_) copy.node_secrets_.emplace(node, secret.clone());
  for (const auto& [leaf, ratchets] : leaves_) {
    copy.leaves_.emplace(leaf,
                         LeafRatchets{ratchets.handshake.clone(), ratchets.application.clone()});
  }
  return copy;
}

// Finds the one stored secret on the path from `target` up to the root and expands it down
// to `target`, erasing each parent once both its children exist.
Result<void> SecretTree::expand_down_to(NodeIndex target) {
  NodeIndex at = target;
  while (!node_secrets_.contains(at.value())) {
    const auto up = parent(at, n_leaves_);
    if (!up) contract_violation("MLS secret tree: no stored secret above a fresh leaf");
    at = *up;
  }
  while (at != target) {
    const auto found = node_secrets_.find(at.value());
    SecretBytes left_secret =
        BULWARK_TRY(suite_.expand_with_label(found->second.view(), "tree", as_bytes("left"), nh()));
    SecretBytes right_secret = BULWARK_TRY(
        suite_.expand_with_label(found->second.view(), "tree", as_bytes("right"), nh()));
    node_secrets_.erase(found);
    const NodeIndex left_node = *left(at);
    const NodeIndex right_node = *right(at);
    node_secrets_.emplace(left_node.value(), std::move(left_secret));
    node_secrets_.emplace(right_node.value(), std::move(right_secret));
    at = target < at ? left_node : right_node;
  }
  return {};
}

Result<SecretTree::HashRatchet*> SecretTree::ratchet(LeafIndex leaf, RatchetKind kind) {
  if (leaf.value() >= n_leaves_) return fail(Errc::invalid_message, "leaf outside the secret tree");
  auto found = leaves_.find(leaf.value());
  if (found == leaves_.end()) {
    const NodeIndex node = to_node(leaf);
    BULWARK_TRY(expand_down_to(node));
    const auto leaf_secret = node_secrets_.find(node.value());
    LeafRatchets ratchets;
    ratchets.handshake.secret =
        BULWARK_TRY(suite_.expand_with_label(leaf_secret->second.view(), "handshake", {}, nh()));
    ratchets.application.secret =
        BULWARK_TRY(suite_.expand_with_label(leaf_secret->second.view(), "application", {}, nh()));
    node_secrets_.erase(leaf_secret);
    found = leaves_.emplace(leaf.value(), std::move(ratchets)).first;
  }
  return kind == RatchetKind::handshake ? &found->second.handshake : &found->second.application;
}

// The key of the ratchet's current generation; the ratchet moves to the next one.
Result<RatchetKey> SecretTree::derive_step(HashRatchet& state) const {
  if (state.next_generation > max_generation) {
    return fail(Errc::capacity_exceeded, "MLS ratchet has used every generation");
  }
  const auto generation = static_cast<std::uint32_t>(state.next_generation);
  KeyAndNonce key = BULWARK_TRY(generation_key(suite_, state.secret.view(), generation));
  state.secret =
      BULWARK_TRY(suite_.derive_tree_secret(state.secret.view(), "secret", generation, nh()));
  ++state.next_generation;
  return with_generation(generation, std::move(key));
}

void SecretTree::keep_skipped(HashRatchet& state, std::uint32_t generation, KeyAndNonce key) const {
  state.skipped.emplace(generation, std::move(key));
  while (state.skipped.size() > limits_.max_skipped) {
    state.oldest_kept =
        std::max(state.oldest_kept, std::uint64_t{state.skipped.begin()->first} + 1);
    state.skipped.erase(state.skipped.begin());
  }
}

Result<RatchetKey> SecretTree::next(LeafIndex leaf, RatchetKind kind) {
  HashRatchet* const state = BULWARK_TRY(ratchet(leaf, kind));
  return derive_step(*state);
}

// The kept key of a generation the ratchet has passed, or why there is none.
Result<const KeyAndNonce*> SecretTree::past_key(const HashRatchet& state,
                                                std::uint32_t generation) const {
  const auto found = state.skipped.find(generation);
  if (found != state.skipped.end()) return &found->second;
  if (generation < state.oldest_kept) {
    return fail(Errc::invalid_message, "generation older than the keys kept");
  }
  return fail(Errc::duplicate_message,
              "generation " + std::to_string(generation) + " already used");
}

Result<RatchetKey> SecretTree::key_for(LeafIndex leaf, RatchetKind kind, std::uint32_t generation) {
  HashRatchet* const state = BULWARK_TRY(ratchet(leaf, kind));
  if (generation >= state->next_generation) return advance_to(*state, generation);
  BULWARK_TRY(past_key(*state, generation));
  const auto found = state->skipped.find(generation);
  RatchetKey out = with_generation(generation, std::move(found->second));
  state->skipped.erase(found);
  return out;
}

Result<RatchetKey> SecretTree::peek_key(LeafIndex leaf, RatchetKind kind,
                                        std::uint32_t generation) {
  const HashRatchet* const state = BULWARK_TRY(ratchet(leaf, kind));
  if (generation < state->next_generation) {
    const KeyAndNonce* const kept = BULWARK_TRY(past_key(*state, generation));
    return RatchetKey{generation, kept->key.clone(), kept->nonce.clone()};
  }
  if (generation - state->next_generation > limits_.max_forward) {
    return fail(Errc::invalid_message, "generation too far ahead of the ratchet");
  }
  SecretBytes secret = state->secret.clone();
  for (std::uint64_t at = state->next_generation; at < generation; ++at) {
    secret = BULWARK_TRY(
        suite_.derive_tree_secret(secret.view(), "secret", static_cast<std::uint32_t>(at), nh()));
  }
  KeyAndNonce key = BULWARK_TRY(generation_key(suite_, secret.view(), generation));
  return with_generation(generation, std::move(key));
}

Result<void> SecretTree::consume(LeafIndex leaf, RatchetKind kind, std::uint32_t generation) {
  HashRatchet* const state = BULWARK_TRY(ratchet(leaf, kind));
  if (generation != state->next_generation) {
    BULWARK_TRY(key_for(leaf, kind, generation));
    return {};
  }
  // advance_to(generation) would skip nothing and drop nothing: only derive_step's work is
  // left, less the key and nonce the caller already has.
  state->secret =
      BULWARK_TRY(suite_.derive_tree_secret(state->secret.view(), "secret", generation, nh()));
  ++state->next_generation;
  return {};
}

// Moves the ratchet to `generation` and returns its key, keeping the keys of the newest
// skipped generations. Generations that would fall out of the window at once are passed
// without deriving their keys.
Result<RatchetKey> SecretTree::advance_to(HashRatchet& state, std::uint32_t generation) const {
  if (generation - state.next_generation > limits_.max_forward) {
    return fail(Errc::invalid_message, "generation too far ahead of the ratchet");
  }
  const std::uint64_t first_kept =
      generation > limits_.max_skipped ? generation - limits_.max_skipped : 0;
  while (state.next_generation < generation) {
    if (state.next_generation >= first_kept) {
      RatchetKey skipped = BULWARK_TRY(derive_step(state));
      keep_skipped(state, skipped.generation,
                   KeyAndNonce{std::move(skipped.key), std::move(skipped.nonce)});
      continue;
    }
    const auto passed = static_cast<std::uint32_t>(state.next_generation);
    state.secret =
        BULWARK_TRY(suite_.derive_tree_secret(state.secret.view(), "secret", passed, nh()));
    ++state.next_generation;
    state.oldest_kept = state.next_generation;
  }
  // Keys kept from earlier jumps are older than the ones just passed: the window drops them.
  while (!state.skipped.empty() && state.skipped.begin()->first < state.oldest_kept) {
    state.skipped.erase(state.skipped.begin());
  }
  return derive_step(state);
}

Result<KeyAndNonce> sender_data_key_nonce(const CipherSuite& suite, ByteView sender_data_secret,
                                          ByteView ciphertext) {
  const ByteView sample = ciphertext.first(std::min(ciphertext.size(), CipherSuite::hash_size()));
  KeyAndNonce out;
  out.key = BULWARK_TRY(suite.expand_with_label(sender_data_secret, "key", sample,
                                                static_cast<std::uint16_t>(suite.aead_key_size())));
  out.nonce = BULWARK_TRY(
      suite.expand_with_label(sender_data_secret, "nonce", sample,
                              static_cast<std::uint16_t>(CipherSuite::aead_nonce_size())));
  return out;
}

}  // namespace bulwark::protocol::mls
