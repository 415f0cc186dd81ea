// Group::deserialize: the state_codec.h format back into a GroupState, bounded on every
// list and checked against itself before it is trusted.
#include <string>
#include <utility>

#include "protocol/mls/codec.h"
#include "protocol/mls/group/group_psks.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/group/state_codec.h"
#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/ratchet_tree.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::size_t max_secret = 64;

Result<SecretBytes> read_secret(TlsReader& r) {
  const ByteView value = BULWARK_TRY(r.opaque(max_secret));
  return SecretBytes::copy_of(value);
}

Result<Bytes> read_bytes(TlsReader& r, std::size_t max) {
  const ByteView value = BULWARK_TRY(r.opaque(max));
  return to_bytes(value);
}

Result<SecretTreeSnapshot::Ratchet> read_ratchet(TlsReader& r) {
  SecretTreeSnapshot::Ratchet out;
  out.next_generation = BULWARK_TRY(r.u64());
  out.secret = BULWARK_TRY(read_secret(r));
  out.oldest_kept = BULWARK_TRY(r.u64());
  TlsReader skipped = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_skipped = [&](TlsReader& item) -> Result<void> {
    const std::uint32_t generation = BULWARK_TRY(item.u32());
    SecretBytes key = BULWARK_TRY(read_secret(item));
    SecretBytes nonce = BULWARK_TRY(read_secret(item));
    out.skipped.emplace_back(generation, KeyAndNonce{std::move(key), std::move(nonce)});
    return {};
  };
  BULWARK_TRY(read_items(skipped, 4096, read_one_skipped));
  return out;
}

Result<SecretTreeSnapshot> read_secret_tree(TlsReader& r) {
  SecretTreeSnapshot out;
  out.n_leaves = BULWARK_TRY(r.u32());
  TlsReader nodes = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_nodes = [&](TlsReader& item) -> Result<void> {
    const std::uint32_t node = BULWARK_TRY(item.u32());
    SecretBytes secret = BULWARK_TRY(read_secret(item));
    out.node_secrets.emplace_back(node, std::move(secret));
    return {};
  };
  BULWARK_TRY(read_items(nodes, max_ratchet_tree_nodes, read_one_nodes));
  TlsReader leaves = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_leaves = [&](TlsReader& item) -> Result<void> {
    SecretTreeSnapshot::Leaf leaf;
    leaf.leaf = BULWARK_TRY(item.u32());
    leaf.handshake = BULWARK_TRY(read_ratchet(item));
    leaf.application = BULWARK_TRY(read_ratchet(item));
    out.leaves.push_back(std::move(leaf));
    return {};
  };
  BULWARK_TRY(read_items(leaves, max_ratchet_tree_leaves, read_one_leaves));
  return out;
}

Result<EpochSecrets> read_epoch_secrets(TlsReader& r) {
  EpochSecrets out;
  for (SecretBytes* secret :
       {&out.sender_data_secret, &out.exporter_secret, &out.external_secret, &out.confirmation_key,
        &out.membership_key, &out.resumption_psk, &out.epoch_authenticator, &out.init_secret}) {
    *secret = BULWARK_TRY(read_secret(r));
    if (secret->size() != CipherSuite::hash_size()) {
      return fail(Errc::invalid_encoding, "group state: epoch secret size");
    }
  }
  return out;
}

// Everything of the stored state before it is checked and assembled.
struct Stored {
  GroupContext context;
  RatchetTree tree;
  std::uint32_t own_leaf = 0;
  SecretBytes leaf_key;
  std::vector<NodeSecret> path_secrets;
  SecretBytes signature_seed;
  Bytes interim_transcript_hash;
  Bytes confirmation_tag;
  EpochSecrets secrets;
  SecretTreeSnapshot secret_tree;
  std::vector<CachedProposal> proposals;
  std::vector<OwnUpdateKey> own_updates;
  std::vector<ExternalPsk> external_psks;
  std::vector<ResumptionPsk> resumption_psks;
  Bytes last_commit_digest;
};

Result<void> read_head(TlsReader& r, Stored& out) {
  const std::uint16_t version = BULWARK_TRY(r.u16());
  if (version != group_state_version) {
    return fail(Errc::invalid_encoding, "group state of an unknown version");
  }
  const ByteView context = BULWARK_TRY(r.opaque(max_list_bytes));
  out.context = BULWARK_TRY(deserialize_group_context(context));
  const ByteView tree = BULWARK_TRY(r.opaque(max_list_bytes));
  out.tree = BULWARK_TRY(deserialize_ratchet_tree(tree));
  out.own_leaf = BULWARK_TRY(r.u32());
  out.leaf_key = BULWARK_TRY(read_secret(r));
  TlsReader path = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_path = [&](TlsReader& item) -> Result<void> {
    const std::uint32_t node = BULWARK_TRY(item.u32());
    SecretBytes secret = BULWARK_TRY(read_secret(item));
    out.path_secrets.push_back({NodeIndex(node), std::move(secret)});
    return {};
  };
  BULWARK_TRY(read_items(path, max_stored_path_secrets, read_one_path));
  out.signature_seed = BULWARK_TRY(read_secret(r));
  out.interim_transcript_hash = BULWARK_TRY(read_bytes(r, max_hash_bytes));
  out.confirmation_tag = BULWARK_TRY(read_bytes(r, max_hash_bytes));
  out.secrets = BULWARK_TRY(read_epoch_secrets(r));
  out.secret_tree = BULWARK_TRY(read_secret_tree(r));
  return {};
}

