// Which proposals a commit covers (§12.4: "SHOULD include all proposals that it has
// received during the current epoch that are valid ... as long as this results in a valid
// proposal list"): the pending ones by reference, preferring a Remove over Updates and the
// latest Update of a leaf, then the committer's own by value.
#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>
#include <variant>

#include "protocol/mls/group/commit_parts.h"
#include "protocol/mls/group/group_psks.h"

namespace bulwark::protocol::mls {
namespace {

// The leaf an Update or Remove is about, if it is one.
std::optional<std::uint32_t> subject(const CachedProposal& cached) {
  if (std::holds_alternative<Update>(cached.proposal.body)) return cached.sender.value();
  if (const auto* remove = std::get_if<Remove>(&cached.proposal.body)) return remove->removed;
  return std::nullopt;
}

// Whether the pending proposal at `at` should be committed, given everything pending and
// the committer's own request.
bool keep_pending(const GroupState& state, const CommitRequest& request, std::size_t at) {
  const CachedProposal& cached = state.proposals[at];
  const LeafIndex me = state.own_leaf();
  const auto leaf = subject(cached);
  if (!leaf) {
    // A later GroupContextExtensions (or the committer's own) replaces an earlier one.
    if (!std::holds_alternative<GroupContextExtensions>(cached.proposal.body)) return true;
    if (request.group_context_extensions) return false;
    return std::none_of(
        state.proposals.begin() + static_cast<std::ptrdiff_t>(at) + 1, state.proposals.end(),
        [](const CachedProposal& later) {
          return std::holds_alternative<GroupContextExtensions>(later.proposal.body);
        });
  }
  if (*leaf == me.value()) return false;  // a committer never commits its own Update/Remove
  const bool removed_by_request =
      std::any_of(request.remove.begin(), request.remove.end(),
                  [&](LeafIndex index) { return index.value() == *leaf; });
  if (removed_by_request) return false;
  const bool is_remove = std::holds_alternative<Remove>(cached.proposal.body);
  for (std::size_t other = 0; other < state.proposals.size(); ++other) {
    if (other == at || subject(state.proposals[other]) != leaf) continue;
    const bool other_remove = std::holds_alternative<Remove>(state.proposals[other].proposal.body);
    if (other_remove && !is_remove) return false;               // a Remove wins over an Update
    if (other_remove == is_remove && other > at) return false;  // the latest of a kind wins
  }
  return true;
}

// A pending proposal that the list rules or the group's state would refuse is left out
// rather than failing the commit (PSKs we do not hold, Adds of clients present, ...).
bool committable(const GroupState& state, const CachedProposal& cached, std::set<Bytes>& added) {
  if (const auto* add = std::get_if<Add>(&cached.proposal.body)) {
    const Bytes& key = add->key_package.leaf_node.signature_key;
    return added.insert(key).second && !state.tree->find_by_signature_key(key);
  }
  if (const auto* psk = std::get_if<PreSharedKey>(&cached.proposal.body)) {
    const PreSharedKeyID& id = psk->psk;
    const PskSources sources{state.external_psks, state.resumption_psks, state.context.group_id};
    return static_cast<bool>(resolve_psk_secret(state.suite, std::span(&id, 1), sources));
  }
  return true;
}

void push(CommitList& out, Proposal proposal, LeafIndex sender) {
  out.wire.push_back(ProposalOrRef{proposal});
  out.resolved.push_back(CommittedProposal{std::move(proposal), sender, false});
}

}  // namespace

Result<CommitList> gather_proposals(const GroupState& state, const CommitRequest& request,
                                    Rng& rng) {
  CommitList out;
  const LeafIndex me = state.own_leaf();
  std::set<Bytes> added;
  if (request.include_pending) {
    for (std::size_t at = 0; at < state.proposals.size(); ++at) {
      const CachedProposal& cached = state.proposals[at];
      if (!keep_pending(state, request, at) || !committable(state, cached, added)) continue;
      out.wire.push_back(ProposalOrRef{cached.ref});
      out.resolved.push_back(CommittedProposal{cached.proposal, cached.sender, true});
    }
  }
  for (const LeafIndex removed : request.remove) push(out, Proposal{Remove{removed.value()}}, me);
  for (const KeyPackage& key_package : request.add) push(out, Proposal{Add{key_package}}, me);
  if (request.group_context_extensions) {
    push(out, Proposal{GroupContextExtensions{*request.group_context_extensions}}, me);
  }
  for (const Bytes& psk_id : request.external_psks) {
    PreSharedKeyID id{ExternalPskId{psk_id}, Bytes(CipherSuite::hash_size())};
    rng.fill(id.psk_nonce);
    push(out, Proposal{PreSharedKey{std::move(id)}}, me);
  }
  return out;
}

}  // namespace bulwark::protocol::mls
