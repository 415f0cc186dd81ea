// Validation of leaf nodes (RFC 9420 §7.3) and of a whole ratchet tree for a joiner
// (§12.4.3.1 "Verify the integrity of the ratchet tree").
//
// Every failure names where it happened and the rule broken, as
//   "<where>: <rule>: <detail>"   e.g. "leaf 3: leaf_signature: the signature does not verify"
// with <rule> one of the tree_rule constants below, so callers and tests can tell them apart.
// Codes: auth_failed for the integrity rules (tree_hash, parent_hash, leaf_signature),
// invalid_message for every other rule.
//
// Checking n leaves costs O(n) (plus one signature each): what the members support is
// summarised once (LeafValidator), never rescanned per leaf.
//
// Not checked here: a credential's binding to an identity (§5.3.1), which is the
// application's policy layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/group_context.h"
#include "protocol/mls/messages/known_extensions.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/tree/public_tree.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

namespace tree_rule {
inline constexpr std::string_view tree_hash = "tree_hash";
inline constexpr std::string_view parent_hash = "parent_hash";
inline constexpr std::string_view leaf_signature = "leaf_signature";
inline constexpr std::string_view leaf_node_source = "leaf_node_source";
inline constexpr std::string_view required_capabilities = "required_capabilities";
// The leaf's credential type is not supported by every member.
inline constexpr std::string_view credential_unsupported = "credential_unsupported";
// The leaf does not support a credential type in use in the group (its own included).
inline constexpr std::string_view credential_support_missing = "credential_support_missing";
inline constexpr std::string_view lifetime = "lifetime";
// A non-default extension of the leaf is not in its own capabilities.
inline constexpr std::string_view extension_unsupported = "extension_unsupported";
inline constexpr std::string_view duplicate_signature_key = "duplicate_signature_key";
inline constexpr std::string_view duplicate_encryption_key = "duplicate_encryption_key";
// An Update or commit leaf keeps the encryption key of the leaf it replaces.
inline constexpr std::string_view encryption_key_reused = "encryption_key_reused";
inline constexpr std::string_view unmerged_leaves_order = "unmerged_leaves_order";
inline constexpr std::string_view unmerged_leaf_blank = "unmerged_leaf_blank";
inline constexpr std::string_view unmerged_leaf_not_descendant = "unmerged_leaf_not_descendant";
// A non-blank node between an unmerged leaf and the parent listing it does not list it.
inline constexpr std::string_view unmerged_leaf_gap = "unmerged_leaf_gap";
}  // namespace tree_rule

// Application choices §7.2 leaves open.
struct LeafPolicy {
  // When set, a key_package leaf's lifetime must contain this time (seconds since the Unix
  // epoch). Unset: not checked (as for trees received, where §7.3 only recommends it).
  std::optional<std::uint64_t> now;
  // When set, the longest not_after - not_before accepted.
  std::optional<std::uint64_t> max_lifetime_seconds;
};

// §7.3 for leaves of one group state. Built once per tree state (O(n)); each check is O(1)
// plus a signature verification. It refers to `tree`, which must outlive it and not change
// while it is used.
class LeafValidator {
 public:
  // invalid_message if the group context's required_capabilities extension does not decode.
  [[nodiscard]] static Result<LeafValidator> create(const PublicTree& tree, ByteView group_id,
                                                    const std::vector<Extension>& group_extensions,
                                                    LeafPolicy policy = {});

  // A leaf entering the tree: from a KeyPackage (source key_package; `index` is where it will
  // go), an Update proposal (update; `index` is the sender) or an UpdatePath (commit; `index`
  // is the committer). Its keys must not be on any node but the one it replaces, and an
  // update or commit leaf must bring a new encryption key.
  [[nodiscard]] Result<void> check_new_leaf(const LeafNode& leaf, LeafNodeSource source,
                                            LeafIndex index) const;
  // The same with the leaf's signature key already checked (a KeyPackage's, whose own
  // signature was verified with it), so that the key is not parsed twice.
  [[nodiscard]] Result<void> check_new_leaf(const LeafNode& leaf, LeafNodeSource source,
                                            LeafIndex index,
                                            const crypto::Ed25519PublicKey& signature_key) const;
  // The leaf at `index` of the tree this validator was built from (a joiner's check). Its
  // signature key is the tree's parsed one (PublicTree::signature_key), kept for later use.
  [[nodiscard]] Result<void> check_tree_leaf(LeafIndex index) const;

 private:
  LeafValidator(const PublicTree& tree, Bytes group_id, RequiredCapabilities required,
                LeafPolicy policy);
  Result<void> check_entering(const LeafNode& leaf, LeafNodeSource source, LeafIndex index,
                              const crypto::Ed25519PublicKey* signature_key) const;
  Result<void> check_common(const LeafNode& leaf, LeafIndex index,
                            std::optional<LeafIndex> replaced) const;
  // The leaf's signature, with `signature_key` if given (it must hold the leaf's key bytes),
  // else with the key parsed from the leaf.
  Result<void> verify_signature(const LeafNode& leaf, LeafIndex index,
                                const crypto::Ed25519PublicKey* signature_key) const;

  const PublicTree* tree_;
  Bytes group_id_;
  RequiredCapabilities required_;
  LeafPolicy policy_;
  // Per credential type: how many members use it, and how many list it as supported.
  std::unordered_map<std::uint16_t, std::uint32_t> credentials_in_use_;
  std::unordered_map<std::uint16_t, std::uint32_t> credentials_supported_;
};

// §12.4.3.1 for a joiner, in this order: the root tree hash equals context.tree_hash; every
// non-blank parent is parent-hash valid; every leaf passes check_tree_leaf (signatures with
// context.group_id); every unmerged_leaves list is sorted, names non-blank descendant leaves,
// and every non-blank node between such a leaf and the parent lists it too. (Keys unique
// across the tree is a PublicTree invariant, checked by from_wire.)
[[nodiscard]] Result<void> validate_tree(const PublicTree& tree, const GroupContext& context,
                                         LeafPolicy policy = {});

// The unmerged_leaves rules alone (part of validate_tree).
[[nodiscard]] Result<void> verify_unmerged_leaves(const PublicTree& tree);

}  // namespace bulwark::protocol::mls
