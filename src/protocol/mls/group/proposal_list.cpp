// §12.2: the rules on the list of proposals a regular (not external) Commit covers.
#include <set>
#include <string>
#include <unordered_set>
#include <variant>

#include "protocol/mls/group/group_psks.h"
#include "protocol/mls/group/group_rules.h"

namespace bulwark::protocol::mls {
namespace {

Result<void> list_rule(const std::string& rule) {
  return fail(Errc::invalid_message, "invalid proposal list: " + rule);
}

// What the list says so far, for the rules that compare proposals with each other.
struct ListSeen {
  std::unordered_set<std::uint32_t> leaves_changed;  // by an Update or a Remove
  std::unordered_set<std::uint32_t> removed;
  std::set<Bytes> added_signature_keys;
  std::set<Bytes> psk_ids;
  int group_context_extensions = 0;
};

Result<void> check_entry(const GroupState& state, const CommittedProposal& entry,
                         LeafIndex committer, ListSeen& seen) {
  const Proposal& proposal = entry.proposal;
  switch (proposal_type(proposal)) {
    case ProposalType::update:
      if (entry.sender == committer) return list_rule("an Update from the committer");
      if (!seen.leaves_changed.insert(entry.sender.value()).second) {
        return list_rule("two Updates/Removes for leaf " + entry.sender.to_string());
      }
      return {};
    case ProposalType::remove: {
      const std::uint32_t removed = std::get<Remove>(proposal.body).removed;
      if (LeafIndex(removed) == committer) return list_rule("a Remove of the committer");
      if (state.tree->leaf(LeafIndex(removed)) == nullptr) {
        return list_rule("a Remove of blank leaf " + std::to_string(removed));
      }
      if (!seen.leaves_changed.insert(removed).second) {
        return list_rule("two Updates/Removes for leaf " + std::to_string(removed));
      }
      seen.removed.insert(removed);
      return {};
    }
    case ProposalType::add: {
      const Bytes& key = std::get<Add>(proposal.body).key_package.leaf_node.signature_key;
      if (!seen.added_signature_keys.insert(key).second) {
        return list_rule("two Adds of the same client");
      }
      return {};
    }
    case ProposalType::psk: {
      const PreSharedKeyID& id = std::get<PreSharedKey>(proposal.body).psk;
      BULWARK_TRY(check_psk_id(id));
      Bytes encoded = BULWARK_TRY(encode_with([&](TlsWriter& w) { encode(w, id); }));
      if (!seen.psk_ids.insert(std::move(encoded)).second) {
        return list_rule("two PreSharedKey proposals for the same PSK");
      }
      return {};
    }
    case ProposalType::group_context_extensions:
      if (++seen.group_context_extensions > 1) {
        return list_rule("more than one GroupContextExtensions");
      }
      return {};
    case ProposalType::reinit:
      return list_rule("ReInit is not supported");
    case ProposalType::external_init:
      return list_rule("an ExternalInit in a regular commit");
  }
  return list_rule("proposal type " +
                   std::to_string(static_cast<unsigned>(proposal_type(proposal))) +
                   " is not supported");
}

}  // namespace

Result<void> check_proposal_list(const GroupState& state, std::span<const CommittedProposal> list,
                                 LeafIndex committer) {
  ListSeen seen;
  for (const CommittedProposal& entry : list) {
    if (state.tree->leaf(entry.sender) == nullptr) {
      return list_rule("a proposal from blank leaf " + entry.sender.to_string());
    }
    BULWARK_TRY(check_entry(state, entry, committer, seen));
  }
  // An Add of a client already in the group, unless the list removes it (identical
  // signature keys are the same client: the application may be stricter via its acceptor).
  for (const Bytes& key : seen.added_signature_keys) {
    const auto present = state.tree->find_by_signature_key(key);
    if (present && !seen.removed.contains(present->value())) {
      return list_rule("an Add of a client already in the group (leaf " + present->to_string() +
                       ")");
    }
  }
  return {};
}

}  // namespace bulwark::protocol::mls
