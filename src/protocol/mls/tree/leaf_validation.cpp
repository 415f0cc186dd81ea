// LeafValidator: leaf node validation (RFC 9420 §7.3) against a summary of the members'
// credentials and capabilities, built once per tree state.
#include <algorithm>
#include <string>
#include <utility>

#include "protocol/mls/tree/tree_validation.h"

namespace bulwark::protocol::mls {
namespace {

// "leaf 3: <rule>: <detail>"
tl::unexpected<Error> leaf_error(Errc code, LeafIndex leaf, std::string_view rule,
                                 std::string_view detail) {
  return fail(code,
              "leaf " + leaf.to_string() + ": " + std::string(rule) + ": " + std::string(detail));
}

// The types RFC 9420 §7.2 calls default: every client supports them without listing them.
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

std::uint16_t raw(CredentialType type) { return static_cast<std::uint16_t>(type); }

// The distinct credential types a leaf supports (a list may repeat a value).
std::vector<CredentialType> supported_credentials(const LeafNode& leaf) {
  std::vector<CredentialType> out = leaf.capabilities.credentials;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<void> check_required(const LeafNode& leaf, LeafIndex index,
                            const RequiredCapabilities& required) {
  const Capabilities& caps = leaf.capabilities;
  for (ExtensionType type : required.extension_types) {
    if (!default_extension(type) && !listed(caps.extensions, type)) {
      return leaf_error(Errc::invalid_message, index, tree_rule::required_capabilities,
                        "a required extension type is not supported");
    }
  }
  for (ProposalType type : required.proposal_types) {
    if (!default_proposal(type) && !listed(caps.proposals, type)) {
      return leaf_error(Errc::invalid_message, index, tree_rule::required_capabilities,
                        "a required proposal type is not supported");
    }
  }
  for (CredentialType type : required.credential_types) {
    if (!listed(caps.credentials, type)) {
      return leaf_error(Errc::invalid_message, index, tree_rule::required_capabilities,
                        "a required credential type is not supported");
    }
  }
  return {};
}

Result<void> check_lifetime(const LeafNode& leaf, LeafIndex index, const LeafPolicy& policy) {
  if (!leaf.lifetime) return {};
  const Lifetime& life = *leaf.lifetime;
  if (life.not_after < life.not_before) {
    return leaf_error(Errc::invalid_message, index, tree_rule::lifetime,
                      "it ends before it starts");
  }
  if (policy.now && (*policy.now < life.not_before || *policy.now > life.not_after)) {
    return leaf_error(Errc::invalid_message, index, tree_rule::lifetime, "not valid now");
  }
  if (policy.max_lifetime_seconds &&
      life.not_after - life.not_before > *policy.max_lifetime_seconds) {
    return leaf_error(Errc::invalid_message, index, tree_rule::lifetime, "longer than allowed");
  }
  return {};
}

Result<void> check_extensions(const LeafNode& leaf, LeafIndex index) {
  for (const Extension& extension : leaf.extensions) {
    if (!default_extension(extension.extension_type) &&
        !listed(leaf.capabilities.extensions, extension.extension_type)) {
      return leaf_error(Errc::invalid_message, index, tree_rule::extension_unsupported,
                        "an extension type is not in the leaf's capabilities");
    }
  }
  return {};
}

}  // namespace

LeafValidator::LeafValidator(const PublicTree& tree, Bytes group_id, RequiredCapabilities required,
                             LeafPolicy policy)
    : tree_(&tree),
      group_id_(std::move(group_id)),
      required_(std::move(required)),
      policy_(policy) {
  for (LeafIndex member : tree.members()) {
    const LeafNode& leaf = *tree.leaf(member);
    ++credentials_in_use_[raw(leaf.credential.credential_type)];
    for (CredentialType type : supported_credentials(leaf)) ++credentials_supported_[raw(type)];
  }
}

Result<LeafValidator> LeafValidator::create(const PublicTree& tree, ByteView group_id,
                                            const std::vector<Extension>& group_extensions,
                                            LeafPolicy policy) {
  RequiredCapabilities required;
  if (const Extension* ext =
          find_extension(group_extensions, ExtensionType::required_capabilities)) {
    auto decoded = required_capabilities_from(*ext);
    if (!decoded) {
      return fail(Errc::invalid_message,
                  "group context: required_capabilities: the extension does not decode");
    }
    required = std::move(*decoded);
  }
  return LeafValidator(tree, to_bytes(group_id), std::move(required), policy);
}

Result<void> LeafValidator::check_new_leaf(const LeafNode& leaf, LeafNodeSource source,
                                           LeafIndex index) const {
  return check_entering(leaf, source, index, nullptr);
}

Result<void> LeafValidator::check_new_leaf(const LeafNode& leaf, LeafNodeSource source,
                                           LeafIndex index,
                                           const crypto::Ed25519PublicKey& signature_key) const {
  return check_entering(leaf, source, index, &signature_key);
}

Result<void> LeafValidator::check_entering(const LeafNode& leaf, LeafNodeSource source,
                                           LeafIndex index,
                                           const crypto::Ed25519PublicKey* signature_key) const {
  if (leaf.leaf_node_source != source) {
    return leaf_error(Errc::invalid_message, index, tree_rule::leaf_node_source,
                      "the leaf has the wrong source");
  }
  std::optional<LeafIndex> replaced;
  if (source != LeafNodeSource::key_package) {
    if (!tree_->leaf(index)) {
      return leaf_error(Errc::invalid_message, index, tree_rule::leaf_node_source,
                        "an update or commit leaf must replace a member");
    }
    replaced = index;
  }
  if (auto holder = tree_->find_by_signature_key(leaf.signature_key);
      holder && holder != replaced) {
    return leaf_error(Errc::invalid_message, index, tree_rule::duplicate_signature_key,
                      "leaf " + holder->to_string() + " has the same signature key");
  }
  if (auto holder = tree_->find_by_encryption_key(leaf.encryption_key)) {
    const bool own = replaced && *holder == to_node(*replaced);
    return leaf_error(Errc::invalid_message, index,
                      own ? tree_rule::encryption_key_reused : tree_rule::duplicate_encryption_key,
                      own ? "the leaf keeps its old encryption key"
                          : "node " + holder->to_string() + " has the same encryption key");
  }
  BULWARK_TRY(check_common(leaf, index, replaced));
  return verify_signature(leaf, index, signature_key);
}

Result<void> LeafValidator::check_tree_leaf(LeafIndex index) const {
  const LeafNode* leaf = tree_->leaf(index);
  if (!leaf) {
    return fail(Errc::invalid_argument, "leaf " + index.to_string() + " is blank");
  }
  BULWARK_TRY(check_common(*leaf, index, std::nullopt));
  // A key that does not parse is left to verify_signature, which reports it as a bad signature.
  const auto key = tree_->signature_key(index);
  return verify_signature(*leaf, index, key ? &*key : nullptr);
}

// The rules shared by leaves entering the tree and leaves in it. `replaced` is the member
// whose leaf this one replaces: its own credential and capabilities no longer count.
Result<void> LeafValidator::check_common(const LeafNode& leaf, LeafIndex index,
                                         std::optional<LeafIndex> replaced) const {
  BULWARK_TRY(check_required(leaf, index, required_));
  const LeafNode* old = replaced ? tree_->leaf(*replaced) : nullptr;
  const std::uint16_t own_type = raw(leaf.credential.credential_type);
  const auto supported = credentials_supported_.find(own_type);
  std::uint32_t supporters = supported == credentials_supported_.end() ? 0 : supported->second;
  std::uint32_t others = tree_->member_count();
  if (old) {
    --others;
    if (listed(old->capabilities.credentials, leaf.credential.credential_type)) --supporters;
  }
  if (supporters < others) {
    return leaf_error(Errc::invalid_message, index, tree_rule::credential_unsupported,
                      "a member does not support the leaf's credential type");
  }
  if (!listed(leaf.capabilities.credentials, leaf.credential.credential_type)) {
    return leaf_error(Errc::invalid_message, index, tree_rule::credential_support_missing,
                      "the leaf does not list its own credential type");
  }
  for (const auto& [type, users] : credentials_in_use_) {
    const bool only_old = old && users == 1 && raw(old->credential.credential_type) == type;
    if (!only_old && !listed(leaf.capabilities.credentials, static_cast<CredentialType>(type))) {
      return leaf_error(Errc::invalid_message, index, tree_rule::credential_support_missing,
                        "the leaf does not support a credential type in use");
    }
  }
  BULWARK_TRY(check_lifetime(leaf, index, policy_));
  return check_extensions(leaf, index);
}

Result<void> LeafValidator::verify_signature(const LeafNode& leaf, LeafIndex index,
                                             const crypto::Ed25519PublicKey* signature_key) const {
  const Bytes tbs = BULWARK_TRY(leaf_node_tbs(leaf, group_id_, index.value()));
  const CipherSuite& suite = tree_->suite();
  const bool checked =
      signature_key != nullptr && std::ranges::equal(signature_key->bytes(), leaf.signature_key);
  const auto verified =
      checked ? suite.verify_with_label(*signature_key, "LeafNodeTBS", tbs, leaf.signature)
              : suite.verify_with_label(leaf.signature_key, "LeafNodeTBS", tbs, leaf.signature);
  if (!verified) {
    return leaf_error(Errc::auth_failed, index, tree_rule::leaf_signature,
                      "the signature does not verify");
  }
  return {};
}

}  // namespace bulwark::protocol::mls
