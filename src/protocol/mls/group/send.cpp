// Sending within an epoch: application messages (§15) and this member's own proposals
// (§12.1.2, §12.1.3), which it caches for the epoch's commit like anyone else's.
#include <utility>

#include "crypto/x25519.h"
#include "protocol/mls/group/commit_parts.h"
#include "protocol/mls/group/group_rules.h"
#include "protocol/mls/key_package.h"

namespace bulwark::protocol::mls {
namespace {

Result<void> check_handshake_format(WireFormat wire_format) {
  if (wire_format != WireFormat::mls_public_message &&
      wire_format != WireFormat::mls_private_message) {
    return fail(Errc::invalid_argument, "handshake wire format must be public or private");
  }
  return {};
}

// Signs, caches and protects a proposal of this member.
Result<Group::Sent> send_proposal(const GroupState& state, GroupState next, Proposal proposal,
                                  WireFormat wire_format, Rng& rng,
                                  ByteView authenticated_data = {}) {
  BULWARK_TRY(check_handshake_format(wire_format));
  if (next.proposals.size() >= max_cached_proposals) {
    return fail(Errc::capacity_exceeded, "too many proposals in one epoch");
  }
  const LeafIndex me = state.own_leaf();
  FramedContent content{state.context.group_id, state.context.epoch, member_sender(me.value()),
                        to_bytes(authenticated_data), proposal};
  const AuthenticatedContent signed_content = BULWARK_TRY(
      sign_content(state.suite, state.signer, wire_format, std::move(content), &state.context));
  ProposalRef ref = BULWARK_TRY(proposal_ref(state.suite, signed_content));
  next.proposals.push_back({std::move(ref), std::move(proposal), me});
  Bytes message = BULWARK_TRY(protect(next, signed_content, rng));
  return Group::Sent{Group(std::make_unique<GroupState>(std::move(next))), std::move(message)};
}

}  // namespace

Result<Group::Sent> Group::encrypt(ByteView plaintext, ByteView authenticated_data,
                                   Rng& rng) const {
  const GroupState& state = *state_;
  if (!state.proposals.empty()) {
    return fail(Errc::conflict, "proposals of this epoch must be committed before sending");
  }
  GroupState next = state.clone();
  FramedContent content{state.context.group_id, state.context.epoch,
                        member_sender(state.own_leaf().value()), to_bytes(authenticated_data),
                        ApplicationData{to_bytes(plaintext)}};
  const AuthenticatedContent signed_content =
      BULWARK_TRY(sign_content(state.suite, state.signer, WireFormat::mls_private_message,
                               std::move(content), &state.context));
  Bytes message = BULWARK_TRY(protect(next, signed_content, rng));
  return Sent{Group(std::make_unique<GroupState>(std::move(next))), std::move(message)};
}

Result<Group::Sent> Group::propose_remove(LeafIndex removed, Rng& rng, WireFormat wire_format,
                                          ByteView authenticated_data) const {
  if (state_->tree->leaf(removed) == nullptr) {
    return fail(Errc::invalid_argument, "leaf " + removed.to_string() + " is not a member");
  }
  return send_proposal(*state_, state_->clone(), Proposal{Remove{removed.value()}}, wire_format,
                       rng, authenticated_data);
}

Result<Group::Sent> Group::propose_update(Rng& rng, WireFormat wire_format) const {
  const GroupState& state = *state_;
  const LeafIndex me = state.own_leaf();
  crypto::X25519KeyPair keys = crypto::x25519_keypair(rng);
  LeafNode leaf = *state.tree->leaf(me);
  leaf.encryption_key = to_bytes(keys.public_key.bytes());
  leaf.leaf_node_source = LeafNodeSource::update;
  leaf.lifetime.reset();
  leaf.parent_hash.reset();
  BULWARK_TRY(sign_leaf_node(state.suite, state.signer, leaf, state.context.group_id, me.value()));
  GroupState next = state.clone();
  next.own_updates.push_back({leaf.encryption_key, std::move(keys.secret_key)});
  return send_proposal(state, std::move(next), Proposal{Update{std::move(leaf)}}, wire_format, rng);
}

}  // namespace bulwark::protocol::mls
