// Group creation (RFC 9420 §11): a one-member group of epoch 0.
#include <utility>

#include "crypto/x25519.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/group/group_rules.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/key_package.h"
#include "protocol/mls/key_schedule.h"
#include "protocol/mls/messages/limits.h"
#include "protocol/mls/transcript.h"

namespace bulwark::protocol::mls {
namespace {

// The creator's leaf, as if from its own KeyPackage (§11), signed.
Result<LeafNode> creator_leaf(const CipherSuite& suite, const Member& me,
                              const crypto::X25519PublicKey& encryption_key) {
  LeafNode leaf;
  leaf.encryption_key = to_bytes(encryption_key.bytes());
  leaf.signature_key = to_bytes(me.signature_key.public_key().bytes());
  leaf.credential = me.credential;
  leaf.capabilities = me.capabilities;
  leaf.leaf_node_source = LeafNodeSource::key_package;
  leaf.lifetime = unbounded_lifetime();
  leaf.extensions = me.leaf_extensions;
  BULWARK_TRY(sign_leaf_node(suite, me.signature_key, leaf, {}, 0));
  auto verified = verify_leaf_node(suite, leaf, {}, 0);
  if (!verified) return fail(Errc::invalid_argument, "creator: " + verified.error().context);
  return leaf;
}

// §11: a fresh random epoch secret. The key schedule takes it as a random joiner_secret
// with no PSKs: the epoch secret is then a PRF of fresh randomness, as the RFC asks.
Result<EpochSecrets> first_epoch_secrets(const CipherSuite& suite, ByteView context, Rng& rng) {
  SecretBytes joiner(CipherSuite::hash_size());
  rng.fill(joiner.writable());
  const Bytes zero(CipherSuite::hash_size());
  return derive_epoch_secrets_from_joiner(suite, joiner.view(), zero, context);
}

}  // namespace

Result<Group> Group::create(const CipherSuite& suite, ByteView group_id, const Member& me, Rng& rng,
                            GroupConfig config, std::vector<Extension> group_extensions) {
  if (group_id.empty() || group_id.size() > max_group_id_bytes) {
    return fail(Errc::invalid_argument, "group id must be 1..256 bytes");
  }
  crypto::X25519KeyPair keys = crypto::x25519_keypair(rng);
  LeafNode leaf = BULWARK_TRY(creator_leaf(suite, me, keys.public_key));
  BULWARK_TRY(check_leaf_supports_group(leaf, group_extensions, LeafIndex(0)));
  PublicTree tree = BULWARK_TRY(PublicTree::create(suite, std::move(leaf)));

  GroupContext context;
  context.cipher_suite = static_cast<std::uint16_t>(suite.id());
  context.group_id = to_bytes(group_id);
  context.epoch = 0;
  context.tree_hash = BULWARK_TRY(tree.root_hash());
  context.extensions = std::move(group_extensions);
  const Bytes context_bytes = BULWARK_TRY(encode_context(context));
  EpochSecrets secrets = BULWARK_TRY(first_epoch_secrets(suite, context_bytes, rng));

  // §11: the confirmation tag over the empty confirmed transcript hash starts the interim
  // transcript hash.
  const Bytes tag = confirmation_tag(secrets.confirmation_key.view(), {});
  const Bytes interim = BULWARK_TRY(interim_transcript_hash({}, tag));
  auto frozen = BULWARK_TRY(freeze(std::move(tree)));
  auto signer = BULWARK_TRY(clone_signer(me.signature_key));
  StateParts parts{suite,
                   std::move(config),
                   std::move(context),
                   std::move(frozen),
                   PrivateTree(LeafIndex(0), std::move(keys.secret_key)),
                   std::move(signer),
                   interim,
                   tag,
                   {}};
  GroupState state = BULWARK_TRY(start_state(std::move(parts), std::move(secrets)));
  return Group(std::make_unique<GroupState>(std::move(state)));
}

}  // namespace bulwark::protocol::mls
