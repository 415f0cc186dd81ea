// Group::serialize: the state in the format of state_codec.h, straight into SecretBytes.
#include <utility>

#include "protocol/mls/group/group_state.h"
#include "protocol/mls/group/secret_writer.h"
#include "protocol/mls/group/state_codec.h"
#include "protocol/mls/messages/ratchet_tree.h"

namespace bulwark::protocol::mls {
namespace {

// The public parts, encoded once with the message codecs.
struct PublicParts {
  Bytes context;
  Bytes tree;
  std::vector<Bytes> proposals;
};

Result<PublicParts> public_parts(const GroupState& state) {
  PublicParts out;
  out.context = BULWARK_TRY(serialize(state.context));
  out.tree = BULWARK_TRY(serialize(state.tree->to_wire()));
  for (const CachedProposal& cached : state.proposals) {
    Bytes proposal = BULWARK_TRY(serialize(cached.proposal));
    out.proposals.push_back(std::move(proposal));
  }
  return out;
}

void write_ratchet(SecretWriter& w, const SecretTreeSnapshot::Ratchet& ratchet) {
  w.u64(ratchet.next_generation);
  w.opaque(ratchet.secret.view());
  w.u64(ratchet.oldest_kept);
  w.vector([&](SecretWriter& inner) {
    for (const auto& [generation, key] : ratchet.skipped) {
      inner.u32(generation);
      inner.opaque(key.key.view());
      inner.opaque(key.nonce.view());
    }
  });
}

void write_secret_tree(SecretWriter& w, const SecretTreeSnapshot& tree) {
  w.u32(tree.n_leaves);
  w.vector([&](SecretWriter& inner) {
    for (const auto& [node, secret] : tree.node_secrets) {
      inner.u32(node);
      inner.opaque(secret.view());
    }
  });
  w.vector([&](SecretWriter& inner) {
    for (const auto& leaf : tree.leaves) {
      inner.u32(leaf.leaf);
      write_ratchet(inner, leaf.handshake);
      write_ratchet(inner, leaf.application);
    }
  });
}

void write_epoch_secrets(SecretWriter& w, const EpochSecrets& secrets) {
  for (const SecretBytes* secret :
       {&secrets.sender_data_secret, &secrets.exporter_secret, &secrets.external_secret,
        &secrets.confirmation_key, &secrets.membership_key, &secrets.resumption_psk,
        &secrets.epoch_authenticator, &secrets.init_secret}) {
    w.opaque(secret->view());
  }
}

void write_lists(SecretWriter& w, const GroupState& state, const PublicParts& parts) {
  w.vector([&](SecretWriter& inner) {
    for (std::size_t i = 0; i < state.proposals.size(); ++i) {
      inner.opaque(state.proposals[i].ref);
      inner.fixed(parts.proposals[i]);
      inner.u32(state.proposals[i].sender.value());
    }
  });
  w.vector([&](SecretWriter& inner) {
    for (const OwnUpdateKey& entry : state.own_updates) {
      inner.opaque(entry.encryption_key);
      inner.opaque(entry.private_key.bytes().view());
    }
  });
  w.vector([&](SecretWriter& inner) {
    for (const ExternalPsk& psk : state.external_psks) {
      inner.opaque(psk.psk_id);
      inner.opaque(psk.psk.view());
    }
  });
  w.vector([&](SecretWriter& inner) {
    for (const ResumptionPsk& psk : state.resumption_psks) {
      inner.u64(psk.epoch);
      inner.opaque(psk.psk.view());
    }
  });
}

void write_state(SecretWriter& w, const GroupState& state, const PublicParts& parts,
                 const SecretTreeSnapshot& secret_tree) {
  w.u16(group_state_version);
  w.opaque(parts.context);
  w.opaque(parts.tree);
  w.u32(state.own_leaf().value());
  w.opaque(state.private_tree.leaf_key().bytes().view());
  w.vector([&](SecretWriter& inner) {
    for (const NodeSecret& entry : state.private_tree.path_secrets()) {
      inner.u32(entry.node.value());
      inner.opaque(entry.secret.view());
    }
  });
  w.opaque(state.signer.seed().view());
  w.opaque(state.interim_transcript_hash);
  w.opaque(state.confirmation_tag);
  write_epoch_secrets(w, state.secrets);
  write_secret_tree(w, secret_tree);
  write_lists(w, state, parts);
  w.opaque(state.last_commit_digest);
}

}  // namespace

Result<SecretBytes> Group::serialize() const {
  const GroupState& state = *state_;
  const PublicParts parts = BULWARK_TRY(public_parts(state));
  const SecretTreeSnapshot secret_tree = state.secret_tree.snapshot();
  return write_secret([&](SecretWriter& w) { write_state(w, state, parts, secret_tree); });
}

}  // namespace bulwark::protocol::mls
