// Creating a Commit and its Welcome (RFC 9420 §12.4.1).
#include <utility>

#include "protocol/mls/group/commit_parts.h"
#include "protocol/mls/messages/ratchet_tree.h"

namespace bulwark::protocol::mls {
namespace {

// The committer's UpdatePath over `tree` (the tree after the proposals), or none; the
// commit secret either way (all zero without a path, §12.4).
struct CommitterPath {
  std::optional<PathEncap> encap;
  SecretBytes commit_secret;
};

Result<CommitterPath> make_path(const GroupState& state, GroupState& next, PublicTree& tree,
                                const AppliedProposals& applied, bool with_path, Rng& rng) {
  CommitterPath out;
  if (!with_path) {
    out.commit_secret = SecretBytes(CipherSuite::hash_size());
    return out;
  }
  // The new leaf keeps this member's signature key, credential, capabilities and extensions.
  const LeafNode& current = *state.tree->leaf(state.own_leaf());
  GroupContext provisional = provisional_context(state, applied.extensions);
  PathEncap encap = BULWARK_TRY(next.private_tree.encap(
      tree, current, state.signer, std::move(provisional), applied.joiners, rng));
  out.commit_secret = encap.commit_secret.clone();
  out.encap = std::move(encap);
  return out;
}

}  // namespace

Result<Group::CommitOutput> Group::commit(const CommitRequest& request, Rng& rng) const {
  const GroupState& state = *state_;
  const LeafIndex me = state.own_leaf();
  CommitList list = BULWARK_TRY(gather_proposals(state, request, rng));
  BULWARK_TRY(check_proposal_list(state, list.resolved, me));
  AppliedProposals applied = BULWARK_TRY(apply_proposals(state, list.resolved, request.now));

  GroupState next = state.clone();
  next.private_tree.prune(applied.tree);
  PublicTree tree = std::move(applied.tree);  // a 1,000-leaf tree costs ~9 ms to copy
  const bool with_path = request.update_path || path_required(list.resolved);
  CommitterPath path = BULWARK_TRY(make_path(state, next, tree, applied, with_path, rng));
  const SecretBytes psk_secret = BULWARK_TRY(commit_psk_secret(state, applied.psks));

  Commit commit{std::move(list.wire), std::nullopt};
  if (path.encap) commit.path = path.encap->path;
  FramedContent content{state.context.group_id, state.context.epoch, member_sender(me.value()),
                        request.authenticated_data, std::move(commit)};
  AuthenticatedContent signed_commit = BULWARK_TRY(sign_content(
      state.suite, state.signer, request.wire_format, std::move(content), &state.context));
  EpochKeys keys = BULWARK_TRY(derive_next_epoch(
      state, next, std::move(tree), provisional_context(state, applied.extensions), signed_commit,
      path.commit_secret.view(), psk_secret.view()));
  signed_commit.auth.confirmation_tag = keys.confirmation_tag;
  const SecretBytes joiner_secret = keys.secrets.joiner_secret.clone();

  // Protected with this epoch's keys (§12.4.1); `same_epoch` keeps the ratchet step.
  GroupState same_epoch = state.clone();
  Bytes message = BULWARK_TRY(protect(same_epoch, signed_commit, rng));
  BULWARK_TRY(finish_epoch(next, std::move(keys), message));

  std::optional<Bytes> welcome;
  if (!applied.joiners.empty()) {
    const WelcomeInput input{&next,
                             &applied,
                             list.resolved,
                             path.encap ? &*path.encap : nullptr,
                             joiner_secret.view(),
                             psk_secret.view(),
                             request.ratchet_tree_in_welcome};
    welcome = BULWARK_TRY(build_welcome(input, rng));
  }
  Bytes ratchet_tree = BULWARK_TRY(mls::serialize(next.tree->to_wire()));
  return CommitOutput{Group(std::make_unique<GroupState>(std::move(next))),
                      Group(std::make_unique<GroupState>(std::move(same_epoch))),
                      std::move(message),
                      std::move(welcome),
                      std::move(ratchet_tree),
                      std::move(applied.changes)};
}

}  // namespace bulwark::protocol::mls
