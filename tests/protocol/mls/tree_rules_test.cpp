// One negative test per validation rule (RFC 9420 §7.3 leaf validation, §12.4.3.1 tree
// integrity): a valid leaf or tree with one field changed (and re-signed where the signature
// is not the point) is refused, and the error names the place and the rule.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/mls/messages/known_extensions.h"
#include "protocol/mls/tree/tree_validation.h"
#include "support/tree_group.h"

namespace bulwark::protocol::mls {
namespace {

namespace tg = tree_group;

// "ok", or the error's code and context.
std::string tree_rules_outcome(const Result<void>& result) {
  return result ? "ok" : result.error().describe();
}

// Expects `result` to be refused with `code` and a context naming `where` and `rule`.
void tree_rules_expect(const Result<void>& result, Errc code, const std::string& where,
                       std::string_view rule) {
  ASSERT_FALSE(result) << "accepted; expected " << rule;
  EXPECT_EQ(result.error().code, code) << result.error().describe();
  EXPECT_NE(result.error().context.find(where + ": " + std::string(rule)), std::string::npos)
      << result.error().describe();
}

struct TreeRulesFixture {
  tg::Group group{21};
  tg::Member candidate;

  TreeRulesFixture() : candidate((group.add(LeafIndex(0), 3), tg::make_member(group.rng(), "c"))) {}

