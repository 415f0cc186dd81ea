// Parent hashes (RFC 9420 §7.9): the chain that binds each parent node's key to the leaf
// whose UpdatePath set it, and its verification for a joiner (§7.9.2).
//
// struct {
//     HPKEPublicKey encryption_key;
//     opaque parent_hash<V>;
//     opaque original_sibling_tree_hash<V>;
// } ParentHashInput;
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/tree/public_tree.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

// Hash(ParentHashInput) from its three fields.
[[nodiscard]] Result<Bytes> hash_parent_hash_input(const CipherSuite& suite,
                                                   ByteView encryption_key, ByteView parent_hash,
                                                   ByteView original_sibling_tree_hash);

// The parent hash of the non-blank parent node `parent` with copath child `sibling` (one of
// its children), from the node's own parent_hash field and the original sibling tree hash
// (the sibling's tree hash without `parent`'s unmerged leaves). invalid_argument if `parent`
// is blank or `sibling` is not its child.
[[nodiscard]] Result<Bytes> parent_hash_of(const PublicTree& tree, NodeIndex parent,
                                           NodeIndex sibling);

// §7.9.2 for a joiner: every non-blank parent node is parent-hash valid, linked to by
// exactly one node below it. auth_failed naming the first parent node that is not.
// O(n log n) hashes in the worst case; subtree hashes come from the tree's cache.
[[nodiscard]] Result<void> verify_parent_hashes(const PublicTree& tree);

}  // namespace bulwark::protocol::mls