Result<void> read_lists(TlsReader& r, Stored& out) {
  TlsReader proposals = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_proposals = [&](TlsReader& item) -> Result<void> {
    Bytes ref = BULWARK_TRY(read_bytes(item, max_hash_bytes));
    Proposal proposal = BULWARK_TRY(decode_proposal(item));
    const std::uint32_t sender = BULWARK_TRY(item.u32());
    out.proposals.push_back({std::move(ref), std::move(proposal), LeafIndex(sender)});
    return {};
  };
  BULWARK_TRY(read_items(proposals, max_cached_proposals, read_one_proposals));
  TlsReader updates = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_updates = [&](TlsReader& item) -> Result<void> {
    Bytes public_key = BULWARK_TRY(read_bytes(item, max_public_key_bytes));
    const SecretBytes private_key = BULWARK_TRY(read_secret(item));
    crypto::X25519SecretKey key =
        BULWARK_TRY(crypto::X25519SecretKey::from_bytes(private_key.view()));
    out.own_updates.push_back({std::move(public_key), std::move(key)});
    return {};
  };
  BULWARK_TRY(read_items(updates, max_stored_own_updates, read_one_updates));
  TlsReader external = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_external = [&](TlsReader& item) -> Result<void> {
    Bytes id = BULWARK_TRY(read_bytes(item, max_psk_id_bytes));
    const ByteView psk = BULWARK_TRY(item.opaque(max_external_psk_bytes));
    out.external_psks.push_back({std::move(id), SecretBytes::copy_of(psk)});
    return {};
  };
  BULWARK_TRY(read_items(external, max_external_psks, read_one_external));
  TlsReader resumption = BULWARK_TRY(r.vector(max_list_bytes));
  auto read_one_resumption = [&](TlsReader& item) -> Result<void> {
    const std::uint64_t epoch = BULWARK_TRY(item.u64());
    SecretBytes psk = BULWARK_TRY(read_secret(item));
    out.resumption_psks.push_back({epoch, std::move(psk)});
    return {};
  };
  BULWARK_TRY(read_items(resumption, max_stored_resumption_psks, read_one_resumption));
  out.last_commit_digest = BULWARK_TRY(read_bytes(r, max_hash_bytes));
  return {};
}

tl::unexpected<Error> inconsistent(const char* what) {
  return fail(Errc::invalid_encoding, std::string("group state: ") + what);
}

// This member's keys, checked against its leaf in the tree.
Result<void> check_own_keys(const Stored& stored, const PublicTree& tree,
                            const crypto::X25519SecretKey& leaf_key,
                            const crypto::Ed25519SecretKey& signer) {
  const LeafNode* leaf = tree.leaf(LeafIndex(stored.own_leaf));
  if (leaf == nullptr) return inconsistent("own leaf is blank");
  if (to_bytes(leaf_key.public_key().bytes()) != leaf->encryption_key) {
    return inconsistent("leaf key does not match the tree");
  }
  if (to_bytes(signer.public_key().bytes()) != leaf->signature_key) {
    return inconsistent("signature key does not match the tree");
  }
  for (const OwnUpdateKey& update : stored.own_updates) {
    if (to_bytes(update.private_key.public_key().bytes()) != update.encryption_key) {
      return inconsistent("an Update key pair does not match");
    }
  }
  for (const CachedProposal& cached : stored.proposals) {
    if (tree.leaf(cached.sender) == nullptr) return inconsistent("proposal from a blank leaf");
  }
  for (const ExternalPsk& psk : stored.external_psks) BULWARK_TRY(check_external_psk(psk));
  return {};
}

Result<Group> assemble(Stored stored, GroupConfig config) {
  const CipherSuite suite = BULWARK_TRY(CipherSuite::from_id(stored.context.cipher_suite));
  PublicTree tree = BULWARK_TRY(PublicTree::from_wire(suite, stored.tree));
  const Bytes tree_hash = BULWARK_TRY(tree.root_hash());
  if (tree_hash != stored.context.tree_hash) {
    return inconsistent("the tree is not the context's");
  }
  crypto::X25519SecretKey leaf_key =
      BULWARK_TRY(crypto::X25519SecretKey::from_bytes(stored.leaf_key.view()));
  crypto::Ed25519SecretKey signer =
      BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(stored.signature_seed.view()));
  BULWARK_TRY(check_own_keys(stored, tree, leaf_key, signer));
  PrivateTree private_tree(LeafIndex(stored.own_leaf), std::move(leaf_key));
  BULWARK_TRY(private_tree.restore(tree, stored.path_secrets));
  SecretTree secret_tree = BULWARK_TRY(
      SecretTree::restore(suite, std::move(stored.secret_tree), config.secret_tree_limits));
  if (secret_tree.n_leaves() != tree.leaf_count()) return inconsistent("secret tree size");
  Bytes context_bytes = BULWARK_TRY(encode_context(stored.context));
  auto frozen = BULWARK_TRY(freeze(std::move(tree)));
  GroupState state{suite,
                   std::move(config),
                   std::move(stored.context),
                   std::move(context_bytes),
                   std::move(frozen),
                   std::move(private_tree),
                   std::move(signer),
                   std::move(stored.interim_transcript_hash),
                   std::move(stored.confirmation_tag),
                   std::move(stored.secrets),
                   std::move(secret_tree),
                   std::move(stored.proposals),
                   std::move(stored.own_updates),
                   std::move(stored.external_psks),
                   std::move(stored.resumption_psks),
                   std::move(stored.last_commit_digest)};
  return Group(std::make_unique<GroupState>(std::move(state)));
}

}  // namespace

Result<Group> Group::deserialize(ByteView state, GroupConfig config) {
  TlsReader r(state);
  Stored stored;
  BULWARK_TRY(read_head(r, stored));
  BULWARK_TRY(read_lists(r, stored));
  BULWARK_TRY(r.expect_end());
  return assemble(std::move(stored), std::move(config));
}

}  // namespace bulwark::protocol::mls
