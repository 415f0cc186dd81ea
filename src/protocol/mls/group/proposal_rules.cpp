// §12.1 (each proposal's own validity) and §12.2 (the rules on a committed list).
#include <algorithm>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>

#include "protocol/mls/group/group_psks.h"
#include "protocol/mls/group/group_rules.h"
#include "protocol/mls/key_package.h"
#include "protocol/mls/messages/known_extensions.h"
#include "protocol/mls/tree/tree_validation.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::string_view proposal_ref_label = "MLS 1.0 Proposal Reference";

bool default_extension(ExtensionType type) {
  const auto value = static_cast<std::uint16_t>(type);
  return value >= 1 && value <= 5;
}

bool default_proposal(ProposalType type) {
  const auto value = static_cast<std::uint16_t>(type);
  return value >= 1 && value <= 7;
}

template <class T>
bool listed(const std::vector<T>& list, T value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Result<void> check_required(const LeafNode& leaf, const RequiredCapabilities& required,
                            const std::string& where) {
  for (const ExtensionType type : required.extension_types) {
    if (!default_extension(type) && !listed(leaf.capabilities.extensions, type)) {
      return fail(Errc::invalid_message, where + " lacks a required extension");
    }
  }
  for (const ProposalType type : required.proposal_types) {
    if (!default_proposal(type) && !listed(leaf.capabilities.proposals, type)) {
      return fail(Errc::invalid_message, where + " lacks a required proposal type");
    }
  }
  for (const CredentialType type : required.credential_types) {
    if (!listed(leaf.capabilities.credentials, type)) {
      return fail(Errc::invalid_message, where + " lacks a required credential type");
    }
  }
  return {};
}

Result<void> check_update(const GroupState& state, const Update& update, LeafIndex sender) {
  BULWARK_TRY(check_hpke_key(update.leaf_node.encryption_key, "Update leaf"));
  const LeafValidator validator = BULWARK_TRY(
      LeafValidator::create(*state.tree, state.context.group_id, state.context.extensions));
  auto valid = validator.check_new_leaf(update.leaf_node, LeafNodeSource::update, sender);
  if (!valid) {
    return fail(valid.error().code,
                "Update from leaf " + sender.to_string() + ": " + valid.error().context);
  }
  return accept_leaf(state, update.leaf_node, sender);
}

Result<void> check_add(const GroupState& state, const Add& add) {
  const KeyPackage& key_package = add.key_package;
  // Receivers need not check the lifetime (§7.3): the package may have expired in transit.
  auto valid = check_key_package(state.suite, key_package, std::nullopt);
  if (!valid) return fail(valid.error().code, "Add: " + valid.error().context);
  const LeafIndex index = state.tree->next_free_leaf();
  const LeafValidator validator = BULWARK_TRY(
      LeafValidator::create(*state.tree, state.context.group_id, state.context.extensions));
  auto fits =
      validator.check_new_leaf(key_package.leaf_node, LeafNodeSource::key_package, index, *valid);
  if (!fits) return fail(fits.error().code, "Add: " + fits.error().context);
  return accept_leaf(state, key_package.leaf_node, index);
}

}  // namespace

Result<ProposalRef> proposal_ref(const CipherSuite& suite, const AuthenticatedContent& content) {
  const Bytes encoded = BULWARK_TRY(serialize(content));
  return suite.ref_hash(proposal_ref_label, encoded);
}

Result<void> check_leaf_supports_group(const LeafNode& leaf,
                                       const std::vector<Extension>& extensions, LeafIndex index) {
  const std::string where = "leaf " + index.to_string();
  for (const Extension& extension : extensions) {
    if (!default_extension(extension.extension_type) &&
        !listed(leaf.capabilities.extensions, extension.extension_type)) {
      return fail(Errc::invalid_message, where + " does not support a group context extension");
    }
  }
  const Extension* required = find_extension(extensions, ExtensionType::required_capabilities);
  if (required == nullptr) return {};
  auto decoded = required_capabilities_from(*required);
  if (!decoded) return fail(Errc::invalid_message, "required_capabilities does not decode");
  return check_required(leaf, *decoded, where);
}

Result<void> check_proposal(const GroupState& state, const Proposal& proposal, LeafIndex sender) {
  if (state.tree->leaf(sender) == nullptr) {
    return fail(Errc::invalid_message,
                "proposal from leaf " + sender.to_string() + ", which is not a member");
  }
  switch (proposal_type(proposal)) {
    case ProposalType::add:
      return check_add(state, std::get<Add>(proposal.body));
    case ProposalType::update:
      return check_update(state, std::get<Update>(proposal.body), sender);
    case ProposalType::remove: {
      const auto removed = LeafIndex(std::get<Remove>(proposal.body).removed);
      if (state.tree->leaf(removed) != nullptr) return {};
      return fail(Errc::invalid_message,
                  "Remove of leaf " + removed.to_string() + ", which is not a member");
    }
    case ProposalType::psk:
      return check_psk_id(std::get<PreSharedKey>(proposal.body).psk);
    case ProposalType::group_context_extensions:
      return {};  // checked against every member when applied
    case ProposalType::reinit:
      return fail(Errc::invalid_message, "ReInit proposals are not supported");
    case ProposalType::external_init:
      return fail(Errc::invalid_message, "ExternalInit outside an external commit");
  }
  return fail(Errc::invalid_message,
              "proposal type " + std::to_string(static_cast<unsigned>(proposal_type(proposal))) +
                  " is not supported");
}

Result<std::vector<CommittedProposal>> resolve_proposals(const GroupState& state,
                                                         const Commit& commit,
                                                         LeafIndex committer) {
  std::vector<CommittedProposal> out;
  out.reserve(commit.proposals.size());
  for (const ProposalOrRef& entry : commit.proposals) {
    if (const auto* proposal = std::get_if<Proposal>(&entry.body)) {
      out.push_back({*proposal, committer});
      continue;
    }
    const ProposalRef& ref = std::get<ProposalRef>(entry.body);
    const auto cached = std::find_if(state.proposals.begin(), state.proposals.end(),
                                     [&](const CachedProposal& held) { return held.ref == ref; });
    if (cached == state.proposals.end()) {
      return fail(Errc::invalid_message, "commit names a proposal not received this epoch");
    }
    out.push_back({cached->proposal, cached->sender, true});
  }
  return out;
}

bool path_required(std::span<const CommittedProposal> list) {
  if (list.empty()) return true;
  return std::any_of(list.begin(), list.end(), [](const CommittedProposal& entry) {
    const ProposalType type = proposal_type(entry.proposal);
    return type == ProposalType::update || type == ProposalType::remove ||
           type == ProposalType::external_init || type == ProposalType::group_context_extensions;
  });
}

}  // namespace bulwark::protocol::mls
