// §12.3: applying a committed proposal list to copies of the tree and GroupContext
// extensions, in the RFC's order: GroupContextExtensions, Updates, Removes, Adds, PSKs.
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include "protocol/mls/group/group_rules.h"
#include "protocol/mls/tree/tree_validation.h"

namespace bulwark::protocol::mls {
namespace {

template <class T>
std::vector<std::pair<const T*, const CommittedProposal*>> of_type(
    std::span<const CommittedProposal> list) {
  std::vector<std::pair<const T*, const CommittedProposal*>> out;
  for (const CommittedProposal& entry : list) {
    if (const auto* body = std::get_if<T>(&entry.proposal.body)) out.emplace_back(body, &entry);
  }
  return out;
}

Result<void> named(Result<void> result, const std::string& what) {
  if (!result) return fail(result.error().code, what + ": " + result.error().context);
  return {};
}

Result<void> apply_updates(const GroupState& state, std::span<const CommittedProposal> list,
                           AppliedProposals& out) {
  const auto updates = of_type<Update>(list);
  if (updates.empty()) return {};
  const LeafValidator validator =
      BULWARK_TRY(LeafValidator::create(*state.tree, state.context.group_id, out.extensions));
  for (const auto& [update, entry] : updates) {
    const LeafNode& leaf = update->leaf_node;
    const std::string what = "Update from leaf " + entry->sender.to_string();
    BULWARK_TRY(named(validator.check_new_leaf(leaf, LeafNodeSource::update, entry->sender), what));
    BULWARK_TRY(accept_leaf(state, leaf, entry->sender));
    BULWARK_TRY(named(out.tree.update_leaf(entry->sender, leaf), what));
    if (entry->sender == state.own_leaf()) out.my_update_key = leaf.encryption_key;
    out.changes.push_back({RosterChangeKind::updated, entry->sender, leaf.credential,
                           leaf.signature_key, entry->sender});
  }
  return {};
}

Result<void> apply_removes(const GroupState& state, std::span<const CommittedProposal> list,
                           AppliedProposals& out) {
  for (const auto& [remove, entry] : of_type<Remove>(list)) {
    const LeafIndex removed(remove->removed);
    const LeafNode* leaf = out.tree.leaf(removed);
    if (leaf == nullptr) {
      return fail(Errc::invalid_message,
                  "Remove of leaf " + removed.to_string() + ", which is not a member");
    }
    out.changes.push_back(
        {RosterChangeKind::removed, removed, leaf->credential, leaf->signature_key, entry->sender});
    if (removed == state.own_leaf()) out.removes_me = true;
    BULWARK_TRY(named(out.tree.remove_leaf(removed), "Remove of leaf " + removed.to_string()));
  }
  return {};
}

// The new members must support each other's credential types (§7.3), which a validator
// built before any of them entered cannot see.
Result<void> check_adds_support_each_other(
    const std::vector<std::pair<const Add*, const CommittedProposal*>>& adds) {
  std::set<CredentialType> types;
  for (const auto& entry : adds)
    types.insert(entry.first->key_package.leaf_node.credential.credential_type);
  for (std::size_t i = 0; i < adds.size(); ++i) {
    const auto& listed = adds[i].first->key_package.leaf_node.capabilities.credentials;
    for (const CredentialType type : types) {
      if (std::find(listed.begin(), listed.end(), type) == listed.end()) {
        return fail(Errc::invalid_message, "Add #" + std::to_string(i) +
                                               ": does not support the credential type of "
                                               "another member added");
      }
    }
  }
  return {};
}

Result<void> apply_adds(const GroupState& state, std::span<const CommittedProposal> list,
                        std::optional<std::uint64_t> now, AppliedProposals& out) {
  const auto adds = of_type<Add>(list);
  if (adds.empty()) return {};
  {
    // Every Add is checked against the tree after the Removes (so that a client may be
    // removed and added back) before any enters: the validator is built once, and each
    // check is O(1) plus the signatures.
    const LeafValidator validator =
        BULWARK_TRY(LeafValidator::create(out.tree, state.context.group_id, out.extensions));
    const LeafIndex first_free = out.tree.next_free_leaf();
    for (std::size_t i = 0; i < adds.size(); ++i) {
      const KeyPackage& key_package = adds[i].first->key_package;
      const LeafNode& leaf = key_package.leaf_node;
      const std::string what = "Add #" + std::to_string(i);
      if (adds[i].second->verified) {
        // Verified on receipt against this epoch's tree: what the list can change is the
        // context extensions, the lifetime the committer checks, and the other Adds.
        BULWARK_TRY(named(check_leaf_supports_group(leaf, out.extensions, first_free), what));
        if (now && leaf.lifetime &&
            (*now < leaf.lifetime->not_before || *now > leaf.lifetime->not_after)) {
          return fail(Errc::invalid_message, what + ": the KeyPackage is outside its lifetime");
        }
        continue;
      }
      auto signature_key = check_key_package(state.suite, key_package, now);
      if (!signature_key) return named(tl::unexpected(signature_key.error()), what);
      BULWARK_TRY(named(
          validator.check_new_leaf(leaf, LeafNodeSource::key_package, first_free, *signature_key),
          what));
    }
  }
  BULWARK_TRY(check_adds_support_each_other(adds));
  for (const auto& [add, entry] : adds) {
    const LeafNode& leaf = add->key_package.leaf_node;
    const LeafIndex placed = BULWARK_TRY(out.tree.add_leaf(leaf));
    BULWARK_TRY(accept_leaf(state, leaf, placed));
    out.joiners.push_back(placed);
    out.add_entries.push_back(static_cast<std::size_t>(entry - list.data()));
    out.changes.push_back(
        {RosterChangeKind::added, placed, leaf.credential, leaf.signature_key, entry->sender});
  }
  return {};
}

// A GroupContextExtensions proposal holds only if every member after the commit supports the
// new extensions (§12.1.7): O(members), no signatures.
Result<void> check_members_support(const AppliedProposals& out) {
  for (const LeafIndex leaf : out.tree.members()) {
    BULWARK_TRY(named(check_leaf_supports_group(*out.tree.leaf(leaf), out.extensions, leaf),
                      "GroupContextExtensions"));
  }
  return {};
}

}  // namespace

Result<AppliedProposals> apply_proposals(const GroupState& state,
                                         std::span<const CommittedProposal> list,
                                         std::optional<std::uint64_t> now) {
  AppliedProposals out{*state.tree, state.context.extensions, {}, {}, {}, {}, false, {}};
  const auto extensions = of_type<GroupContextExtensions>(list);
  if (!extensions.empty()) out.extensions = extensions.front().first->extensions;
  BULWARK_TRY(apply_updates(state, list, out));
  BULWARK_TRY(apply_removes(state, list, out));
  BULWARK_TRY(apply_adds(state, list, now, out));
  for (const auto& [psk, entry] : of_type<PreSharedKey>(list)) out.psks.push_back(psk->psk);
  if (!extensions.empty()) BULWARK_TRY(check_members_support(out));
  return out;
}

}  // namespace bulwark::protocol::mls
