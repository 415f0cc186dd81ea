// GroupState: everything one member holds about one epoch of a group (RFC 9420 §8, §9,
// §12), behind the Group facade (group.h). The operations are in the group/*.cpp files,
// one per operation; this header holds the state and the small helpers they share.
//
// Invariants:
//  - context.tree_hash is tree->root_hash(), and context_bytes is serialize(context);
//  - the tree is never changed once shared (a new epoch gets a new tree), and its hash cache
//    is full before it is shared;
//  - private_tree holds keys only of nodes on this member's direct path, matching the tree;
//  - secrets.joiner_secret, welcome_secret and encryption_secret are erased once the epoch
//    has started (§9.2 deletion schedule): the secret tree holds what encryption needs;
//  - proposals and own_updates belong to this epoch only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/framing.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/group/private_tree.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/group_context.h"
#include "protocol/mls/messages/proposals.h"
#include "protocol/mls/secret_tree.h"
#include "protocol/mls/tree/public_tree.h"

namespace bulwark::protocol::mls {

// At most this many proposals are cached per epoch; more is capacity_exceeded (a bound on
// what the delivery service or a member can make us hold).
inline constexpr std::size_t max_cached_proposals = 4096;
// External PSKs a group holds, and the size of each.
inline constexpr std::size_t max_external_psks = 256;
inline constexpr std::size_t max_external_psk_bytes = 1024;

// A proposal received (or sent) this epoch, by its ProposalRef (§5.2).
struct CachedProposal {
  ProposalRef ref;
  Proposal proposal;
  LeafIndex sender;
};

// The private key of an Update this member proposed this epoch, until it is committed.
struct OwnUpdateKey {
  Bytes encryption_key;
  crypto::X25519SecretKey private_key;
};

// One epoch's resumption_psk (§8.6).
struct ResumptionPsk {
  std::uint64_t epoch = 0;
  SecretBytes psk;
};

struct GroupState {
  CipherSuite suite;
  GroupConfig config;
  GroupContext context;
  Bytes context_bytes;
  std::shared_ptr<const PublicTree> tree;
  PrivateTree private_tree;
  crypto::Ed25519SecretKey signer;
  Bytes interim_transcript_hash;
  Bytes confirmation_tag;  // of the commit that started this epoch (§12.4.3)
  EpochSecrets secrets;
  SecretTree secret_tree;
  std::vector<CachedProposal> proposals;
  std::vector<OwnUpdateKey> own_updates;
  std::vector<ExternalPsk> external_psks;
  std::vector<ResumptionPsk> resumption_psks;  // oldest first, this epoch's last
  Bytes last_commit_digest;  // Hash of the MLSMessage that started this epoch; empty if unknown

  [[nodiscard]] GroupState clone() const;
  [[nodiscard]] LeafIndex own_leaf() const noexcept { return private_tree.leaf(); }
};

[[nodiscard]] ExternalPsk clone_psk(const ExternalPsk& psk);
[[nodiscard]] Result<crypto::Ed25519SecretKey> clone_signer(const crypto::Ed25519SecretKey& key);

// Looks up member signature keys in `tree` for the framing layer (§6.1).
[[nodiscard]] SignatureKeyLookup member_keys(const PublicTree& tree);

// The serialized GroupContext, and the tree frozen for sharing (its hash cache filled).
[[nodiscard]] Result<Bytes> encode_context(const GroupContext& context);
[[nodiscard]] Result<std::shared_ptr<const PublicTree>> freeze(PublicTree tree);

// What a state is built from when it does not come from a previous epoch (create, join).
struct StateParts {
  CipherSuite suite;
  GroupConfig config;
  GroupContext context;
  std::shared_ptr<const PublicTree> tree;
  PrivateTree private_tree;
  crypto::Ed25519SecretKey signer;
  Bytes interim_transcript_hash;
  Bytes confirmation_tag;
  std::vector<ExternalPsk> external_psks;
};

// The state of the epoch `parts` describe, started with `secrets` as enter_epoch() does.
[[nodiscard]] Result<GroupState> start_state(StateParts parts, EpochSecrets secrets);

// Starts the epoch whose GroupContext is `next.context` (its tree and transcript hashes
// already set): context_bytes, the secret tree from `secrets`, the resumption history, and
// an empty proposal cache. Erases the secrets §9.2 deletes.
[[nodiscard]] Result<void> enter_epoch(GroupState& next, EpochSecrets secrets);

// A member's roster entry from its leaf.
[[nodiscard]] MemberInfo member_info(LeafIndex leaf, const LeafNode& node);

// Runs the application's acceptor on a leaf entering the tree, naming the leaf on refusal.
[[nodiscard]] Result<void> accept_leaf(const GroupConfig& config, const LeafNode& leaf,
                                       LeafIndex index);
[[nodiscard]] Result<void> accept_leaf(const GroupState& state, const LeafNode& leaf,
                                       LeafIndex index);

}  // namespace bulwark::protocol::mls
