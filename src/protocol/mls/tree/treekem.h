// TreeKEM (RFC 9420 §7.4-7.6, §12.4.2, §12.4.3.1): a member's private view of the ratchet
// tree, and the UpdatePath a committer creates (encap) and every other member processes
// (decap).
//
// A TreeKemPrivate holds the HPKE private key of its member's leaf and of the parent nodes
// above it that the member knows (the tree invariant, §4.2): never of a node outside its
// direct path. Its operations change it only when they succeed, so a failed commit leaves the
// state as it was. Path secrets are kept only as long as an operation runs; an encap returns
// them because the committer's Welcome needs one (§12.4.3.1).
//
// The group context passed to encap/decap is the provisional one of §12.4.2: the new
// epoch's, with the tree hash of the tree after the UpdatePath and the old confirmed
// transcript hash.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/group_context.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/tree/public_tree.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

struct NodePathSecret {
  NodeIndex node;
  SecretBytes secret;
};

struct EncapResult {
  UpdatePath path;
  SecretBytes commit_secret;
  // One per node of the committer's filtered direct path, leaf to root.
  std::vector<NodePathSecret> path_secrets;
  // The serialized provisional GroupContext the path secrets were encrypted under.
  Bytes group_context;

  // The path secret at `node`, or nullptr if the path does not hold it.
  [[nodiscard]] const SecretBytes* path_secret_at(NodeIndex node) const noexcept;
};

struct DecapResult {
  SecretBytes commit_secret;
  // Where the member decrypted a path secret (the common ancestor with the committer), and
  // that secret.
  NodeIndex decrypted_at;
  SecretBytes path_secret;
};

class TreeKemPrivate {
 public:
  TreeKemPrivate(LeafIndex leaf, crypto::X25519SecretKey leaf_key);

  TreeKemPrivate(TreeKemPrivate&&) noexcept = default;
  TreeKemPrivate& operator=(TreeKemPrivate&&) noexcept = default;
  [[nodiscard]] TreeKemPrivate clone() const;

  [[nodiscard]] LeafIndex leaf() const noexcept { return leaf_; }
  // The private key of node `node` (the leaf's own included), or nullptr if unknown.
  [[nodiscard]] const crypto::X25519SecretKey* key_at(NodeIndex node) const noexcept;
  // The nodes whose private keys are held, in index order.
  [[nodiscard]] std::vector<NodeIndex> known_nodes() const;

  // The member's own Update (§12.1.2) was applied: its leaf has this new key.
  void set_leaf_key(crypto::X25519SecretKey key);
  // Derives the key pair of `node` from `path_secret` (§7.4) and keeps its private key;
  // invalid_message if the tree's public key at `node` is not the derived one.
  [[nodiscard]] Result<void> set_path_secret(const PublicTree& tree, NodeIndex node,
                                             ByteView path_secret);
  // A joiner's setup (§12.4.3.1): the Welcome's path secret is at the common ancestor of the
  // joiner and `committer`; it and its successors up the committer's filtered direct path
  // give the keys of every node above it. Each must match the tree (invalid_message).
  [[nodiscard]] Result<void> join(const PublicTree& tree, LeafIndex committer,
                                  ByteView path_secret);
  // invalid_message unless every held key matches a non-blank node of `tree`.
  [[nodiscard]] Result<void> check_consistent(const PublicTree& tree) const;
  // Drops keys of nodes now blank, outside the tree or holding another key (after proposals
  // blanked or truncated part of the tree).
  void prune(const PublicTree& tree);

  // Creates an UpdatePath from this member's leaf (§7.4-7.6). `tree` is the tree after the
  // commit's proposals; on success it holds the merged path and new leaf. `leaf_template`
  // gives the new leaf's signature key, credential, capabilities and extensions; its
  // encryption key, source (commit), parent hash and signature are set here, signed with
  // `signer` over LeafNodeTBS with provisional.group_id. provisional.tree_hash is replaced by
  // the new tree's hash. Path secrets are encrypted to each copath resolution minus the
  // `joiners` (the leaves the commit adds).
  [[nodiscard]] Result<EncapResult> encap(PublicTree& tree, const LeafNode& leaf_template,
                                          const crypto::Ed25519SecretKey& signer,
                                          GroupContext provisional,
                                          std::span<const LeafIndex> joiners, Rng& rng);
  // Processes `path` from `sender` (§7.5, §12.4.2). `tree` is the tree after the proposals
  // with `path` already merged (PublicTree::merge_update_path); `group_context` the serialized
  // provisional context; `joiners` the leaves the commit adds. Decrypts the path secret at the
  // common ancestor with a held key, derives the rest up to the root, and refuses
  // (auth_failed) unless every derived public key is the path's. invalid_message if the
  // path's shape (nodes, ciphertext counts) does not fit the tree.
  [[nodiscard]] Result<DecapResult> decap(const PublicTree& tree, LeafIndex sender,
                                          const UpdatePath& path, ByteView group_context,
                                          std::span<const LeafIndex> joiners);

 private:
  LeafIndex leaf_;
  std::map<NodeIndex, crypto::X25519SecretKey> keys_;
};

}  // namespace bulwark::protocol::mls
