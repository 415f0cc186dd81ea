// TreeKEM decap: a member processes a committer's UpdatePath (RFC 9420 §7.5, §12.4.2).
//
// Every member checks the whole path's shape (one node per filtered-direct-path node, one
// ciphertext per resolution node), not only the part it decrypts, so that members agree on
// which commits are acceptable.
#include <algorithm>
#include <string>
#include <utility>

#include "protocol/mls/tree/path_secrets.h"
#include "protocol/mls/tree/treekem.h"

namespace bulwark::protocol::mls {
namespace {

Result<void> check_shape(const PublicTree& tree, const std::vector<PathStep>& path,
                         const UpdatePath& update, std::span<const LeafIndex> joiners) {
  if (update.nodes.size() != path.size()) {
    return fail(Errc::invalid_message, "the UpdatePath has " + std::to_string(update.nodes.size()) +
                                           " nodes, the committer's filtered direct path " +
                                           std::to_string(path.size()));
  }
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::size_t want = tree.resolution(path[i].copath_child, joiners).size();
    if (update.nodes[i].encrypted_path_secret.size() != want) {
      return fail(Errc::invalid_message,
                  "UpdatePath node " + std::to_string(i) + " has " +
                      std::to_string(update.nodes[i].encrypted_path_secret.size()) +
                      " ciphertexts for a resolution of " + std::to_string(want));
    }
  }
  return {};
}

}  // namespace

Result<DecapResult> TreeKemPrivate::decap(const PublicTree& tree, LeafIndex sender,
                                          const UpdatePath& update, ByteView group_context,
                                          std::span<const LeafIndex> joiners) {
  if (sender == leaf_ || !tree.leaf(sender)) {
    return fail(Errc::invalid_argument, "decap of an UpdatePath from itself or a blank leaf");
  }
  const CipherSuite& suite = tree.suite();
  const std::vector<PathStep> path = tree.filtered_direct_path(sender);
  BULWARK_TRY(check_shape(tree, path, update, joiners));
  const auto ancestor = common_ancestor(to_node(leaf_), to_node(sender), tree.leaf_count());
  const auto at = std::find_if(path.begin(), path.end(),
                               [&](const PathStep& s) { return ancestor && s.node == *ancestor; });
  if (at == path.end()) {
    return fail(Errc::invalid_message, "the common ancestor is not on the committer's path");
  }
  const auto first = static_cast<std::size_t>(at - path.begin());
  const std::vector<NodeIndex> targets = tree.resolution(at->copath_child, joiners);
  const auto mine = std::find_if(targets.begin(), targets.end(),
                                 [&](NodeIndex n) { return key_at(n) != nullptr; });
  if (mine == targets.end()) {
    return fail(Errc::invalid_message, "no held key decrypts the UpdatePath");
  }
  const HPKECiphertext& sealed =
      update.nodes[first].encrypted_path_secret[static_cast<std::size_t>(mine - targets.begin())];
  SecretBytes secret = BULWARK_TRY(suite.decrypt_with_label(
      *key_at(*mine), "UpdatePathNode", group_context, sealed.kem_output, sealed.ciphertext));
  DecapResult out{{}, at->node, secret.clone()};

  std::map<NodeIndex, crypto::X25519SecretKey> derived;
  for (std::size_t i = first; i < path.size(); ++i) {
    crypto::HpkeDerivedKey key = BULWARK_TRY(node_key_from_path_secret(suite, secret.view()));
    const ByteView got = key.public_key.bytes();
    const Bytes& sent = update.nodes[i].encryption_key;
    if (!std::equal(got.begin(), got.end(), sent.begin(), sent.end())) {
      return fail(Errc::auth_failed, "node " + path[i].node.to_string() +
                                         ": the path secret does not give the UpdatePath's key");
    }
    derived.emplace(path[i].node, std::move(key.secret_key));
    secret = BULWARK_TRY(next_path_secret(suite, secret.view()));
  }
  out.commit_secret = std::move(secret);
  prune(tree);
  for (auto& [node, key] : derived) keys_.insert_or_assign(node, std::move(key));
  return out;
}

}  // namespace bulwark::protocol::mls
