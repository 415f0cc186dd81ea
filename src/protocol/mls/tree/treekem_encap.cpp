// TreeKEM encap: a committer's new UpdatePath (RFC 9420 §7.4-7.6, §12.4.2).
//
// The leaf key comes from a fresh random leaf secret like a path secret, and the first path
// secret is its "path" successor; the RFC samples path_secret[0] at random, which this is
// from every other member's view.
#include <algorithm>
#include <string>
#include <utility>

#include "crypto/x25519.h"
#include "protocol/mls/tree/path_secrets.h"
#include "protocol/mls/tree/treekem.h"

namespace bulwark::protocol::mls {
namespace {

struct FreshPath {
  crypto::HpkeDerivedKey leaf_key;
  std::vector<NodePathSecret> secrets;
  std::vector<crypto::HpkeDerivedKey> node_keys;
  SecretBytes commit_secret;
};

Result<FreshPath> fresh_path(const CipherSuite& suite, const std::vector<PathStep>& path,
                             Rng& rng) {
  SecretBytes secret(CipherSuite::hash_size());
  rng.fill(secret.writable());
  crypto::HpkeDerivedKey leaf_key = BULWARK_TRY(node_key_from_path_secret(suite, secret.view()));
  FreshPath out{std::move(leaf_key), {}, {}, {}};
  for (const PathStep& step : path) {
    secret = BULWARK_TRY(next_path_secret(suite, secret.view()));
    crypto::HpkeDerivedKey key = BULWARK_TRY(node_key_from_path_secret(suite, secret.view()));
    out.node_keys.push_back(std::move(key));
    out.secrets.push_back(NodePathSecret{step.node, secret.clone()});
  }
  out.commit_secret = BULWARK_TRY(next_path_secret(suite, secret.view()));
  return out;
}

// The committer's new leaf, signed over LeafNodeTBS.
Result<LeafNode> signed_leaf(const CipherSuite& suite, const LeafNode& leaf_template,
                             ByteView encryption_key, Bytes parent_hash, ByteView group_id,
                             LeafIndex index, const crypto::Ed25519SecretKey& signer) {
  LeafNode leaf = leaf_template;
  leaf.encryption_key = to_bytes(encryption_key);
  leaf.leaf_node_source = LeafNodeSource::commit;
  leaf.lifetime.reset();
  leaf.parent_hash = std::move(parent_hash);
  const Bytes tbs = BULWARK_TRY(leaf_node_tbs(leaf, group_id, index.value()));
  leaf.signature = BULWARK_TRY(suite.sign_with_label(signer, "LeafNodeTBS", tbs));
  return leaf;
}

// Encrypts `secret` to every node of the copath child's resolution without the joiners.
Result<std::vector<HPKECiphertext>> encrypt_to_resolution(const PublicTree& tree,
                                                          NodeIndex copath_child,
                                                          std::span<const LeafIndex> joiners,
                                                          ByteView context, ByteView secret,
                                                          Rng& rng) {
  std::vector<HPKECiphertext> out;
  for (NodeIndex target : tree.resolution(copath_child, joiners)) {
    const auto key = BULWARK_TRY(crypto::X25519PublicKey::from_bytes(tree.encryption_key(target)));
    LabeledCiphertext sealed =
        BULWARK_TRY(tree.suite().encrypt_with_label(key, "UpdatePathNode", context, secret, rng));
    out.push_back(HPKECiphertext{std::move(sealed.kem_output), std::move(sealed.ciphertext)});
  }
  return out;
}

}  // namespace

Result<EncapResult> TreeKemPrivate::encap(PublicTree& tree, const LeafNode& leaf_template,
                                          const crypto::Ed25519SecretKey& signer,
                                          GroupContext provisional,
                                          std::span<const LeafIndex> joiners, Rng& rng) {
  if (!tree.leaf(leaf_)) return fail(Errc::invalid_argument, "the committer's leaf is blank");
  const crypto::Ed25519PublicKey signer_key = signer.public_key();
  const ByteView signer_public = signer_key.bytes();
  if (!std::equal(signer_public.begin(), signer_public.end(), leaf_template.signature_key.begin(),
                  leaf_template.signature_key.end())) {
    return fail(Errc::invalid_argument, "the signer is not the leaf's signature key");
  }
  const CipherSuite& suite = tree.suite();
  const std::vector<PathStep> path = tree.filtered_direct_path(leaf_);
  FreshPath fresh = BULWARK_TRY(fresh_path(suite, path, rng));
  std::vector<Bytes> public_keys;
  for (const auto& key : fresh.node_keys) public_keys.push_back(to_bytes(key.public_key.bytes()));
  Bytes leaf_parent_hash = BULWARK_TRY(tree.set_path_keys(leaf_, public_keys));
  LeafNode leaf =
      BULWARK_TRY(signed_leaf(suite, leaf_template, fresh.leaf_key.public_key.bytes(),
                              std::move(leaf_parent_hash), provisional.group_id, leaf_, signer));
  BULWARK_TRY(tree.set_leaf(leaf_, leaf));
  provisional.tree_hash = BULWARK_TRY(tree.root_hash());
  Bytes context = BULWARK_TRY(serialize(provisional));

  EncapResult out{UpdatePath{std::move(leaf), {}}, std::move(fresh.commit_secret), {}, {}};
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto sealed = BULWARK_TRY(encrypt_to_resolution(tree, path[i].copath_child, joiners, context,
                                                    fresh.secrets[i].secret.view(), rng));
    out.path.nodes.push_back(UpdatePathNode{public_keys[i], std::move(sealed)});
  }
  // The member now knows exactly its new leaf key and the keys of its new path.
  keys_.clear();
  keys_.emplace(to_node(leaf_), std::move(fresh.leaf_key.secret_key));
  for (std::size_t i = 0; i < path.size(); ++i) {
    keys_.emplace(path[i].node, std::move(fresh.node_keys[i].secret_key));
  }
  out.path_secrets = std::move(fresh.secrets);
  out.group_context = std::move(context);
  return out;
}

}  // namespace bulwark::protocol::mls
