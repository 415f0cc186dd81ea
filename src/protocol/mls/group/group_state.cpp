#include "protocol/mls/group/group_state.h"

#include <string>
#include <utility>

#include "protocol/mls/messages/group_context.h"

namespace bulwark::protocol::mls {

ExternalPsk clone_psk(const ExternalPsk& psk) { return ExternalPsk{psk.psk_id, psk.psk.clone()}; }

Result<crypto::Ed25519SecretKey> clone_signer(const crypto::Ed25519SecretKey& key) {
  return key.clone();
}

GroupState GroupState::clone() const {
  std::vector<OwnUpdateKey> updates;
  updates.reserve(own_updates.size());
  for (const OwnUpdateKey& entry : own_updates) {
    updates.push_back({entry.encryption_key, entry.private_key.clone()});
  }
  std::vector<ExternalPsk> psks;
  psks.reserve(external_psks.size());
  for (const ExternalPsk& psk : external_psks) psks.push_back(clone_psk(psk));
  std::vector<ResumptionPsk> resumption;
  resumption.reserve(resumption_psks.size());
  for (const ResumptionPsk& entry : resumption_psks) {
    resumption.push_back({entry.epoch, entry.psk.clone()});
  }
  return GroupState{suite,
                    config,
                    context,
                    context_bytes,
                    tree,
                    private_tree.clone(),
                    signer.clone(),
                    interim_transcript_hash,
                    confirmation_tag,
                    secrets.clone(),
                    secret_tree.clone(),
                    proposals,
                    std::move(updates),
                    std::move(psks),
                    std::move(resumption),
                    last_commit_digest};
}

Result<void> accept_basic_credential(const LeafNode& leaf, LeafIndex index) {
  if (leaf.credential.credential_type != CredentialType::basic) {
    return fail(Errc::invalid_message,
                "leaf " + index.to_string() + ": only basic credentials are accepted");
  }
  return {};
}

Result<void> accept_leaf(const GroupConfig& config, const LeafNode& leaf, LeafIndex index) {
  auto accepted =
      config.accept_leaf ? config.accept_leaf(leaf, index) : accept_basic_credential(leaf, index);
  if (!accepted) {
    return fail(accepted.error().code,
                "leaf " + index.to_string() + " refused: " + accepted.error().context);
  }
  return {};
}

Result<void> accept_leaf(const GroupState& state, const LeafNode& leaf, LeafIndex index) {
  return accept_leaf(state.config, leaf, index);
}

SignatureKeyLookup member_keys(const PublicTree& tree) {
  SignatureKeyLookup keys;
  keys.member = [&tree](LeafIndex leaf) -> Result<Bytes> {
    const LeafNode* node = tree.leaf(leaf);
    if (node == nullptr) {
      return fail(Errc::invalid_message, "sender leaf " + leaf.to_string() + " is not a member");
    }
    return node->signature_key;
  };
  // The same key as the tree keeps it parsed: a message then pays no strict key check.
  keys.member_key = [&tree](LeafIndex leaf) -> Result<crypto::Ed25519PublicKey> {
    if (tree.leaf(leaf) == nullptr) {
      return fail(Errc::invalid_message, "sender leaf " + leaf.to_string() + " is not a member");
    }
    return tree.signature_key(leaf);
  };
  return keys;
}

Result<Bytes> encode_context(const GroupContext& context) { return serialize(context); }

Result<std::shared_ptr<const PublicTree>> freeze(PublicTree tree) {
  // Filling the hash cache now means readers of the shared tree never write to it.
  BULWARK_TRY(tree.root_hash());
  return std::make_shared<const PublicTree>(std::move(tree));
}

Result<void> enter_epoch(GroupState& next, EpochSecrets secrets) {
  next.context_bytes = BULWARK_TRY(encode_context(next.context));
  next.secret_tree =
      BULWARK_TRY(SecretTree::create(next.suite, secrets.encryption_secret.view(),
                                     next.tree->leaf_count(), next.config.secret_tree_limits));
  secrets.joiner_secret = SecretBytes();
  secrets.welcome_secret = SecretBytes();
  secrets.encryption_secret = SecretBytes();
  next.resumption_psks.push_back({next.context.epoch, secrets.resumption_psk.clone()});
  const std::size_t keep = std::max<std::size_t>(next.config.resumption_psk_epochs, 1);
  if (next.resumption_psks.size() > keep) {
    next.resumption_psks.erase(next.resumption_psks.begin(),
                               next.resumption_psks.end() - static_cast<std::ptrdiff_t>(keep));
  }
  next.secrets = std::move(secrets);
  next.proposals.clear();
  next.own_updates.clear();
  return {};
}

Result<GroupState> start_state(StateParts parts, EpochSecrets secrets) {
  SecretTree placeholder =
      BULWARK_TRY(SecretTree::create(parts.suite, secrets.encryption_secret.view(),
                                     parts.tree->leaf_count(), parts.config.secret_tree_limits));
  GroupState state{parts.suite,
                   std::move(parts.config),
                   std::move(parts.context),
                   {},
                   std::move(parts.tree),
                   std::move(parts.private_tree),
                   std::move(parts.signer),
                   std::move(parts.interim_transcript_hash),
                   std::move(parts.confirmation_tag),
                   EpochSecrets{},
                   std::move(placeholder),
                   {},
                   {},
                   std::move(parts.external_psks),
                   {},
                   {}};
  BULWARK_TRY(enter_epoch(state, std::move(secrets)));
  return state;
}

MemberInfo member_info(LeafIndex leaf, const LeafNode& node) {
  return MemberInfo{leaf, node.credential, node.signature_key};
}

}  // namespace bulwark::protocol::mls
