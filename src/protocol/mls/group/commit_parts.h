// The pieces of a commit (RFC 9420 §12.4) shared by its creation (commit_create.cpp) and
// its processing (commit_process.cpp): choosing the proposals, the new epoch's transcript
// hashes and key schedule, and the Welcome.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/group/group_rules.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/group/private_tree.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/framing.h"

namespace bulwark::protocol::mls {

// A commit's proposals as sent (by value or reference) and as resolved.
struct CommitList {
  std::vector<ProposalOrRef> wire;
  std::vector<CommittedProposal> resolved;
};

// The pending proposals worth committing (by reference) and the request's own (by value).
[[nodiscard]] Result<CommitList> gather_proposals(const GroupState& state,
                                                  const CommitRequest& request, Rng& rng);

// The provisional GroupContext of §12.4.2: the new epoch and extensions, the old confirmed
// transcript hash; its tree_hash is left for the caller.
[[nodiscard]] GroupContext provisional_context(const GroupState& state,
                                               const std::vector<Extension>& extensions);

// The new epoch (§8, §8.2): `next` gets the tree, the context with its confirmed transcript
// hash for `commit`, and the epoch secrets; the confirmation tag is returned for the caller
// to set (committer) or compare (receiver) before calling finish_epoch.
struct EpochKeys {
  EpochSecrets secrets;
  Bytes confirmation_tag;  // the one this epoch's commit must carry
};
[[nodiscard]] Result<EpochKeys> derive_next_epoch(const GroupState& state, GroupState& next,
                                                  PublicTree tree, GroupContext context,
                                                  const AuthenticatedContent& commit,
                                                  ByteView commit_secret, ByteView psk_secret);

// Completes `next`: the interim transcript hash and the epoch's start (enter_epoch).
[[nodiscard]] Result<void> finish_epoch(GroupState& next, EpochKeys keys, ByteView commit_message);

// The psk_secret of the PSKs a commit names, from this member's PSKs.
[[nodiscard]] Result<SecretBytes> commit_psk_secret(const GroupState& state,
                                                    std::span<const PreSharedKeyID> psks);

// The Welcome MLSMessage for the commit's joiners (§12.4.3.1). `next` is the new epoch (its
// confirmation tag set); `path` the committer's UpdatePath, if any.
struct WelcomeInput {
  const GroupState* next = nullptr;
  const AppliedProposals* applied = nullptr;
  std::span<const CommittedProposal> list;
  const PathEncap* path = nullptr;
  ByteView joiner_secret;
  ByteView psk_secret;
  bool ratchet_tree_extension = true;
};
[[nodiscard]] Result<Bytes> build_welcome(const WelcomeInput& input, Rng& rng);

// Wraps a framed message for the wire.
[[nodiscard]] Result<Bytes> wrap_public(const PublicMessage& message);
[[nodiscard]] Result<Bytes> wrap_private(const PrivateMessage& message);

// Protects `content` with `state`'s keys as its wire format says: a PublicMessage with the
// membership tag, or a PrivateMessage from the handshake or application ratchet (which
// advances in `state`).
[[nodiscard]] Result<Bytes> protect(GroupState& state, const AuthenticatedContent& content,
                                    Rng& rng);

}  // namespace bulwark::protocol::mls
