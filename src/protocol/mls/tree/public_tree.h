// PublicTree: the public ratchet tree of one group (RFC 9420 §4.1, §7), over the wire form
// messages::RatchetTree, with the queries and edits the group state machine needs.
//
// Invariants every PublicTree keeps (from_wire() checks them, every edit preserves them):
//  - the node array is full: leaf_count() is a power of two, 1 <= leaf_count() <=
//    max_ratchet_tree_leaves, and node i holds a LeafNode at even i, a ParentNode at odd i;
//  - every unmerged_leaves entry names a leaf inside the tree;
//  - no encryption key sits on two nodes and no signature key on two leaves, so that
//    find_by_encryption_key / find_by_signature_key answer in O(1) from an index.
// Semantic checks (hashes, signatures, unmerged-leaves rules, capabilities) are
// tree_validation.h's.
//
// Tree hashes (§7.8) are cached per node; an edit drops the cache of the nodes it touched and
// of their ancestors only, so after the first computation a root hash costs O(log n) hashes
// per edited path. The cache is filled by const methods: a PublicTree is a value to copy per
// state transition, and must not be read from two threads at once.
//
// Errors: invalid_argument for a leaf index or node index outside the tree or a blank leaf
// where a member is required; conflict for a key already in the tree; invalid_message for an
// UpdatePath that does not fit the tree; auth_failed for a parent hash that does not match.
// A failed add_leaf, update_leaf, remove_leaf or set_leaf changes nothing; a failed
// set_path_keys or merge_update_path may leave the path half applied, so (like every state
// transition) apply a commit to a copy and keep it only on success.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/ratchet_tree.h"
#include "protocol/mls/tree/signature_key_cache.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

// One node of a filtered direct path (§4.1.2) with its child on the copath.
struct PathStep {
  NodeIndex node;
  NodeIndex copath_child;

  bool operator==(const PathStep&) const = default;
};

class PublicTree {
 public:
  // A one-member tree holding the creator's leaf (§11).
  [[nodiscard]] static Result<PublicTree> create(const CipherSuite& suite, LeafNode creator);
  // A tree from a ratchet_tree extension or an out-of-band copy, padded with blanks to a
  // full tree (§12.4.3.3). Checks the invariants above (invalid_message otherwise).
  [[nodiscard]] static Result<PublicTree> from_wire(const CipherSuite& suite,
                                                    const RatchetTree& tree);
  // The wire form: the node array without its trailing blanks.
  [[nodiscard]] RatchetTree to_wire() const;

  [[nodiscard]] const CipherSuite& suite() const noexcept { return suite_; }
  [[nodiscard]] std::uint32_t leaf_count() const noexcept { return leaf_count_; }
  [[nodiscard]] std::uint32_t node_width() const noexcept;
  // Non-blank leaves, in index order.
  [[nodiscard]] std::vector<LeafIndex> members() const;
  [[nodiscard]] std::uint32_t member_count() const noexcept { return member_count_; }

  // Node access: nullptr for a blank node, a node of the other type or one outside the tree.
  [[nodiscard]] const std::optional<Node>* node(NodeIndex index) const noexcept;
  [[nodiscard]] const LeafNode* leaf(LeafIndex index) const noexcept;
  [[nodiscard]] const ParentNode* parent_node(NodeIndex index) const noexcept;
  // True for a blank node (and for one outside the tree).
  [[nodiscard]] bool blank(NodeIndex index) const noexcept;
  // The HPKE public key of a non-blank node; empty for a blank one.
  [[nodiscard]] ByteView encryption_key(NodeIndex index) const noexcept;
  // A member's signature key as a checked Ed25519 key, parsed once and then kept with the
  // tree (and its copies): invalid_argument for a blank leaf or one outside the tree,
  // auth_failed for bytes that are not a valid Ed25519 key. Unlike the hash cache, this one
  // is guarded: it may be called on a frozen tree shared between threads.
  [[nodiscard]] Result<crypto::Ed25519PublicKey> signature_key(LeafIndex index) const;

  // §4.1.1: the non-blank nodes covering the subtree under `index`, unmerged leaves included,
  // left to right; nodes at a leaf in `excluded` are left out (the joiners of a commit,
  // §12.4.2). Requires `index` in the tree.
  [[nodiscard]] std::vector<NodeIndex> resolution(NodeIndex index) const;
  [[nodiscard]] std::vector<NodeIndex> resolution(NodeIndex index,
                                                  std::span<const LeafIndex> excluded) const;
  // §4.1.2: the direct path of `leaf` without the nodes whose copath child has an empty
  // resolution, from the leaf's parent up to the root. Requires `leaf` in the tree.
  [[nodiscard]] std::vector<PathStep> filtered_direct_path(LeafIndex leaf) const;

