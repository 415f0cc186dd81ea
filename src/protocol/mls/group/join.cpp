// Joining a group from a Welcome (RFC 9420 §12.4.3.1).
#include <algorithm>
#include <utility>
#include <variant>

#include "protocol/mls/group/group_psks.h"
#include "protocol/mls/group/group_rules.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/mls_message.h"
#include "protocol/mls/messages/ratchet_tree.h"
#include "protocol/mls/transcript.h"
#include "protocol/mls/tree/tree_validation.h"
#include "protocol/mls/welcome.h"

namespace bulwark::protocol::mls {
namespace {

// What the Welcome's encrypted parts held for this client.
struct OpenedWelcome {
  const KeyPackageBundle* bundle = nullptr;
  GroupSecrets secrets;
  SecretBytes psk_secret;
  GroupInfo info;
};

Result<Welcome> welcome_of(ByteView bytes) {
  MLSMessage message = BULWARK_TRY(deserialize_mls_message(bytes));
  auto* welcome = std::get_if<Welcome>(&message.body);
  if (welcome == nullptr) return fail(Errc::invalid_message, "not a Welcome message");
  return std::move(*welcome);
}

// The bundle whose KeyPackageRef the Welcome names.
Result<const KeyPackageBundle*> find_bundle(const Welcome& welcome,
                                            std::span<const KeyPackageBundle> bundles) {
  for (const KeyPackageBundle& bundle : bundles) {
    const bool named = std::any_of(
        welcome.secrets.begin(), welcome.secrets.end(),
        [&](const EncryptedGroupSecrets& entry) { return entry.new_member == bundle.ref; });
    if (named) return &bundle;
  }
  return fail(Errc::invalid_message, "the Welcome is for none of this client's KeyPackages");
}

Result<OpenedWelcome> open_welcome(const Welcome& welcome,
                                   std::span<const KeyPackageBundle> bundles,
                                   std::span<const ExternalPsk> psks) {
  const KeyPackageBundle* bundle = BULWARK_TRY(find_bundle(welcome, bundles));
  const CipherSuite suite = BULWARK_TRY(CipherSuite::from_id(welcome.cipher_suite));
  GroupSecrets secrets =
      BULWARK_TRY(open_group_secrets(welcome, bundle->key_package, bundle->private_keys.init_key));
  // A joiner has no resumption PSKs of its own: only external ones can be found.
  const PskSources sources{psks, {}, {}};
  SecretBytes psk_secret = BULWARK_TRY(resolve_psk_secret(suite, secrets.psks, sources));
  GroupInfo info =
      BULWARK_TRY(open_group_info(welcome, secrets.joiner_secret.view(), psk_secret.view()));
  return OpenedWelcome{bundle, std::move(secrets), std::move(psk_secret), std::move(info)};
}

Result<PublicTree> joined_tree(const CipherSuite& suite, const GroupInfo& info,
                               std::optional<ByteView> out_of_band) {
  RatchetTree wire;
  if (out_of_band) {
    wire = BULWARK_TRY(deserialize_ratchet_tree(*out_of_band));
  } else {
    const Extension* extension = find_extension(info.extensions, ExtensionType::ratchet_tree);
    if (extension == nullptr) {
      return fail(Errc::invalid_message, "no ratchet tree: not in the Welcome and none given");
    }
    wire = BULWARK_TRY(ratchet_tree_from(*extension));
  }
  return PublicTree::from_wire(suite, wire);
}

// §12.4.3.1: the GroupInfo's signer, the tree's integrity, every leaf's acceptance, and this
// client's own leaf, which must be the KeyPackage's.
Result<LeafIndex> check_tree(const CipherSuite& suite, const PublicTree& tree,
                             const OpenedWelcome& opened, const GroupConfig& config) {
  const LeafNode* signer = tree.leaf(LeafIndex(opened.info.signer));
  if (signer == nullptr) return fail(Errc::invalid_message, "the GroupInfo signer is not a member");
  auto signed_ok = verify_group_info(suite, opened.info, signer->signature_key);
  if (!signed_ok) return fail(Errc::auth_failed, "bad GroupInfo signature");
  BULWARK_TRY(validate_tree(tree, opened.info.group_context));
  for (const LeafIndex leaf : tree.members())
    BULWARK_TRY(accept_leaf(config, *tree.leaf(leaf), leaf));
  const auto mine = tree.find_leaf(opened.bundle->key_package.leaf_node);
  if (!mine) return fail(Errc::invalid_message, "the tree does not hold this client's leaf");
  BULWARK_TRY(
      check_leaf_supports_group(*tree.leaf(*mine), opened.info.group_context.extensions, *mine));
  return *mine;
}

}  // namespace

Result<Group> Group::join(ByteView welcome_bytes, std::optional<ByteView> ratchet_tree,
                          std::span<const KeyPackageBundle> key_packages,
                          const crypto::Ed25519SecretKey& signer, std::span<const ExternalPsk> psks,
                          GroupConfig config) {
  const Welcome welcome = BULWARK_TRY(welcome_of(welcome_bytes));
  OpenedWelcome opened = BULWARK_TRY(open_welcome(welcome, key_packages, psks));
  const KeyPackage& key_package = opened.bundle->key_package;
  if (to_bytes(signer.public_key().bytes()) != key_package.leaf_node.signature_key) {
    return fail(Errc::invalid_argument, "the signer is not the KeyPackage's signature key");
  }
  const CipherSuite suite = BULWARK_TRY(CipherSuite::from_id(welcome.cipher_suite));
  PublicTree tree = BULWARK_TRY(joined_tree(suite, opened.info, ratchet_tree));
  const LeafIndex mine = BULWARK_TRY(check_tree(suite, tree, opened, config));

  PrivateTree private_tree(mine, opened.bundle->private_keys.encryption_key.clone());
  if (opened.secrets.path_secret) {
    BULWARK_TRY(private_tree.join(tree, LeafIndex(opened.info.signer),
                                  opened.secrets.path_secret->path_secret.view()));
  }
  GroupContext context = opened.info.group_context;
  const Bytes context_bytes = BULWARK_TRY(encode_context(context));
  EpochSecrets secrets = BULWARK_TRY(derive_epoch_secrets_from_joiner(
      suite, opened.secrets.joiner_secret.view(), opened.psk_secret.view(), context_bytes));
  if (!verify_confirmation_tag(secrets.confirmation_key.view(), context.confirmed_transcript_hash,
                               opened.info.confirmation_tag)) {
    return fail(Errc::auth_failed, "bad confirmation tag in the GroupInfo");
  }
  Bytes interim = BULWARK_TRY(
      interim_transcript_hash(context.confirmed_transcript_hash, opened.info.confirmation_tag));
  std::vector<ExternalPsk> held;
  for (const ExternalPsk& psk : psks) {
    BULWARK_TRY(check_external_psk(psk));
    held.push_back(clone_psk(psk));
  }
  auto frozen = BULWARK_TRY(freeze(std::move(tree)));
  auto own_signer = BULWARK_TRY(clone_signer(signer));
  StateParts parts{suite,
                   std::move(config),
                   std::move(context),
                   std::move(frozen),
                   std::move(private_tree),
                   std::move(own_signer),
                   std::move(interim),
                   opened.info.confirmation_tag,
                   std::move(held)};
  GroupState state = BULWARK_TRY(start_state(std::move(parts), std::move(secrets)));
  return Group(std::make_unique<GroupState>(std::move(state)));
}

}  // namespace bulwark::protocol::mls
