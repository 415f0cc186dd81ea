// The encoding of a GroupState for the client's encrypted local store (Group::serialize,
// Group::deserialize). It is ours, not the RFC's, and versioned: a reader refuses a version
// it does not know rather than guess. In TLS presentation language:
//
//   struct { uint32 node; opaque path_secret<V>; } StoredNodeSecret;
//   struct { uint32 generation; opaque key<V>; opaque nonce<V>; } StoredSkippedKey;
//   struct { uint64 next_generation; opaque secret<V>; uint64 oldest_kept;
//            StoredSkippedKey skipped<V>; } StoredRatchet;
//   struct { uint32 leaf; StoredRatchet handshake; StoredRatchet application; } StoredLeaf;
//   struct { opaque ref<V>; Proposal proposal; uint32 sender; } StoredProposal;
//   struct { opaque encryption_key<V>; opaque private_key<V>; } StoredUpdateKey;
//   struct { opaque psk_id<V>; opaque psk<V>; } StoredExternalPsk;
//   struct { uint64 epoch; opaque psk<V>; } StoredResumptionPsk;
//   struct {
//     uint16 version = 1;
//     opaque group_context<V>;        /* GroupContext */
//     opaque ratchet_tree<V>;         /* optional<Node> ratchet_tree<V> */
//     uint32 own_leaf;
//     opaque leaf_private_key<V>;
//     StoredNodeSecret path_secrets<V>;
//     opaque signature_seed<V>;
//     opaque interim_transcript_hash<V>;
//     opaque confirmation_tag<V>;
//     opaque sender_data_secret<V>; opaque exporter_secret<V>; opaque external_secret<V>;
//     opaque confirmation_key<V>; opaque membership_key<V>; opaque resumption_psk<V>;
//     opaque epoch_authenticator<V>; opaque init_secret<V>;
//     uint32 secret_tree_leaves;
//     StoredNodeSecret secret_tree_nodes<V>;
//     StoredLeaf secret_tree_leaves<V>;
//     StoredProposal proposals<V>;
//     StoredUpdateKey own_updates<V>;
//     StoredExternalPsk external_psks<V>;
//     StoredResumptionPsk resumption_psks<V>;
//     opaque last_commit_digest<V>;
//   } StoredGroupState;
//
// Every list is bounded on reading (state_decode.cpp), and the decoded state is checked
// against itself: the tree hash against the context, each private key against the tree's
// public key, the signature key against this member's leaf.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bulwark::protocol::mls {

inline constexpr std::uint16_t group_state_version = 1;
inline constexpr std::size_t max_stored_own_updates = 64;
inline constexpr std::size_t max_stored_resumption_psks = 64;
inline constexpr std::size_t max_stored_path_secrets = 32;

}  // namespace bulwark::protocol::mls
