// TreeKemPrivate's state: the keys a member holds, setting them from path secrets, and the
// joiner's setup. encap and decap are in treekem_encap.cpp and treekem_decap.cpp.
#include "protocol/mls/tree/treekem.h"

#include <algorithm>
#include <string>
#include <utility>

#include "protocol/mls/tree/path_secrets.h"

namespace bulwark::protocol::mls {
namespace {

bool same_bytes(ByteView a, ByteView b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// Whether `key` is the private key of the public key at `node`.
bool matches(const PublicTree& tree, NodeIndex node, const crypto::X25519SecretKey& key) {
  return !tree.blank(node) && same_bytes(key.public_key().bytes(), tree.encryption_key(node));
}

}  // namespace

const SecretBytes* EncapResult::path_secret_at(NodeIndex node) const noexcept {
  for (const NodePathSecret& entry : path_secrets) {
    if (entry.node == node) return &entry.secret;
  }
  return nullptr;
}

TreeKemPrivate::TreeKemPrivate(LeafIndex leaf, crypto::X25519SecretKey leaf_key) : leaf_(leaf) {
  keys_.emplace(to_node(leaf), std::move(leaf_key));
}

TreeKemPrivate TreeKemPrivate::clone() const {
  TreeKemPrivate out(leaf_, keys_.at(to_node(leaf_)).clone());
  for (const auto& [node, key] : keys_) {
    if (node != to_node(leaf_)) out.keys_.emplace(node, key.clone());
  }
  return out;
}

const crypto::X25519SecretKey* TreeKemPrivate::key_at(NodeIndex node) const noexcept {
  const auto found = keys_.find(node);
  return found == keys_.end() ? nullptr : &found->second;
}

std::vector<NodeIndex> TreeKemPrivate::known_nodes() const {
  std::vector<NodeIndex> out;
  out.reserve(keys_.size());
  for (const auto& entry : keys_) out.push_back(entry.first);
  return out;
}

void TreeKemPrivate::set_leaf_key(crypto::X25519SecretKey key) {
  keys_.insert_or_assign(to_node(leaf_), std::move(key));
}

Result<void> TreeKemPrivate::set_path_secret(const PublicTree& tree, NodeIndex node,
                                             ByteView path_secret) {
  crypto::HpkeDerivedKey derived =
      BULWARK_TRY(node_key_from_path_secret(tree.suite(), path_secret));
  if (!matches(tree, node, derived.secret_key)) {
    return fail(Errc::invalid_message,
                "node " + node.to_string() + ": the path secret does not give the tree's key");
  }
  keys_.insert_or_assign(node, std::move(derived.secret_key));
  return {};
}

Result<void> TreeKemPrivate::join(const PublicTree& tree, LeafIndex committer,
                                  ByteView path_secret) {
  const auto ancestor = common_ancestor(to_node(leaf_), to_node(committer), tree.leaf_count());
  const std::vector<PathStep> path = tree.filtered_direct_path(committer);
  auto step = std::find_if(path.begin(), path.end(),
                           [&](const PathStep& s) { return ancestor && s.node == *ancestor; });
  if (step == path.end()) {
    return fail(Errc::invalid_message, "the common ancestor with the committer is not on its path");
  }
  std::map<NodeIndex, crypto::X25519SecretKey> derived;
  SecretBytes secret = SecretBytes::copy_of(path_secret);
  for (; step != path.end(); ++step) {
    crypto::HpkeDerivedKey key =
        BULWARK_TRY(node_key_from_path_secret(tree.suite(), secret.view()));
    if (!matches(tree, step->node, key.secret_key)) {
      return fail(Errc::invalid_message, "node " + step->node.to_string() +
                                             ": the Welcome's path secret does not give its key");
    }
    derived.emplace(step->node, std::move(key.secret_key));
    secret = BULWARK_TRY(next_path_secret(tree.suite(), secret.view()));
  }
  for (auto& [node, key] : derived) keys_.insert_or_assign(node, std::move(key));
  return {};
}

Result<void> TreeKemPrivate::check_consistent(const PublicTree& tree) const {
  for (const auto& [node, key] : keys_) {
    if (!matches(tree, node, key)) {
      return fail(Errc::invalid_message,
                  "node " + node.to_string() + ": the held private key is not the tree's");
    }
  }
  return {};
}

void TreeKemPrivate::prune(const PublicTree& tree) {
  std::erase_if(keys_, [&](const auto& entry) {
    return entry.first != to_node(leaf_) && !matches(tree, entry.first, entry.second);
  });
}

}  // namespace bulwark::protocol::mls