  // §7.8: the tree hash of the subtree under `index` (cached), and of the whole tree.
  [[nodiscard]] Result<Bytes> tree_hash(NodeIndex index) const;
  [[nodiscard]] Result<Bytes> root_hash() const;
  // The tree hash of the subtree under `index` with the leaves in `removed` blanked and taken
  // out of every unmerged_leaves list: a parent hash's original_sibling_tree_hash (§7.9).
  [[nodiscard]] Result<Bytes> tree_hash_without(NodeIndex index,
                                                std::span<const std::uint32_t> removed) const;

  // The leaf or node holding a key, found through the tree's key index.
  [[nodiscard]] std::optional<LeafIndex> find_by_signature_key(ByteView key) const;
  [[nodiscard]] std::optional<NodeIndex> find_by_encryption_key(ByteView key) const;
  // The leaf equal to `leaf` (a joiner looking for its KeyPackage's leaf, §12.4.3.1).
  [[nodiscard]] std::optional<LeafIndex> find_leaf(const LeafNode& leaf) const;
  // Where add_leaf() would put a new member: the leftmost blank leaf, or leaf_count().
  [[nodiscard]] LeafIndex next_free_leaf() const noexcept;

  // §12.1.1 Add: the leftmost blank leaf (extending the tree if none), added to the
  // unmerged_leaves of its non-blank ancestors. conflict if a key of `leaf` is in the tree.
  [[nodiscard]] Result<LeafIndex> add_leaf(LeafNode leaf);
  // §12.1.2 Update: replaces a member's leaf and blanks its direct path.
  [[nodiscard]] Result<void> update_leaf(LeafIndex index, LeafNode leaf);
  // §12.1.3 Remove: blanks a member's leaf and direct path, then truncates trailing blank
  // halves (§7.7). Removing the last member is invalid_argument.
  [[nodiscard]] Result<void> remove_leaf(LeafIndex index);

  // The first half of applying an UpdatePath (§7.5, §7.9): blanks the direct path of `sender`,
  // puts public_keys[i] on the i-th node of its filtered direct path with no unmerged leaves,
  // sets their parent_hash fields top-down, and returns the parent hash the sender's new leaf
  // must carry. invalid_message if the key count is not the path's length; conflict if a key
  // is already in the tree (before the path is blanked: keys are never reused, §12.4.2).
  [[nodiscard]] Result<Bytes> set_path_keys(LeafIndex sender, std::span<const Bytes> public_keys);
  // Replaces a member's leaf without touching its path (the second half, after
  // set_path_keys). conflict if a key of `leaf` is on another node.
  [[nodiscard]] Result<void> set_leaf(LeafIndex index, LeafNode leaf);
  // Merges a received UpdatePath (§7.5): set_path_keys, then checks that the path's leaf has
  // source commit and carries the computed parent hash (auth_failed otherwise), then
  // set_leaf. Leaf validation (signature, capabilities) is validate_leaf_node's.
  [[nodiscard]] Result<void> merge_update_path(LeafIndex sender, const UpdatePath& path);

 private:
  PublicTree(const CipherSuite& suite, std::vector<std::optional<Node>> nodes);

  // Sets node `index` (a leaf or parent, or blank), keeping the key index and hash cache.
  Result<void> put(NodeIndex index, std::optional<Node> value);
  void blank_direct_path(LeafIndex leaf);
  void extend();
  void truncate();
  void forget_hashes(NodeIndex index) const;
  Result<Bytes> compute_hash(NodeIndex index) const;
  Result<void> check_keys_free(NodeIndex index, const Node& value) const;
  Result<void> index_keys(NodeIndex index);
  ParentNode* mutable_parent(NodeIndex index);
  void unindex_keys(NodeIndex index);

  CipherSuite suite_;
  std::vector<std::optional<Node>> nodes_;
  std::uint32_t leaf_count_ = 0;
  std::uint32_t member_count_ = 0;
  // No blank leaf lies left of this one (add_leaf fills leaves left to right).
  std::uint32_t first_free_hint_ = 0;
  // Public keys as byte strings (std::string: a hashable owner of the bytes).
  std::unordered_map<std::string, NodeIndex> encryption_keys_;
  std::unordered_map<std::string, LeafIndex> signature_keys_;
  mutable std::vector<std::optional<Bytes>> hashes_;
  SignatureKeyCache signature_key_cache_;
};

}  // namespace bulwark::protocol::mls
