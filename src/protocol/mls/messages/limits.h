// Bounds on every vector and count in the RFC 9420 wire structures.
//
// RFC 9420 gives most vectors no length limit beyond the varint's 2^30 - 1. A decoder of
// untrusted input needs one for every field, so that no peer can make us hold more than a
// group of our size ever needs. Encoders refuse values over the same bounds, so whatever we
// write, we (and a peer with the same limits) can read back.
//
// The values are generous for suites 1-7 and for post-quantum keys and signatures to come
// (ML-KEM-1024 public keys are 1,568 bytes, ML-DSA-87 signatures 4,627 bytes).
#pragma once

#include <cstddef>
#include <cstdint>

namespace bulwark::protocol::mls {

// Leaves in one ratchet tree, and therefore members of one group (devices, not people).
inline constexpr std::uint32_t max_ratchet_tree_leaves = 1u << 16;
// Entries of the ratchet_tree vector: a full tree of max_ratchet_tree_leaves leaves. A decoded
// entry takes about 380 bytes of memory however short its encoding (a blank is one byte), so
// the largest tree we accept costs about 50 MB while it is decoded.
inline constexpr std::size_t max_ratchet_tree_nodes = 2 * std::size_t{max_ratchet_tree_leaves} - 1;
// Nodes of an UpdatePath: the direct path of a leaf is at most log2(max_ratchet_tree_leaves) long.
inline constexpr std::size_t max_update_path_nodes = 32;

// Extensions in one list (LeafNode, KeyPackage, GroupContext, GroupInfo, ReInit,
// GroupContextExtensions), GREASE values included.
inline constexpr std::size_t max_extensions = 128;
// One extension's data: a whole ratchet_tree extension of a large group is several MB.
inline constexpr std::size_t max_extension_data_bytes = 32u << 20;
// Entries of each Capabilities / RequiredCapabilities list.
inline constexpr std::size_t max_capability_items = 256;
// ExternalSender entries of an external_senders extension.
inline constexpr std::size_t max_external_senders = 256;

// A basic credential's identity.
inline constexpr std::size_t max_identity_bytes = 4096;
// The opaque body of a credential type other than basic and x509.
inline constexpr std::size_t max_other_credential_bytes = 64u << 10;
// An X.509 chain: certificates per credential, bytes per certificate.
inline constexpr std::size_t max_certificates = 16;
inline constexpr std::size_t max_certificate_bytes = 64u << 10;

// Public keys (HPKE and signature keys, ExternalPub, init keys).
inline constexpr std::size_t max_public_key_bytes = 4096;
// Signatures.
inline constexpr std::size_t max_signature_bytes = 8192;
// Hash outputs and MACs: tree and parent hashes, transcript hashes, confirmation and
// membership tags, KeyPackageRef and ProposalRef (SHA-512 is the largest hash of suites 1-7).
inline constexpr std::size_t max_hash_bytes = 64;
// Secrets carried on the wire (joiner and path secrets, PSK nonces): Nh bytes at most.
inline constexpr std::size_t max_secret_bytes = 64;
// Group ids, external PSK ids and PSK group ids.
inline constexpr std::size_t max_group_id_bytes = 256;
inline constexpr std::size_t max_psk_id_bytes = 256;
// PreSharedKeyIDs in one GroupSecrets.
inline constexpr std::size_t max_group_secrets_psks = 256;

// An HPKE encapsulation (kem_output).
inline constexpr std::size_t max_kem_output_bytes = 4096;
// An HPKE ciphertext of a path secret or of GroupSecrets (secrets plus its PSK ids).
inline constexpr std::size_t max_hpke_ciphertext_bytes = 64u << 10;
// Ciphertexts (and encrypted GroupInfos) in one Welcome: one per new member.
inline constexpr std::size_t max_welcome_secrets = max_ratchet_tree_leaves;
// Welcome.encrypted_group_info: a GroupInfo whose extensions may hold the whole tree.
inline constexpr std::size_t max_encrypted_group_info_bytes = max_extension_data_bytes + (1u << 20);
// Encrypted path secrets of one UpdatePathNode: one per node of a copath resolution.
inline constexpr std::size_t max_path_ciphertexts = max_ratchet_tree_leaves;

// Proposals (by value or by reference) in one Commit: a bulk add may add many members.
inline constexpr std::size_t max_proposals_per_commit = max_ratchet_tree_leaves;
// Application data in one message, and its authenticated_data.
inline constexpr std::size_t max_application_data_bytes = 1u << 20;
inline constexpr std::size_t max_authenticated_data_bytes = 64u << 10;
// A PrivateMessage's ciphertext and encrypted sender data: a commit may carry many Adds.
inline constexpr std::size_t max_private_ciphertext_bytes = 48u << 20;
inline constexpr std::size_t max_encrypted_sender_data_bytes = 256;

// A whole structure in a list with an item-count bound, as a byte bound on the list: the
// ciphertexts, proposals and tree vectors above are bounded again by their item counts.
inline constexpr std::size_t max_list_bytes = 60u << 20;

}  // namespace bulwark::protocol::mls
