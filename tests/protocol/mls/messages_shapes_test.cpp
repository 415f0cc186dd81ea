// Hand-built values of the shapes the official vectors lack: unknown (custom, GREASE)
// proposal, credential and extension types, X.509 credentials, every sender type, every leaf
// source, padding; and the encoders' refusal of values whose fields contradict their selector.
#include <gtest/gtest.h>

#include <cstddef>

#include "protocol/mls/messages/messages.h"
#include "protocol/mls/support/messages_builders.h"

namespace bulwark::protocol::mls {
namespace {

using message_builders::encode_error;
using message_builders::expect_round_trip;
using message_builders::filled;
using message_builders::sample_content;
using message_builders::sample_leaf;

TEST(MlsMessagesShapesTest, UnknownTypesRoundTrip) {
  const Proposal custom{CustomProposal{static_cast<ProposalType>(0xf0f0), filled(7, 1)}};
  const Bytes encoded = expect_round_trip(custom, decode_proposal);
  EXPECT_EQ(to_hex(encoded), "f0f00701010101010101");
  EXPECT_EQ(proposal_type(custom), static_cast<ProposalType>(0xf0f0));

  Credential other;
  other.credential_type = static_cast<CredentialType>(0x0a0a);
  other.content = filled(3, 2);
  EXPECT_EQ(to_hex(expect_round_trip(other, decode_credential)), "0a0a03020202");

  Credential x509;
  x509.credential_type = CredentialType::x509;
  x509.certificates = {Certificate{filled(2, 3)}, Certificate{filled(1, 4)}};
  EXPECT_EQ(to_hex(expect_round_trip(x509, decode_credential)),
            "00020502030301"
            "04");

  ReInit reinit{filled(4, 5),
                static_cast<ProtocolVersion>(7),
                0x1a1a,
                {Extension{static_cast<ExtensionType>(0xfafa), filled(2, 6)}}};
  expect_round_trip(reinit, decode_re_init);
}

TEST(MlsMessagesShapesTest, EveryLeafSourceAndNodeTypeRoundTrips) {
  for (const auto source :
       {LeafNodeSource::key_package, LeafNodeSource::update, LeafNodeSource::commit}) {
    expect_round_trip(sample_leaf(source), decode_leaf_node);
  }
  const RatchetTree tree{{Node{sample_leaf(LeafNodeSource::commit)}, std::nullopt,
                          Node{sample_leaf(LeafNodeSource::update)},
                          Node{message_builders::sample_parent()},
                          Node{sample_leaf(LeafNodeSource::key_package)}}};
  expect_round_trip(tree, decode_ratchet_tree);
}

TEST(MlsMessagesShapesTest, EverySenderTypeRoundTripsInAPublicMessage) {
  const Sender senders[] = {member_sender(3), external_sender(1),
                            new_member_sender(SenderType::new_member_proposal),
                            new_member_sender(SenderType::new_member_commit)};
  for (const Sender& sender : senders) {
    PublicMessage message;
    message.content = sample_content(sender, Proposal{Remove{2}});
    message.auth.signature = filled(64, 1);
    if (sender.sender_type == SenderType::member) message.membership_tag = filled(32, 2);
    expect_round_trip(MLSMessage{ProtocolVersion::mls10, message}, decode_mls_message);
  }
}

TEST(MlsMessagesShapesTest, EncodersRejectFieldsTheirSelectorExcludes) {
  LeafNode leaf = sample_leaf(LeafNodeSource::update);
  leaf.lifetime = Lifetime{1, 2};
  EXPECT_EQ(encode_error(leaf), Errc::invalid_argument);
  leaf = sample_leaf(LeafNodeSource::commit);
  leaf.parent_hash.reset();
  EXPECT_EQ(encode_error(leaf), Errc::invalid_argument);
  leaf = sample_leaf(LeafNodeSource::key_package);
  leaf.lifetime.reset();
  EXPECT_EQ(encode_error(leaf), Errc::invalid_argument);

  Credential basic = basic_credential(filled(1, 1));
  basic.certificates.push_back(Certificate{});
  EXPECT_EQ(encode_error(basic), Errc::invalid_argument);

  EXPECT_EQ(encode_error(Sender{SenderType::new_member_commit, 1, 0}), Errc::invalid_argument);
  EXPECT_EQ(encode_error(Sender{SenderType::member, 0, 1}), Errc::invalid_argument);

  EXPECT_EQ(encode_error(Proposal{CustomProposal{ProposalType::remove, {}}}),
            Errc::invalid_argument);
}

TEST(MlsMessagesShapesTest, TagsArePresentExactlyWhereTheRfcSays) {
  PublicMessage message;
  message.content = sample_content(member_sender(0), Commit{});
  message.auth.signature = filled(64, 1);
  message.membership_tag = filled(32, 2);
  EXPECT_EQ(encode_error(message), Errc::invalid_argument);  // a commit without its tag
  message.auth.confirmation_tag = filled(32, 3);
  expect_round_trip(message, decode_public_message);
  message.membership_tag.reset();
  EXPECT_EQ(encode_error(message), Errc::invalid_argument);  // a member without a tag

  message.content = sample_content(external_sender(0), Proposal{Remove{0}});
  message.membership_tag = filled(32, 2);
  EXPECT_EQ(encode_error(message), Errc::invalid_argument);  // a proposal with a tag

  AuthenticatedContent authenticated{WireFormat::mls_welcome, message.content, {}};
  EXPECT_EQ(encode_error(authenticated), Errc::invalid_argument);
  authenticated.wire_format = WireFormat::mls_private_message;
  expect_round_trip(authenticated, decode_authenticated_content);
}

TEST(MlsMessagesShapesTest, PrivateMessageContentPaddingIsZerosOnly) {
  PrivateMessageContent content;
  content.content = Commit{};
  content.auth = FramedContentAuthData{filled(2, 1), filled(1, 2)};
  content.padding = 5;
  const auto encoded = serialize(content);
  ASSERT_TRUE(encoded);
  EXPECT_EQ(to_hex(*encoded),
            "0000"
            "020101"
            "0102"
            "0000000000");
  const auto back = deserialize_private_message_content(*encoded, ContentType::commit);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, content);

