// PrivateTree: this member's private keys in the ratchet tree (RFC 9420 §4.2, §7.4-7.6), a
// thin adapter over TreeKEM's TreeKemPrivate (tree/treekem.h) for the group state machine.
//
// It keeps, beside each parent node's private key, the path secret that key was derived
// from, so that the state can be serialized and rebuilt (TreeKemPrivate takes keys only
// through path secrets). A path secret reveals nothing the member does not already hold: the
// keys of that node and of the nodes above it on the same path.
//
// Like TreeKemPrivate, every operation changes the state only when it succeeds.
#pragma once

#include <memory>
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

class TreeKemPrivate;

// The path secret of one parent node.
struct NodeSecret {
  NodeIndex node;
  SecretBytes secret;
};

// A committer's UpdatePath and what it derived.
struct PathEncap {
  UpdatePath path;
  SecretBytes commit_secret;
  std::vector<NodeSecret> path_secrets;  // the filtered direct path, leaf to root
  Bytes group_context;                   // the provisional GroupContext, serialized

  // The path secret at `node`, or nullptr.
  [[nodiscard]] const SecretBytes* secret_at(NodeIndex node) const noexcept;
};

class PrivateTree {
 public:
  PrivateTree(LeafIndex leaf, crypto::X25519SecretKey leaf_key);
  PrivateTree(PrivateTree&&) noexcept;
  PrivateTree& operator=(PrivateTree&&) noexcept;
  ~PrivateTree();
  [[nodiscard]] PrivateTree clone() const;

  [[nodiscard]] LeafIndex leaf() const noexcept;
  // The HPKE private key of this member's leaf.
  [[nodiscard]] const crypto::X25519SecretKey& leaf_key() const noexcept;
  // The path secrets of the parent nodes whose keys are held, in node order.
  [[nodiscard]] const std::vector<NodeSecret>& path_secrets() const noexcept { return secrets_; }

  // This member's own Update was committed: its leaf has this key now.
  void set_leaf_key(crypto::X25519SecretKey key);
  // Forgets the keys of nodes that proposals blanked, truncated or re-keyed.
  void prune(const PublicTree& tree);
  // Restores parent keys from their path secrets (deserialization); invalid_message if a
  // derived key is not the tree's.
  [[nodiscard]] Result<void> restore(const PublicTree& tree, std::span<const NodeSecret> secrets);
  // A joiner's keys from the Welcome's path secret (§12.4.3.1), set at the common ancestor
  // with `committer` and derived up to the root.
  [[nodiscard]] Result<void> join(const PublicTree& tree, LeafIndex committer,
                                  ByteView path_secret);
  // The committer's UpdatePath (TreeKemPrivate::encap): `tree` is the tree after the
  // proposals and holds the merged path afterwards.
  [[nodiscard]] Result<PathEncap> encap(PublicTree& tree, const LeafNode& leaf_template,
                                        const crypto::Ed25519SecretKey& signer,
                                        GroupContext provisional,
                                        std::span<const LeafIndex> joiners, Rng& rng);
  // A receiver's side (TreeKemPrivate::decap): the commit secret. `tree` holds the merged
  // path; `group_context` is the serialized provisional context.
  [[nodiscard]] Result<SecretBytes> decap(const PublicTree& tree, LeafIndex sender,
                                          const UpdatePath& path, ByteView group_context,
                                          std::span<const LeafIndex> joiners);

 private:
  PrivateTree(std::unique_ptr<TreeKemPrivate> kem, std::vector<NodeSecret> secrets);
  // Records the secrets of `sender`'s filtered direct path from `from` (holding `secret`)
  // up to the root, replacing older ones, then drops those of nodes no longer held.
  [[nodiscard]] Result<void> record_path(const PublicTree& tree, LeafIndex sender, NodeIndex from,
                                         ByteView secret);
  void keep_held_only();

  std::unique_ptr<TreeKemPrivate> kem_;
  std::vector<NodeSecret> secrets_;
};

}  // namespace bulwark::protocol::mls
