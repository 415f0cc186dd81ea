// What the message decoders refuse: counts and sizes over limits.h, malformed trees, presence
// bytes other than 0/1, undefined or reserved enum values, unknown wire formats and versions.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "protocol/mls/messages/messages.h"
#include "protocol/mls/support/messages_builders.h"

namespace bulwark::protocol::mls {
namespace {

using message_builders::bytes_of;
using message_builders::decode_error;
using message_builders::encode_error;
using message_builders::sample_leaf;
using message_builders::sample_parent;

// A ratchet tree of `blanks` blank entries followed by one leaf.
Bytes bounds_tree_ending_in_leaf(std::size_t blanks) {
  const auto bytes = encode_with([&](TlsWriter& w) {
    w.vector([&](TlsWriter& items) {
      for (std::size_t i = 0; i < blanks; ++i) items.present(false);
      items.present(true);
      encode(items, Node{sample_leaf(LeafNodeSource::key_package)});
    });
  });
  EXPECT_TRUE(bytes);
  return bytes ? *bytes : Bytes{};
}

TEST(MlsMessagesBoundsTest, TreeWithTooManyNodesIsRefused) {
  // The largest tree we accept: max_ratchet_tree_leaves leaves, the last one present.
  const auto largest =
      deserialize_ratchet_tree(bounds_tree_ending_in_leaf(max_ratchet_tree_nodes - 1));
  ASSERT_TRUE(largest) << largest.error().describe();
  EXPECT_EQ(largest->nodes.size(), max_ratchet_tree_nodes);
  // Two more entries (keeping the leaf at an even position) is one leaf too many.
  const Bytes too_many = bounds_tree_ending_in_leaf(max_ratchet_tree_nodes + 1);
  EXPECT_EQ(decode_error(too_many, decode_ratchet_tree), Errc::invalid_encoding);

  RatchetTree tree = *largest;
  tree.nodes.insert(tree.nodes.begin(), 2, std::nullopt);
  EXPECT_EQ(encode_error(tree), Errc::invalid_argument);
}

TEST(MlsMessagesBoundsTest, TreeShapeRulesAreEnforcedBothWays) {
  const Node leaf{sample_leaf(LeafNodeSource::key_package)};
  const Node parent{sample_parent()};
  const RatchetTree good{{leaf, parent, leaf}};
  const auto encoded = serialize(good);
  ASSERT_TRUE(encoded);
  EXPECT_TRUE(deserialize_ratchet_tree(*encoded));

  const RatchetTree bad_trees[] = {
      RatchetTree{},                              // no nodes
      RatchetTree{{leaf, parent, std::nullopt}},  // ends with a blank
      RatchetTree{{parent}},                      // a parent at a leaf's position
      RatchetTree{{leaf, leaf, leaf}},            // a leaf at a parent's position
  };
  for (const auto& bad : bad_trees) {
    EXPECT_EQ(encode_error(bad), Errc::invalid_argument);
    // The same nodes written without the encoder's check are refused by the decoder.
    const auto raw = encode_with([&](TlsWriter& w) {
      w.vector([&](TlsWriter& items) {
        for (const auto& node : bad.nodes) {
          items.present(node.has_value());
          if (node) encode(items, *node);
        }
      });
    });
    ASSERT_TRUE(raw);
    EXPECT_EQ(decode_error(*raw, decode_ratchet_tree), Errc::invalid_encoding);
  }
}

TEST(MlsMessagesBoundsTest, OversizeExtensionIsRefused) {
  // The length alone is refused: the decoder never waits for 32 MiB it was promised.
  const auto header = encode_with([](TlsWriter& w) {
    w.u16(0x0002);
    w.varint(max_extension_data_bytes + 1);
  });
  ASSERT_TRUE(header);
  EXPECT_EQ(decode_error(*header, decode_extension), Errc::invalid_encoding);

  Extension big{ExtensionType::ratchet_tree, Bytes(max_extension_data_bytes + 1)};
  EXPECT_EQ(encode_error(big), Errc::invalid_argument);
  big.extension_data.pop_back();
  const auto at_limit = encode_with([&](TlsWriter& w) { encode(w, big); });
  ASSERT_TRUE(at_limit);
  EXPECT_TRUE(decode_all(*at_limit, decode_extension));
}

TEST(MlsMessagesBoundsTest, ExtensionListsAreBoundedAndHoldEachTypeOnce) {
  GroupContextExtensions list;
  for (std::uint16_t type = 1; type <= max_extensions + 1; ++type) {
    list.extensions.push_back(Extension{static_cast<ExtensionType>(type), {}});
  }
  EXPECT_EQ(encode_error(list), Errc::invalid_argument);
  list.extensions.pop_back();
  EXPECT_NE(encode_error(list), Errc::invalid_argument);

  // Two extensions of type 1: "02" + ("0001" "00") twice, inside one vector.
  const Bytes repeated = bytes_of({0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00});
  EXPECT_EQ(decode_error(repeated, decode_group_context_extensions), Errc::invalid_encoding);
  EXPECT_EQ(encode_error(GroupContextExtensions{{Extension{ExtensionType::application_id, {}},
                                                 Extension{ExtensionType::application_id, {}}}}),
            Errc::invalid_argument);
}

TEST(MlsMessagesBoundsTest, PresenceByteOfTwoIsRefused) {
  // A Commit with no proposals and a path presence byte of 2.
  EXPECT_EQ(decode_error(bytes_of({0x00, 0x02}), decode_commit), Errc::invalid_encoding);
  EXPECT_TRUE(decode_all(bytes_of({0x00, 0x00}), decode_commit));
  // A ratchet tree whose only entry has presence byte 2.
  EXPECT_EQ(decode_error(bytes_of({0x01, 0x02}), decode_ratchet_tree), Errc::invalid_encoding);
  // GroupSecrets: joiner_secret "01 aa", then path_secret presence 2.
  EXPECT_FALSE(deserialize_group_secrets(bytes_of({0x01, 0xaa, 0x02, 0x00})));
  EXPECT_TRUE(deserialize_group_secrets(bytes_of({0x01, 0xaa, 0x00, 0x00})));
}

TEST(MlsMessagesBoundsTest, UnknownWireFormatsAndVersionsAreRefused) {
  for (const int format : {0x00, 0x06, 0xff}) {
    EXPECT_EQ(decode_error(bytes_of({0x00, 0x01, 0x00, format, 0x00}), decode_mls_message),
              Errc::invalid_encoding)
        << format;
  }
  EXPECT_EQ(decode_error(bytes_of({0x00, 0x02, 0x00, 0x05}), decode_mls_message),
            Errc::invalid_message);
  EXPECT_EQ(decode_error(bytes_of({0x00, 0x00, 0x00, 0x05}), decode_mls_message),
            Errc::invalid_encoding);
  // GroupContext.version is fixed to mls10.
  const Bytes context_v2 =
      bytes_of({0x00, 0x02, 0x00, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00});
  EXPECT_EQ(decode_error(context_v2, decode_group_context), Errc::invalid_encoding);
  Bytes context_v1 = context_v2;
  context_v1[1] = std::byte{0x01};
  EXPECT_TRUE(decode_all(context_v1, decode_group_context));
  GroupContext context;
  context.cipher_suite = 1;
  context.version = static_cast<ProtocolVersion>(2);
  EXPECT_EQ(encode_error(context), Errc::invalid_argument);

  MLSMessage future;
  future.version = static_cast<ProtocolVersion>(2);
  future.body = Welcome{1, {}, {}};
  EXPECT_EQ(encode_error(future), Errc::invalid_argument);
}

TEST(MlsMessagesBoundsTest, ReservedAndUndefinedEnumValuesAreRefused) {
  // Registry types: only 0 is refused.
  EXPECT_EQ(decode_error(bytes_of({0x00, 0x00, 0x00}), decode_credential), Errc::invalid_encoding);
  EXPECT_EQ(decode_error(bytes_of({0x00, 0x00, 0x00}), decode_extension), Errc::invalid_encoding);
  EXPECT_EQ(decode_error(bytes_of({0x00, 0x00, 0x00}), decode_proposal), Errc::invalid_encoding);
  EXPECT_EQ(decode_error(bytes_of({0x00, 0x00, 0x00}), decode_welcome), Errc::invalid_encoding);
  // Closed enums: anything the RFC does not define.
  EXPECT_EQ(decode_error(bytes_of({0x00}), decode_sender), Errc::invalid_encoding);
  EXPECT_EQ(decode_error(bytes_of({0x05}), decode_sender), Errc::invalid_encoding);
  EXPECT_EQ(decode_error(bytes_of({0x03, 0x00, 0x00}), decode_proposal_or_ref),
            Errc::invalid_encoding);
  EXPECT_EQ(decode_error(bytes_of({0x03}), decode_node), Errc::invalid_encoding);
  EXPECT_EQ(decode_error(bytes_of({0x03, 0x00, 0x00}), decode_pre_shared_key_id),
            Errc::invalid_encoding);
  // A resumption PSK with usage 0.
  EXPECT_EQ(decode_error(bytes_of({0x02, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00}),
                         decode_pre_shared_key_id),
            Errc::invalid_encoding);
  // A PrivateMessage with content type 4.
  EXPECT_EQ(decode_error(bytes_of({0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x04, 0x00, 0x00, 0x00}),
                         decode_private_message),
            Errc::invalid_encoding);
  LeafNode leaf = sample_leaf(LeafNodeSource::update);
  leaf.leaf_node_source = static_cast<LeafNodeSource>(4);
  EXPECT_EQ(encode_error(leaf), Errc::invalid_argument);
}

TEST(MlsMessagesBoundsTest, OverlongSecretsAndHashesAreRefused) {
  Bytes joiner = bytes_of({0x40, 0x41});
  joiner.resize(2 + 65, std::byte{0x11});
  joiner.push_back(std::byte{0x00});
  joiner.push_back(std::byte{0x00});
  EXPECT_FALSE(deserialize_group_secrets(joiner));

  GroupSecrets secrets;
  secrets.joiner_secret = SecretBytes(65);
  EXPECT_FALSE(serialize(secrets));

  ParentNode parent = sample_parent();
  parent.parent_hash.resize(max_hash_bytes + 1);
  EXPECT_EQ(encode_error(parent), Errc::invalid_argument);
}

TEST(MlsMessagesBoundsTest, TooManyProposalsInACommitAreRefused) {
  Commit commit;
  commit.proposals.assign(max_proposals_per_commit + 1, ProposalOrRef{Proposal{Remove{1}}});
  EXPECT_EQ(encode_error(commit), Errc::invalid_argument);
  commit.proposals.pop_back();
  const auto encoded = encode_with([&](TlsWriter& w) { encode(w, commit); });
  ASSERT_TRUE(encoded);
  EXPECT_TRUE(decode_all(*encoded, decode_commit));
  // The same count plus one, written by hand: "00 03 00000001" per proposal.
  const auto too_many = encode_with([&](TlsWriter& w) {
    w.vector([&](TlsWriter& items) {
      for (std::size_t i = 0; i <= max_proposals_per_commit; ++i) {
        encode(items, ProposalOrRef{Proposal{Remove{1}}});
      }
    });
    w.present(false);
  });
  ASSERT_TRUE(too_many);
  EXPECT_EQ(decode_error(*too_many, decode_commit), Errc::invalid_encoding);
}

}  // namespace
}  // namespace bulwark::protocol::mls