  Bytes dirty = *encoded;
  dirty.back() = std::byte{1};
  const auto refused = deserialize_private_message_content(dirty, ContentType::commit);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_encoding);
  // Read as application data, the same bytes do not parse as one.
  EXPECT_FALSE(deserialize_private_message_content(*encoded, ContentType::application));
}

TEST(MlsMessagesShapesTest, LeafNodeTbsAddsGroupAndIndexOnlyOutsideKeyPackages) {
  const LeafNode update = sample_leaf(LeafNodeSource::update);
  const Bytes group_id = filled(3, 0xee);
  const auto encoded = encode_with([&](TlsWriter& w) { encode(w, update); });
  const auto tbs = leaf_node_tbs(update, group_id, 0x01020304);
  ASSERT_TRUE(encoded && tbs);
  // The leaf minus its signature (66 bytes: the varint 0x4040 and 64 bytes), then group id and
  // index.
  Bytes expected(encoded->begin(), encoded->end() - 66);
  for (const int b : {0x03, 0xee, 0xee, 0xee, 0x01, 0x02, 0x03, 0x04}) {
    expected.push_back(static_cast<std::byte>(b));
  }
  EXPECT_EQ(*tbs, expected);

  const LeafNode offered = sample_leaf(LeafNodeSource::key_package);
  const auto offered_tbs = leaf_node_tbs(offered, group_id, 9);
  const auto offered_plain = leaf_node_tbs(offered, {}, 0);
  ASSERT_TRUE(offered_tbs && offered_plain);
  EXPECT_EQ(*offered_tbs, *offered_plain);
}

TEST(MlsMessagesShapesTest, FramedContentTbsNeedsTheContextForMembersOnly) {
  const FramedContent by_member = sample_content(member_sender(1), ApplicationData{filled(2, 1)});
  const auto missing = framed_content_tbs(WireFormat::mls_private_message, by_member, nullptr);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::invalid_argument);

  GroupContext context;
  context.cipher_suite = 1;
  const auto with = framed_content_tbs(WireFormat::mls_private_message, by_member, &context);
  const auto context_bytes = serialize(context);
  ASSERT_TRUE(with && context_bytes);
  EXPECT_TRUE(std::equal(context_bytes->rbegin(), context_bytes->rend(), with->rbegin()));

  const FramedContent by_outsider =
      sample_content(new_member_sender(SenderType::new_member_proposal), Proposal{Remove{1}});
  const auto plain = framed_content_tbs(WireFormat::mls_public_message, by_outsider, nullptr);
  const auto ignored = framed_content_tbs(WireFormat::mls_public_message, by_outsider, &context);
  ASSERT_TRUE(plain && ignored);
  EXPECT_EQ(*plain, *ignored);
  EXPECT_FALSE(framed_content_tbs(WireFormat::mls_welcome, by_outsider, nullptr));
}

TEST(MlsMessagesShapesTest, GroupSecretsSerializeIntoSecretBytes) {
  GroupSecrets secrets;
  secrets.joiner_secret = SecretBytes::copy_of(filled(2, 0xaa));
  secrets.path_secret = PathSecret{SecretBytes::copy_of(filled(1, 0xbb))};
  secrets.psks.push_back(PreSharedKeyID{ExternalPskId{filled(1, 0xcc)}, filled(1, 0xdd)});
  const auto encoded = serialize(secrets);
  ASSERT_TRUE(encoded);
  EXPECT_EQ(to_hex(encoded->view()),
            "02aaaa"
            "0101bb"
            "05"
            "0101cc01dd");
  const auto back = deserialize_group_secrets(encoded->view());
  ASSERT_TRUE(back);
  EXPECT_EQ(to_hex(back->joiner_secret.view()), "aaaa");
  ASSERT_TRUE(back->path_secret);
  EXPECT_EQ(to_hex(back->path_secret->path_secret.view()), "bb");
  EXPECT_EQ(back->psks, secrets.psks);
}

}  // namespace
}  // namespace bulwark::protocol::mls
