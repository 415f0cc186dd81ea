#include "protocol/mls/group/private_tree.h"

#include <algorithm>
#include <utility>

#include "protocol/mls/tree/treekem.h"

namespace bulwark::protocol::mls {
namespace {

std::vector<NodeSecret> clone_secrets(const std::vector<NodeSecret>& secrets) {
  std::vector<NodeSecret> out;
  out.reserve(secrets.size());
  for (const NodeSecret& entry : secrets) out.push_back({entry.node, entry.secret.clone()});
  return out;
}

// Puts `entry` in `secrets` (kept sorted by node), replacing one for the same node.
void put_secret(std::vector<NodeSecret>& secrets, NodeSecret entry) {
  const auto at =
      std::lower_bound(secrets.begin(), secrets.end(), entry.node,
                       [](const NodeSecret& held, NodeIndex node) { return held.node < node; });
  if (at != secrets.end() && at->node == entry.node) {
    at->secret = std::move(entry.secret);
    return;
  }
  secrets.insert(at, std::move(entry));
}

}  // namespace

const SecretBytes* PathEncap::secret_at(NodeIndex node) const noexcept {
  for (const NodeSecret& entry : path_secrets) {
    if (entry.node == node) return &entry.secret;
  }
  return nullptr;
}

PrivateTree::PrivateTree(LeafIndex leaf, crypto::X25519SecretKey leaf_key)
    : kem_(std::make_unique<TreeKemPrivate>(leaf, std::move(leaf_key))) {}

PrivateTree::PrivateTree(std::unique_ptr<TreeKemPrivate> kem, std::vector<NodeSecret> secrets)
    : kem_(std::move(kem)), secrets_(std::move(secrets)) {}

PrivateTree::PrivateTree(PrivateTree&&) noexcept = default;
PrivateTree& PrivateTree::operator=(PrivateTree&&) noexcept = default;
PrivateTree::~PrivateTree() = default;

PrivateTree PrivateTree::clone() const {
  return PrivateTree(std::make_unique<TreeKemPrivate>(kem_->clone()), clone_secrets(secrets_));
}

LeafIndex PrivateTree::leaf() const noexcept { return kem_->leaf(); }

const crypto::X25519SecretKey& PrivateTree::leaf_key() const noexcept {
  const crypto::X25519SecretKey* key = kem_->key_at(to_node(kem_->leaf()));
  if (key == nullptr) contract_violation("MLS private tree without its leaf key");
  return *key;
}

void PrivateTree::set_leaf_key(crypto::X25519SecretKey key) { kem_->set_leaf_key(std::move(key)); }

void PrivateTree::keep_held_only() {
  const std::vector<NodeIndex> held = kem_->known_nodes();
  std::erase_if(secrets_, [&](const NodeSecret& entry) {
    return !std::binary_search(held.begin(), held.end(), entry.node);
  });
}

void PrivateTree::prune(const PublicTree& tree) {
  kem_->prune(tree);
  keep_held_only();
}

Result<void> PrivateTree::restore(const PublicTree& tree, std::span<const NodeSecret> secrets) {
  TreeKemPrivate kem = kem_->clone();
  std::vector<NodeSecret> kept = clone_secrets(secrets_);
  for (const NodeSecret& entry : secrets) {
    BULWARK_TRY(kem.set_path_secret(tree, entry.node, entry.secret.view()));
    put_secret(kept, {entry.node, entry.secret.clone()});
  }
  *kem_ = std::move(kem);
  secrets_ = std::move(kept);
  return {};
}

Result<void> PrivateTree::record_path(const PublicTree& tree, LeafIndex sender, NodeIndex from,
                                      ByteView secret) {
  const std::vector<PathStep> steps = tree.filtered_direct_path(sender);
  auto at = std::find_if(steps.begin(), steps.end(),
                         [&](const PathStep& step) { return step.node == from; });
  if (at == steps.end()) {
    return fail(Errc::invalid_message, "path secret for a node off the committer's path");
  }
  std::vector<NodeSecret> updated = clone_secrets(secrets_);
  SecretBytes current = SecretBytes::copy_of(secret);
  for (; at != steps.end(); ++at) {
    SecretBytes next = BULWARK_TRY(tree.suite().derive_secret(current.view(), "path"));
    put_secret(updated, {at->node, std::move(current)});
    current = std::move(next);
  }
  secrets_ = std::move(updated);
  keep_held_only();
  return {};
}

Result<void> PrivateTree::join(const PublicTree& tree, LeafIndex committer, ByteView path_secret) {
  TreeKemPrivate kem = kem_->clone();
  BULWARK_TRY(kem.join(tree, committer, path_secret));
  const auto ancestor = common_ancestor(to_node(kem.leaf()), to_node(committer), tree.leaf_count());
  if (!ancestor) return fail(Errc::invalid_message, "Welcome signer outside the tree");
  std::unique_ptr<TreeKemPrivate> previous =
      std::exchange(kem_, std::make_unique<TreeKemPrivate>(std::move(kem)));
  auto recorded = record_path(tree, committer, *ancestor, path_secret);
  if (!recorded) {
    kem_ = std::move(previous);
    return tl::unexpected(std::move(recorded).error());
  }
  return {};
}

Result<PathEncap> PrivateTree::encap(PublicTree& tree, const LeafNode& leaf_template,
                                     const crypto::Ed25519SecretKey& signer,
                                     GroupContext provisional, std::span<const LeafIndex> joiners,
                                     Rng& rng) {
  TreeKemPrivate kem = kem_->clone();
  EncapResult result =
      BULWARK_TRY(kem.encap(tree, leaf_template, signer, std::move(provisional), joiners, rng));
  PathEncap out{
      std::move(result.path), std::move(result.commit_secret), {}, std::move(result.group_context)};
  std::vector<NodeSecret> updated = clone_secrets(secrets_);
  for (NodePathSecret& entry : result.path_secrets) {
    put_secret(updated, {entry.node, entry.secret.clone()});
    out.path_secrets.push_back({entry.node, std::move(entry.secret)});
  }
  *kem_ = std::move(kem);
  secrets_ = std::move(updated);
  keep_held_only();
  return out;
}

Result<SecretBytes> PrivateTree::decap(const PublicTree& tree, LeafIndex sender,
                                       const UpdatePath& path, ByteView group_context,
                                       std::span<const LeafIndex> joiners) {
  TreeKemPrivate kem = kem_->clone();
  DecapResult result = BULWARK_TRY(kem.decap(tree, sender, path, group_context, joiners));
  std::unique_ptr<TreeKemPrivate> previous =
      std::exchange(kem_, std::make_unique<TreeKemPrivate>(std::move(kem)));
  auto recorded = record_path(tree, sender, result.decrypted_at, result.path_secret.view());
  if (!recorded) {
    kem_ = std::move(previous);
    return tl::unexpected(std::move(recorded).error());
  }
  return std::move(result.commit_secret);
}

}  // namespace bulwark::protocol::mls
