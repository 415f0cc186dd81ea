// Proposals in the group (RFC 9420 §12.1-§12.3): each proposal's own validity, the rules on
// the list a Commit covers (§12.2), and applying that list to a copy of the tree and the
// GroupContext extensions (§12.3). Used alike by the committer and by every receiver, so
// both reach the same tree.
//
// Errors are invalid_message with a context naming the rule: "invalid proposal list: <rule>"
// for §12.2, "<proposal> from leaf N: <reason>" for a proposal's own validity; a leaf the
// application's LeafAcceptor refuses keeps the acceptor's code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/framing.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/proposals.h"
#include "protocol/mls/messages/psk_id.h"
#include "protocol/mls/tree/public_tree.h"

namespace bulwark::protocol::mls {

// A proposal a Commit covers, with the member that proposed it. `verified`: it came from
// this epoch's cache, where only proposals that passed check_proposal() enter, so its
// signatures are not verified again (each signature is verified once).
struct CommittedProposal {
  Proposal proposal;
  LeafIndex sender;
  bool verified = false;
};

// ProposalRef = RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent) (§5.2).
[[nodiscard]] Result<ProposalRef> proposal_ref(const CipherSuite& suite,
                                               const AuthenticatedContent& content);

// The leaf supports the group's context extensions (§7.2, §11.1): each non-default
// extension type is in its capabilities, and so is everything required_capabilities lists.
[[nodiscard]] Result<void> check_leaf_supports_group(const LeafNode& leaf,
                                                     const std::vector<Extension>& extensions,
                                                     LeafIndex index);

// §10.1 for an Add's KeyPackage, except the signature of its LeafNode, which
// LeafValidator::check_new_leaf verifies: together they verify each signature once. `now`,
// when set, must be within the leaf's lifetime. Returns the leaf's signature key, checked, for
// check_new_leaf (so the key is parsed once too).
[[nodiscard]] Result<crypto::Ed25519PublicKey> check_key_package(const CipherSuite& suite,
                                                                 const KeyPackage& key_package,
                                                                 std::optional<std::uint64_t> now);

// invalid_message unless `key` is an HPKE public key of the suite (X25519): a leaf or path
// node with an unusable key would make every later commit fail to encrypt to it.
[[nodiscard]] Result<void> check_hpke_key(ByteView key, const char* what);

// A proposal's own validity (§12.1) when it is received in this epoch from `sender`; the
// same checks run again when a commit applies it.
[[nodiscard]] Result<void> check_proposal(const GroupState& state, const Proposal& proposal,
                                          LeafIndex sender);

// The Commit's ProposalOrRef list, by-reference entries taken from this epoch's cache (an
// unknown reference is invalid_message); by-value proposals are the committer's.
[[nodiscard]] Result<std::vector<CommittedProposal>> resolve_proposals(const GroupState& state,
                                                                       const Commit& commit,
                                                                       LeafIndex committer);

// §12.2 for a regular commit by `committer`, the rules that need no tree edits.
[[nodiscard]] Result<void> check_proposal_list(const GroupState& state,
                                               std::span<const CommittedProposal> list,
                                               LeafIndex committer);

// §12.4: an UpdatePath is required by an empty list or by Update, Remove, ExternalInit or
// GroupContextExtensions proposals.
[[nodiscard]] bool path_required(std::span<const CommittedProposal> list);

// The list applied to copies of the tree and the context extensions (§12.3).
struct AppliedProposals {
  PublicTree tree;
  std::vector<Extension> extensions;
  std::vector<LeafIndex> joiners;        // where each Add went, in list order
  std::vector<std::size_t> add_entries;  // the list entry of each joiner
  std::vector<PreSharedKeyID> psks;      // in list order
  std::vector<RosterChange> changes;
  bool removes_me = false;
  // The encryption key of this member's own Update, if the list commits one.
  std::optional<Bytes> my_update_key;
};

// Applies `list` (already checked by check_proposal_list): each proposal's own validity,
// leaf validation (§7.3) against the group, the application's acceptor for every leaf that
// enters. `now` (Unix seconds), when set, must be within each added KeyPackage's lifetime:
// the committer's obligation (§7.3); receivers do not check it.
[[nodiscard]] Result<AppliedProposals> apply_proposals(const GroupState& state,
                                                       std::span<const CommittedProposal> list,
                                                       std::optional<std::uint64_t> now);

}  // namespace bulwark::protocol::mls
