// The step from one epoch to the next (RFC 9420 §8, §8.2, §12.4) and message protection,
// shared by the committer and the receivers of a commit.
#include <utility>

#include "protocol/mls/group/commit_parts.h"
#include "protocol/mls/group/group_psks.h"
#include "protocol/mls/messages/mls_message.h"
#include "protocol/mls/transcript.h"

namespace bulwark::protocol::mls {

GroupContext provisional_context(const GroupState& state,
                                 const std::vector<Extension>& extensions) {
  GroupContext context = state.context;
  context.epoch = state.context.epoch + 1;
  context.extensions = extensions;
  return context;
}

Result<SecretBytes> commit_psk_secret(const GroupState& state,
                                      std::span<const PreSharedKeyID> psks) {
  const PskSources sources{state.external_psks, state.resumption_psks, state.context.group_id};
  return resolve_psk_secret(state.suite, psks, sources);
}

Result<EpochKeys> derive_next_epoch(const GroupState& state, GroupState& next, PublicTree tree,
                                    GroupContext context, const AuthenticatedContent& commit,
                                    ByteView commit_secret, ByteView psk_secret) {
  context.tree_hash = BULWARK_TRY(tree.root_hash());
  context.confirmed_transcript_hash =
      BULWARK_TRY(confirmed_transcript_hash(state.interim_transcript_hash, commit));
  const Bytes context_bytes = BULWARK_TRY(encode_context(context));
  EpochSecrets secrets = BULWARK_TRY(derive_epoch_secrets(
      state.suite, state.secrets.init_secret.view(), commit_secret, psk_secret, context_bytes));
  Bytes tag = confirmation_tag(secrets.confirmation_key.view(), context.confirmed_transcript_hash);
  next.tree = BULWARK_TRY(freeze(std::move(tree)));
  next.context = std::move(context);
  return EpochKeys{std::move(secrets), std::move(tag)};
}

Result<void> finish_epoch(GroupState& next, EpochKeys keys, ByteView commit_message) {
  next.interim_transcript_hash = BULWARK_TRY(
      interim_transcript_hash(next.context.confirmed_transcript_hash, keys.confirmation_tag));
  next.confirmation_tag = std::move(keys.confirmation_tag);
  next.last_commit_digest = next.suite.hash(commit_message);
  return enter_epoch(next, std::move(keys.secrets));
}

Result<Bytes> wrap_public(const PublicMessage& message) {
  return serialize(MLSMessage{ProtocolVersion::mls10, message});
}

Result<Bytes> wrap_private(const PrivateMessage& message) {
  return serialize(MLSMessage{ProtocolVersion::mls10, message});
}

Result<Bytes> protect(GroupState& state, const AuthenticatedContent& content, Rng& rng) {
  if (content.wire_format == WireFormat::mls_public_message) {
    const PublicMessage message = BULWARK_TRY(
        protect_public(state.suite, content, state.secrets.membership_key.view(), state.context));
    return wrap_public(message);
  }
  const PrivateMessage message = BULWARK_TRY(
      protect_private(state.suite, content, state.secret_tree,
                      state.secrets.sender_data_secret.view(), rng, state.config.padding));
  return wrap_private(message);
}

}  // namespace bulwark::protocol::mls