  [[nodiscard]] LeafValidator validator(const std::vector<Extension>& extensions = {},
                                        LeafPolicy policy = {}) const {
    return LeafValidator::create(group.tree(), group.group_id(), extensions, policy).value();
  }
  // The candidate's KeyPackage leaf after `edit`, re-signed.
  template <class Edit>
  LeafNode edited(Edit edit) {
    LeafNode leaf = candidate.leaf;
    edit(leaf);
    tg::resign(leaf, candidate.signer, {}, LeafIndex(0));
    return leaf;
  }
};

constexpr LeafIndex tree_rules_new_leaf{4};

TEST(MlsTreeRulesTest, AValidKeyPackageLeafIsAccepted) {
  TreeRulesFixture f;
  EXPECT_EQ(tree_rules_outcome(f.validator().check_new_leaf(
                f.candidate.leaf, LeafNodeSource::key_package, tree_rules_new_leaf)),
            "ok");
  for (LeafIndex member : f.group.tree().members()) {
    EXPECT_EQ(tree_rules_outcome(f.validator().check_tree_leaf(member)), "ok");
  }
}

TEST(MlsTreeRulesTest, LeafSourceAndSignatureRules) {
  TreeRulesFixture f;
  tree_rules_expect(
      f.validator().check_new_leaf(f.candidate.leaf, LeafNodeSource::update, tree_rules_new_leaf),
      Errc::invalid_message, "leaf 4", tree_rule::leaf_node_source);
  LeafNode forged = f.candidate.leaf;
  forged.signature[5] ^= std::byte{1};
  tree_rules_expect(
      f.validator().check_new_leaf(forged, LeafNodeSource::key_package, tree_rules_new_leaf),
      Errc::auth_failed, "leaf 4", tree_rule::leaf_signature);
  // An update leaf signed for another group id (or another index) does not verify.
  LeafNode update = *f.group.tree().leaf(LeafIndex(2));
  update.encryption_key = f.candidate.leaf.encryption_key;
  update.leaf_node_source = LeafNodeSource::update;
  update.lifetime.reset();
  const tg::Seat& two = *f.group.seat(LeafIndex(2));
  tg::resign(update, two.signer, Bytes(16, std::byte{0x43}), LeafIndex(2));
  tree_rules_expect(f.validator().check_new_leaf(update, LeafNodeSource::update, LeafIndex(2)),
                    Errc::auth_failed, "leaf 2", tree_rule::leaf_signature);
  tg::resign(update, two.signer, f.group.group_id(), LeafIndex(2));
  EXPECT_EQ(tree_rules_outcome(
                f.validator().check_new_leaf(update, LeafNodeSource::update, LeafIndex(2))),
            "ok");
}

TEST(MlsTreeRulesTest, KeysMustBeNew) {
  TreeRulesFixture f;
  const PublicTree& tree = f.group.tree();
  LeafNode leaf =
      f.edited([&](LeafNode& l) { l.signature_key = tree.leaf(LeafIndex(2))->signature_key; });
  tree_rules_expect(
      f.validator().check_new_leaf(leaf, LeafNodeSource::key_package, tree_rules_new_leaf),
      Errc::invalid_message, "leaf 4", tree_rule::duplicate_signature_key);
  leaf = f.edited(
      [&](LeafNode& l) { l.encryption_key = to_bytes(tree.encryption_key(NodeIndex(3))); });
  tree_rules_expect(
      f.validator().check_new_leaf(leaf, LeafNodeSource::key_package, tree_rules_new_leaf),
      Errc::invalid_message, "leaf 4", tree_rule::duplicate_encryption_key);
  // An Update keeping the member's encryption key.
  LeafNode update = *tree.leaf(LeafIndex(2));
  update.leaf_node_source = LeafNodeSource::update;
  update.lifetime.reset();
  tg::resign(update, f.group.seat(LeafIndex(2))->signer, f.group.group_id(), LeafIndex(2));
  tree_rules_expect(f.validator().check_new_leaf(update, LeafNodeSource::update, LeafIndex(2)),
                    Errc::invalid_message, "leaf 2", tree_rule::encryption_key_reused);
}

TEST(MlsTreeRulesTest, CapabilityRules) {
  TreeRulesFixture f;
  RequiredCapabilities required;
  required.credential_types = {CredentialType::x509};
  const std::vector<Extension> group_extensions{make_extension(required).value()};
  tree_rules_expect(
      f.validator(group_extensions)
          .check_new_leaf(f.candidate.leaf, LeafNodeSource::key_package, tree_rules_new_leaf),
      Errc::invalid_message, "leaf 4", tree_rule::required_capabilities);

  // An x509 credential no member supports.
  LeafNode leaf = f.edited([](LeafNode& l) {
    l.credential = Credential{CredentialType::x509, {}, {Certificate{Bytes(8, std::byte{1})}}, {}};
    l.capabilities.credentials = {CredentialType::basic, CredentialType::x509};
  });
  tree_rules_expect(
      f.validator().check_new_leaf(leaf, LeafNodeSource::key_package, tree_rules_new_leaf),
      Errc::invalid_message, "leaf 4", tree_rule::credential_unsupported);
  // A leaf not listing its own credential type.
  leaf = f.edited([](LeafNode& l) { l.capabilities.credentials = {CredentialType::x509}; });
  tree_rules_expect(
      f.validator().check_new_leaf(leaf, LeafNodeSource::key_package, tree_rules_new_leaf),
      Errc::invalid_message, "leaf 4", tree_rule::credential_support_missing);
  // A non-default extension the leaf does not list (a default one needs no listing).
  leaf = f.edited([](LeafNode& l) {
    l.extensions = {Extension{ExtensionType::application_id, Bytes(3, std::byte{1})},
                    Extension{static_cast<ExtensionType>(0x1a1a), {}}};
  });
  tree_rules_expect(
      f.validator().check_new_leaf(leaf, LeafNodeSource::key_package, tree_rules_new_leaf),
      Errc::invalid_message, "leaf 4", tree_rule::extension_unsupported);
  leaf = f.edited([](LeafNode& l) {
    l.extensions = {Extension{static_cast<ExtensionType>(0x1a1a), {}}};
    l.capabilities.extensions = {static_cast<ExtensionType>(0x1a1a)};
  });
  EXPECT_EQ(tree_rules_outcome(f.validator().check_new_leaf(leaf, LeafNodeSource::key_package,
                                                            tree_rules_new_leaf)),
            "ok");
}

TEST(MlsTreeRulesTest, ALeafMustSupportCredentialTypesInUse) {
  bulwark::testing::SeededRng rng(22);
  tg::Member x509 = tg::make_member(rng, "x");
  x509.leaf.credential =
      Credential{CredentialType::x509, {}, {Certificate{Bytes(8, std::byte{1})}}, {}};
  x509.leaf.capabilities.credentials = {CredentialType::basic, CredentialType::x509};
  tg::resign(x509.leaf, x509.signer, {}, LeafIndex(0));
  const PublicTree tree = PublicTree::create(tg::suite_one(), x509.leaf).value();
  const auto validator = LeafValidator::create(tree, Bytes(4, std::byte{0}), {}).value();
  const tg::Member basic_only = tg::make_member(rng, "b");
  tree_rules_expect(
      validator.check_new_leaf(basic_only.leaf, LeafNodeSource::key_package, LeafIndex(1)),
      Errc::invalid_message, "leaf 1", tree_rule::credential_support_missing);
}

TEST(MlsTreeRulesTest, LifetimeRules) {
  TreeRulesFixture f;  // candidate lifetime: 1000..2000
  auto check = [&](LeafPolicy policy) {
    return f.validator({}, policy)
        .check_new_leaf(f.candidate.leaf, LeafNodeSource::key_package, tree_rules_new_leaf);
  };
  EXPECT_EQ(tree_rules_outcome(check(LeafPolicy{1500, 3600})), "ok");
  tree_rules_expect(check(LeafPolicy{999, std::nullopt}), Errc::invalid_message, "leaf 4",
                    tree_rule::lifetime);
  tree_rules_expect(check(LeafPolicy{2001, std::nullopt}), Errc::invalid_message, "leaf 4",
                    tree_rule::lifetime);
  tree_rules_expect(check(LeafPolicy{std::nullopt, 999}), Errc::invalid_message, "leaf 4",
                    tree_rule::lifetime);
}

TEST(MlsTreeRulesTest, TreeHashParentHashAndLeafSignatureOfATree) {
  TreeRulesFixture f;
  GroupContext context = f.group.context();
  EXPECT_EQ(tree_rules_outcome(validate_tree(f.group.tree(), context)), "ok");
  context.tree_hash[0] ^= std::byte{1};
  tree_rules_expect(validate_tree(f.group.tree(), context), Errc::auth_failed, "ratchet tree",
                    tree_rule::tree_hash);

  // The root's parent_hash field no longer matches what its child's link was computed with.
  RatchetTree wire = f.group.tree().to_wire();
  std::get<ParentNode>(wire.nodes[3]->body).parent_hash = Bytes(32, std::byte{9});
  const PublicTree tampered = PublicTree::from_wire(tg::suite_one(), wire).value();
  context.tree_hash = tampered.root_hash().value();
  tree_rules_expect(validate_tree(tampered, context), Errc::auth_failed, "node 3",
                    tree_rule::parent_hash);

  // A tree without parent nodes reaches the leaf checks: leaf 2's signature is broken.
  tg::Group flat(23);
  flat.add_without_path(2);
  RatchetTree flat_wire = flat.tree().to_wire();
  std::get<LeafNode>(flat_wire.nodes[4]->body).signature[0] ^= std::byte{1};
  const PublicTree forged = PublicTree::from_wire(tg::suite_one(), flat_wire).value();
  GroupContext flat_context = flat.context();
  flat_context.tree_hash = forged.root_hash().value();
  tree_rules_expect(validate_tree(forged, flat_context), Errc::auth_failed, "leaf 2",
                    tree_rule::leaf_signature);
}

// Leaves A B C D at 0..3 and parents at 1, 3, 5 as given (blank when nullopt).
PublicTree tree_rules_hand_tree(std::optional<ParentNode> p1, std::optional<ParentNode> p3,
                                std::optional<ParentNode> p5, bool with_d) {
  bulwark::testing::SeededRng rng(24);
  RatchetTree wire;
  for (int i = 0; i < 4; ++i) {
    if (i == 3 && !with_d) {
      wire.nodes.push_back(std::nullopt);
      continue;
    }
    wire.nodes.push_back(Node{tg::make_member(rng, "m" + std::to_string(i)).leaf});
    if (i == 0) wire.nodes.push_back(p1 ? std::optional<Node>(Node{*p1}) : std::nullopt);
    if (i == 1) wire.nodes.push_back(p3 ? std::optional<Node>(Node{*p3}) : std::nullopt);
    if (i == 2) wire.nodes.push_back(p5 ? std::optional<Node>(Node{*p5}) : std::nullopt);
  }
  return PublicTree::from_wire(tg::suite_one(), wire).value();
}

ParentNode tree_rules_parent(std::uint8_t key, std::vector<std::uint32_t> unmerged) {
  return ParentNode{Bytes(32, std::byte{key}), {}, std::move(unmerged)};
}

TEST(MlsTreeRulesTest, UnmergedLeavesRules) {
  EXPECT_EQ(tree_rules_outcome(verify_unmerged_leaves(tree_rules_hand_tree(
                tree_rules_parent(1, {1}), tree_rules_parent(3, {1, 2}), std::nullopt, true))),
            "ok");
  tree_rules_expect(
      verify_unmerged_leaves(tree_rules_hand_tree(
          tree_rules_parent(1, {}), tree_rules_parent(3, {2, 1}), std::nullopt, true)),
      Errc::invalid_message, "node 3", tree_rule::unmerged_leaves_order);
  tree_rules_expect(verify_unmerged_leaves(tree_rules_hand_tree(
                        std::nullopt, tree_rules_parent(3, {3}), std::nullopt, false)),
                    Errc::invalid_message, "node 3", tree_rule::unmerged_leaf_blank);
  tree_rules_expect(verify_unmerged_leaves(tree_rules_hand_tree(tree_rules_parent(1, {2}),
                                                                std::nullopt, std::nullopt, true)),
                    Errc::invalid_message, "node 1", tree_rule::unmerged_leaf_not_descendant);
  tree_rules_expect(verify_unmerged_leaves(tree_rules_hand_tree(
                        tree_rules_parent(1, {}), tree_rules_parent(3, {0}), std::nullopt, true)),
                    Errc::invalid_message, "node 1", tree_rule::unmerged_leaf_gap);
}

}  // namespace
}  // namespace bulwark::protocol::mls
