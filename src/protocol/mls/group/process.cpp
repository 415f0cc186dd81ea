// Receiving a handshake or application message (RFC 9420 §6, §12.1, §15): the epoch and
// group checks with errors that say what went wrong, unprotecting, and dispatch by content.
#include <string>
#include <utility>
#include <variant>

#include "protocol/mls/group/group_rules.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/group/process_parts.h"
#include "protocol/mls/messages/mls_message.h"

namespace bulwark::protocol::mls {
namespace {

bool same_bytes(ByteView a, ByteView b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// §6: a message of another group or epoch is refused before anything is decrypted. An old
// commit is told apart: the very commit that started this epoch is a replay; another commit
// for the previous epoch means the delivery service gave members different commits (a fork).
Result<void> check_header(const GroupState& state, ByteView group_id, std::uint64_t epoch,
                          ContentType type, ByteView message) {
  if (!same_bytes(group_id, state.context.group_id)) {
    return fail(Errc::invalid_message, "message for another group");
  }
  const std::uint64_t current = state.context.epoch;
  if (epoch > current) {
    return fail(Errc::invalid_message, "message of future epoch " + std::to_string(epoch) +
                                           " (the group is at epoch " + std::to_string(current) +
                                           ")");
  }
  if (epoch == current) return {};
  if (type == ContentType::commit && epoch + 1 == current && !state.last_commit_digest.empty()) {
    if (same_bytes(state.suite.hash(message), state.last_commit_digest)) {
      return fail(Errc::duplicate_message,
                  "replayed commit of epoch " + std::to_string(epoch) + ", already applied");
    }
    return fail(Errc::conflict, "fork: a second, different commit for epoch " +
                                    std::to_string(epoch) +
                                    " (the delivery service delivered "
                                    "different commits)");
  }
  return fail(Errc::invalid_message, "message of old epoch " + std::to_string(epoch) +
                                         " (the group is at epoch " + std::to_string(current) +
                                         ")");
}

Result<AuthenticatedContent> open_public(const GroupState& state, const PublicMessage& message) {
  if (message.content.sender.sender_type != SenderType::member) {
    return fail(Errc::invalid_message, "external and new-member senders are not supported");
  }
  return unprotect_public(state.suite, message, state.secrets.membership_key.view(), state.context,
                          member_keys(*state.tree));
}

Result<AuthenticatedContent> open_private(const GroupState& state, GroupState& next,
                                          const PrivateMessage& message) {
  UnprotectedPrivate opened = BULWARK_TRY(unprotect_private(
      state.suite, message, next.secret_tree, state.secrets.sender_data_secret.view(),
      state.context, member_keys(*state.tree)));
  return std::move(opened.content);
}

Result<Group::Processed> handle_proposal(const GroupState& state, GroupState next,
                                         const AuthenticatedContent& content) {
  const Proposal& proposal = std::get<Proposal>(content.content.content);
  const LeafIndex sender(content.content.sender.leaf_index);
  BULWARK_TRY(check_proposal(state, proposal, sender));
  ProposalRef ref = BULWARK_TRY(proposal_ref(state.suite, content));
  for (const CachedProposal& held : next.proposals) {
    if (held.ref == ref) return fail(Errc::duplicate_message, "proposal already received");
  }
  if (next.proposals.size() >= max_cached_proposals) {
    return fail(Errc::capacity_exceeded, "too many proposals in one epoch");
  }
  next.proposals.push_back({std::move(ref), proposal, sender});
  Group::Processed out = processed_base(state, content, ContentKind::proposal);
  out.proposal = proposal;
  out.group.emplace(std::make_unique<GroupState>(std::move(next)));
  return out;
}

}  // namespace

Group::Processed processed_base(const GroupState& state, const AuthenticatedContent& content,
                                ContentKind kind) {
  Group::Processed out;
  out.kind = kind;
  out.epoch = content.content.epoch;
  out.sender = LeafIndex(content.content.sender.leaf_index);
  if (const LeafNode* leaf = state.tree->leaf(out.sender)) {
    out.sender_credential = leaf->credential;
  }
  out.authenticated_data = content.content.authenticated_data;
  return out;
}

Result<Group::Processed> Group::process(ByteView bytes) const {
  const GroupState& state = *state_;
  const MLSMessage message = BULWARK_TRY(deserialize_mls_message(bytes));
  GroupState next = state.clone();
  AuthenticatedContent content;
  if (const auto* pub = std::get_if<PublicMessage>(&message.body)) {
    BULWARK_TRY(check_header(state, pub->content.group_id, pub->content.epoch,
                             content_type(pub->content.content), bytes));
    content = BULWARK_TRY(open_public(state, *pub));
  } else if (const auto* priv = std::get_if<PrivateMessage>(&message.body)) {
    BULWARK_TRY(check_header(state, priv->group_id, priv->epoch, priv->content_type, bytes));
    content = BULWARK_TRY(open_private(state, next, *priv));
  } else {
    return fail(Errc::invalid_message, "not a PublicMessage or PrivateMessage");
  }
  switch (content_type(content.content.content)) {
    case ContentType::application: {
      Processed out = processed_base(state, content, ContentKind::application);
      out.application_data = std::get<ApplicationData>(content.content.content).data;
      out.group.emplace(std::make_unique<GroupState>(std::move(next)));
      return out;
    }
    case ContentType::proposal:
      return handle_proposal(state, std::move(next), content);
    case ContentType::commit:
      return process_commit(state, std::move(next), content, bytes);
  }
  return fail(Errc::invalid_message, "unknown content type");
}

}  // namespace bulwark::protocol::mls
