// SecretTree as plain values and back (secret_tree.h), for a group's encrypted local store.
// A restored tree must keep the invariants the lazy derivation relies on: every leaf is
// covered by exactly one stored node secret on its path or by its own ratchets.
#include <set>
#include <string>
#include <utility>

#include "protocol/mls/secret_tree.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::uint64_t generation_limit = std::uint64_t{1} << 32;

Result<void> bad(const std::string& what) {
  return fail(Errc::invalid_encoding, "secret tree state: " + what);
}

SecretTreeSnapshot::Ratchet ratchet_values(std::uint64_t next_generation, const SecretBytes& secret,
                                           std::uint64_t oldest_kept,
                                           const std::map<std::uint32_t, KeyAndNonce>& skipped) {
  SecretTreeSnapshot::Ratchet out{next_generation, secret.clone(), oldest_kept, {}};
  for (const auto& [generation, key] : skipped) {
    out.skipped.emplace_back(generation, KeyAndNonce{key.key.clone(), key.nonce.clone()});
  }
  return out;
}

Result<void> check_ratchet(const CipherSuite& suite, const SecretTreeSnapshot::Ratchet& ratchet,
                           const SecretTreeLimits& limits) {
  if (ratchet.secret.size() != CipherSuite::hash_size()) return bad("ratchet secret size");
  if (ratchet.next_generation > generation_limit || ratchet.oldest_kept > ratchet.next_generation) {
    return bad("ratchet generations");
  }
  if (ratchet.skipped.size() > limits.max_skipped) return bad("too many skipped keys");
  std::uint64_t floor = ratchet.oldest_kept;
  for (const auto& [generation, key] : ratchet.skipped) {
    if (generation < floor || generation >= ratchet.next_generation) {
      return bad("skipped key generations");
    }
    floor = std::uint64_t{generation} + 1;
    if (key.key.size() != suite.aead_key_size() ||
        key.nonce.size() != CipherSuite::aead_nonce_size()) {
      return bad("skipped key size");
    }
  }
  return {};
}

// Exactly one stored secret or ratcheted leaf covers each leaf: none is below another, and
// together their subtrees hold n_leaves leaves.
Result<void> check_cover(const SecretTreeSnapshot& snapshot) {
  std::set<std::uint32_t> covering;
  for (const auto& entry : snapshot.node_secrets) covering.insert(entry.first);
  for (const auto& leaf : snapshot.leaves) covering.insert(to_node(LeafIndex(leaf.leaf)).value());
  if (covering.size() != snapshot.node_secrets.size() + snapshot.leaves.size()) {
    return bad("a leaf is stored twice");
  }
  std::uint64_t covered = 0;
  for (const std::uint32_t node : covering) {
    covered += std::uint64_t{1} << level(NodeIndex(node));
    for (auto up = parent(NodeIndex(node), snapshot.n_leaves); up;
         up = parent(*up, snapshot.n_leaves)) {
      if (covering.contains(up->value())) return bad("overlapping node secrets");
    }
  }
  if (covered != snapshot.n_leaves) return bad("leaves without a secret");
  return {};
}

Result<void> check_snapshot(const CipherSuite& suite, const SecretTreeSnapshot& snapshot,
                            const SecretTreeLimits& limits) {
  if (!valid_leaf_count(snapshot.n_leaves)) return bad("leaf count");
  std::int64_t last = -1;
  for (const auto& [node, secret] : snapshot.node_secrets) {
    if (!in_tree(NodeIndex(node), snapshot.n_leaves) || node <= last) return bad("node order");
    if (secret.size() != CipherSuite::hash_size()) return bad("node secret size");
    last = node;
  }
  last = -1;
  for (const auto& leaf : snapshot.leaves) {
    if (leaf.leaf >= snapshot.n_leaves || leaf.leaf <= last) return bad("leaf order");
    BULWARK_TRY(check_ratchet(suite, leaf.handshake, limits));
    BULWARK_TRY(check_ratchet(suite, leaf.application, limits));
    last = leaf.leaf;
  }
  return check_cover(snapshot);
}

}  // namespace

SecretTreeSnapshot SecretTree::snapshot() const {
  SecretTreeSnapshot out;
  out.n_leaves = n_leaves_;
  for (const auto& [node, secret] : node_secrets_)
    out.node_secrets.emplace_back(node, secret.clone());
  for (const auto& [leaf, ratchets] : leaves_) {
    const HashRatchet& hs = ratchets.handshake;
    const HashRatchet& app = ratchets.application;
    out.leaves.push_back(
        {leaf, ratchet_values(hs.next_generation, hs.secret, hs.oldest_kept, hs.skipped),
         ratchet_values(app.next_generation, app.secret, app.oldest_kept, app.skipped)});
  }
  return out;
}

Result<SecretTree> SecretTree::restore(const CipherSuite& suite, SecretTreeSnapshot snapshot,
                                       SecretTreeLimits limits) {
  BULWARK_TRY(check_snapshot(suite, snapshot, limits));
  SecretTree tree(suite, snapshot.n_leaves, limits);
  for (auto& [node, secret] : snapshot.node_secrets)
    tree.node_secrets_.emplace(node, std::move(secret));
  auto rebuild = [](SecretTreeSnapshot::Ratchet& values) {
    HashRatchet ratchet;
    ratchet.next_generation = values.next_generation;
    ratchet.secret = std::move(values.secret);
    ratchet.oldest_kept = values.oldest_kept;
    for (auto& [generation, key] : values.skipped)
      ratchet.skipped.emplace(generation, std::move(key));
    return ratchet;
  };
  for (auto& leaf : snapshot.leaves) {
    tree.leaves_.emplace(leaf.leaf,
                         LeafRatchets{rebuild(leaf.handshake), rebuild(leaf.application)});
  }
  return tree;
}

}  // namespace bulwark::protocol::mls
