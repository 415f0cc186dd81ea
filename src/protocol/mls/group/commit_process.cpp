// Processing another member's Commit (RFC 9420 §12.4.2).
#include <algorithm>
#include <utility>
#include <variant>

#include "crypto/compare.h"
#include "protocol/mls/group/commit_parts.h"
#include "protocol/mls/group/process_parts.h"
#include "protocol/mls/tree/tree_validation.h"

namespace bulwark::protocol::mls {
namespace {

Result<void> named(Result<void> result, const char* what) {
  if (!result) return fail(result.error().code, std::string(what) + ": " + result.error().context);
  return {};
}

// This member's own Update was committed: its leaf now has the key kept since proposing it.
Result<void> take_own_update(GroupState& next, const Bytes& encryption_key) {
  for (const OwnUpdateKey& entry : next.own_updates) {
    if (entry.encryption_key == encryption_key) {
      next.private_tree.set_leaf_key(entry.private_key.clone());
      return {};
    }
  }
  return fail(Errc::invalid_message, "a commit applies an Update of ours we did not send");
}

// The committer's UpdatePath (§12.4.2): its leaf validated and accepted, merged into `tree`,
// and decrypted; the commit secret.
Result<SecretBytes> receive_path(const GroupState& state, GroupState& next, PublicTree& tree,
                                 const AppliedProposals& applied, const UpdatePath& path,
                                 LeafIndex committer) {
  BULWARK_TRY(check_hpke_key(path.leaf_node.encryption_key, "commit path leaf"));
  for (const UpdatePathNode& node : path.nodes) {
    BULWARK_TRY(check_hpke_key(node.encryption_key, "commit UpdatePath node"));
  }
  {
    const LeafValidator validator =
        BULWARK_TRY(LeafValidator::create(tree, state.context.group_id, applied.extensions));
    BULWARK_TRY(named(validator.check_new_leaf(path.leaf_node, LeafNodeSource::commit, committer),
                      "commit path leaf"));
  }
  BULWARK_TRY(accept_leaf(state, path.leaf_node, committer));
  BULWARK_TRY(named(tree.merge_update_path(committer, path), "commit UpdatePath"));
  GroupContext provisional = provisional_context(state, applied.extensions);
  provisional.tree_hash = BULWARK_TRY(tree.root_hash());
  const Bytes provisional_bytes = BULWARK_TRY(encode_context(provisional));
  auto secret = next.private_tree.decap(tree, committer, path, provisional_bytes, applied.joiners);
  if (!secret) {
    return fail(
        secret.error().code,
        "commit UpdatePath does not decrypt to the keys it advertises: " + secret.error().context);
  }
  return std::move(*secret);
}

}  // namespace

Result<Group::Processed> process_commit(const GroupState& state, GroupState next,
                                        const AuthenticatedContent& content, ByteView message) {
  const Commit& commit = std::get<Commit>(content.content.content);
  const LeafIndex committer(content.content.sender.leaf_index);
  if (committer == state.own_leaf()) {
    return fail(Errc::invalid_message, "this member's own commit: adopt its CommitOutput instead");
  }
  const std::vector<CommittedProposal> list =
      BULWARK_TRY(resolve_proposals(state, commit, committer));
  BULWARK_TRY(check_proposal_list(state, list, committer));
  AppliedProposals applied = BULWARK_TRY(apply_proposals(state, list, std::nullopt));
  if (path_required(list) && !commit.path) {
    return fail(Errc::invalid_message, "commit without the UpdatePath its proposals require");
  }
  Group::Processed out = processed_base(state, content, ContentKind::commit);
  out.changes = applied.changes;
  if (applied.removes_me) {
    // Everything this member can check is checked; the new epoch's secrets are not ours.
    out.removed_me = true;
    return out;
  }
  next.private_tree.prune(applied.tree);
  if (applied.my_update_key) BULWARK_TRY(take_own_update(next, *applied.my_update_key));
  PublicTree tree = std::move(applied.tree);  // a 1,000-leaf tree costs ~9 ms to copy
  SecretBytes commit_secret(CipherSuite::hash_size());
  if (commit.path) {
    commit_secret = BULWARK_TRY(receive_path(state, next, tree, applied, *commit.path, committer));
  }
  const SecretBytes psk_secret = BULWARK_TRY(commit_psk_secret(state, applied.psks));
  EpochKeys keys = BULWARK_TRY(derive_next_epoch(state, next, std::move(tree),
                                                 provisional_context(state, applied.extensions),
                                                 content, commit_secret.view(), psk_secret.view()));
  const auto& received = content.auth.confirmation_tag;
  if (!received || !crypto::constant_time_equal(*received, keys.confirmation_tag)) {
    return fail(Errc::auth_failed, "bad confirmation tag: the committer's epoch is not ours");
  }
  BULWARK_TRY(finish_epoch(next, std::move(keys), message));
  out.group.emplace(std::make_unique<GroupState>(std::move(next)));
  return out;
}

}  // namespace bulwark::protocol::mls
