// MLS framing rules the official vectors do not reach: forged or corrupted PrivateMessages
// leave the ratchet keys in place, padding is zero and checked, the reuse guard is random,
// messages for another group or epoch, application PublicMessages, blank leaves and the
// non-member sender types are refused or handled as §6 says.
#include <gtest/gtest.h>

#include <string>

#include "protocol/mls/framing.h"
#include "protocol/mls/key_package.h"
#include "support/seeded_rng.h"

namespace bulwark::protocol::mls {
namespace {

// A four-leaf group in which leaves 0-2 are members and leaf 3 is blank.
struct FrameGroup {
  CipherSuite suite = *CipherSuite::from_id(3);
  bulwark::testing::SeededRng rng{77};
  std::vector<crypto::Ed25519KeyPair> signers;
  GroupContext context;
  Bytes membership_key = Bytes(32, std::byte{0x4d});
  Bytes encryption_secret = Bytes(32, std::byte{0x45});
  Bytes sender_data_secret = Bytes(32, std::byte{0x53});
  SignatureKeyLookup keys;

  FrameGroup() {
    for (int i = 0; i < 3; ++i) signers.push_back(crypto::ed25519_keypair(rng));
    context.cipher_suite = 3;
    context.group_id = to_bytes(as_bytes("frame group"));
    context.epoch = 7;
    context.tree_hash = Bytes(32, std::byte{1});
    context.confirmed_transcript_hash = Bytes(32, std::byte{2});
    keys.member = [this](LeafIndex leaf) -> Result<Bytes> {
      if (leaf.value() >= signers.size()) return fail(Errc::invalid_message, "blank leaf");
      return to_bytes(signers[leaf.value()].public_key.bytes());
    };
  }
  SecretTree tree() { return std::move(*SecretTree::create(suite, encryption_secret, 4)); }

  AuthenticatedContent sign(std::uint32_t leaf, ContentBody body, WireFormat format,
                            std::uint32_t signer) {
    FramedContent content{context.group_id, context.epoch, member_sender(leaf),
                          to_bytes(as_bytes("ad")), std::move(body)};
    auto out =
        sign_content(suite, signers[signer].secret_key, format, std::move(content), &context);
    EXPECT_TRUE(out);
    return std::move(*out);
  }
  AuthenticatedContent app(std::uint32_t leaf, std::string_view text,
                           std::uint32_t signer = 0xffffffff) {
    return sign(leaf, ApplicationData{to_bytes(as_bytes(text))}, WireFormat::mls_private_message,
                signer == 0xffffffff ? leaf : signer);
  }
  PrivateMessage seal(const AuthenticatedContent& content, SecretTree& sender,
                      PaddingPolicy padding = {}) {
    auto out = protect_private(suite, content, sender, sender_data_secret, rng, padding);
    EXPECT_TRUE(out) << out.error().describe();
    return std::move(*out);
  }
  Result<UnprotectedPrivate> open(const PrivateMessage& message, SecretTree& receiver) {
    return unprotect_private(suite, message, receiver, sender_data_secret, context, keys);
  }
};

Errc frame_error(const Result<UnprotectedPrivate>& got) {
  EXPECT_FALSE(got);
  return got ? Errc::internal : got.error().code;
}

TEST(MlsFramingRulesTest, PrivateMessagesRoundTripOutOfOrder) {
  FrameGroup g;
  SecretTree sender = g.tree();
  SecretTree receiver = g.tree();
  std::vector<PrivateMessage> sent;
  for (int i = 0; i < 3; ++i) sent.push_back(g.seal(g.app(1, "m" + std::to_string(i)), sender));
  for (int i : {2, 0, 1}) {
    const auto got = g.open(sent[i], receiver);
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(got->sender, LeafIndex(1));
    EXPECT_EQ(got->generation, static_cast<std::uint32_t>(i));
    EXPECT_EQ(std::get<ApplicationData>(got->content.content.content).data,
              to_bytes(as_bytes("m" + std::to_string(i))));
    EXPECT_EQ(got->content.content.authenticated_data, to_bytes(as_bytes("ad")));
  }
  EXPECT_EQ(frame_error(g.open(sent[1], receiver)), Errc::duplicate_message);
}

TEST(MlsFramingRulesTest, FailedMessagesDoNotConsumeKeys) {
  FrameGroup g;
  SecretTree sender = g.tree();
  SecretTree forger = g.tree();
  SecretTree receiver = g.tree();
  const PrivateMessage genuine = g.seal(g.app(1, "hello"), sender);
  // Signed by leaf 2 but claiming leaf 1, with the right ratchet key: only the signature fails.
  const PrivateMessage forged = g.seal(g.app(1, "evil", 2), forger);
  EXPECT_EQ(frame_error(g.open(forged, receiver)), Errc::auth_failed);
  // Corrupted content (past the sample) and corrupted sender data.
  PrivateMessage corrupt = genuine;
  corrupt.ciphertext.back() ^= std::byte{1};
  EXPECT_EQ(frame_error(g.open(corrupt, receiver)), Errc::auth_failed);
  corrupt = genuine;
  corrupt.encrypted_sender_data.front() ^= std::byte{1};
  EXPECT_EQ(frame_error(g.open(corrupt, receiver)), Errc::auth_failed);
  corrupt = genuine;
  corrupt.authenticated_data.push_back(std::byte{0});
  EXPECT_EQ(frame_error(g.open(corrupt, receiver)), Errc::auth_failed);
  const auto got = g.open(genuine, receiver);
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->generation, 0u);
}

TEST(MlsFramingRulesTest, PaddingFollowsThePolicy) {
  FrameGroup g;
  SecretTree sender = g.tree();
  SecretTree receiver = g.tree();
  const auto content = g.app(0, "short");
  const std::size_t tag = 16;
  const std::size_t bare = g.seal(content, sender).ciphertext.size() - tag;
  EXPECT_EQ(g.seal(content, sender, PaddingPolicy{256, 0}).ciphertext.size(), 256 + tag);
  EXPECT_EQ(g.seal(content, sender, PaddingPolicy{0, 64}).ciphertext.size() % 64, tag);
  EXPECT_EQ(g.seal(content, sender, PaddingPolicy{bare - 1, 0}).ciphertext.size(), bare + tag);
  const PrivateMessage padded = g.seal(content, sender, PaddingPolicy{1000, 96});
  EXPECT_EQ(padded.ciphertext.size(), 1056 + tag);
  const auto got = g.open(padded, receiver);
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->generation, 4u);
  EXPECT_EQ(std::get<ApplicationData>(got->content.content.content).data,
            to_bytes(as_bytes("short")));
}

// A PrivateMessage built by hand as protect_private would, but with a non-zero padding byte.
PrivateMessage frame_nonzero_padding(FrameGroup& g, SecretTree& sender) {
  const AuthenticatedContent content = g.app(0, "covert");
  Bytes plain = *serialize(PrivateMessageContent{content.content.content, content.auth, 0});
  plain.push_back(std::byte{0});
  plain.push_back(std::byte{1});
  const RatchetKey key = *sender.next(LeafIndex(0), RatchetKind::application);
  PrivateMessage out{g.context.group_id,
                     g.context.epoch,
                     ContentType::application,
                     content.content.authenticated_data,
                     {},
                     {}};
  const Bytes aad = *serialize(
      PrivateContentAAD{out.group_id, out.epoch, out.content_type, out.authenticated_data});
  out.ciphertext = *g.suite.aead_seal(key.key.view(), key.nonce.view(), aad, plain);
  const KeyAndNonce sd = *sender_data_key_nonce(g.suite, g.sender_data_secret, out.ciphertext);
  const Bytes sd_aad = *serialize(SenderDataAAD{out.group_id, out.epoch, out.content_type});
  out.encrypted_sender_data = *g.suite.aead_seal(sd.key.view(), sd.nonce.view(), sd_aad,
                                                 *serialize(SenderData{0, key.generation, {}}));
  return out;
}

TEST(MlsFramingRulesTest, NonZeroPaddingIsRefused) {
  FrameGroup g;
  SecretTree sender = g.tree();
  SecretTree receiver = g.tree();
  const PrivateMessage bad = frame_nonzero_padding(g, sender);
  EXPECT_EQ(frame_error(g.open(bad, receiver)), Errc::invalid_message);
  // The same construction with zero padding is accepted: only the padding was wrong.
  const auto next = g.open(g.seal(g.app(0, "fine"), sender), receiver);
  ASSERT_TRUE(next) << next.error().describe();
  EXPECT_EQ(next->generation, 1u);
}

TEST(MlsFramingRulesTest, ReuseGuardIsFreshEachTime) {
  FrameGroup g;
  SecretTree first = g.tree();
  SecretTree second = g.tree();  // the same generation 0 key, as after a lost state
  const auto content = g.app(2, "same");
  const PrivateMessage a = g.seal(content, first);
  const PrivateMessage b = g.seal(content, second);
  EXPECT_NE(a.ciphertext, b.ciphertext);
  SecretTree receiver_a = g.tree();
  SecretTree receiver_b = g.tree();
  EXPECT_TRUE(g.open(a, receiver_a));
  EXPECT_TRUE(g.open(b, receiver_b));
}

TEST(MlsFramingRulesTest, WrongGroupEpochOrBlankSenderIsRefused) {
  FrameGroup g;
  SecretTree sender = g.tree();
  SecretTree receiver = g.tree();
  PrivateMessage message = g.seal(g.app(1, "x"), sender);
  ++message.epoch;
  EXPECT_EQ(frame_error(g.open(message, receiver)), Errc::invalid_message);
  --message.epoch;
  message.group_id.push_back(std::byte{0});
  EXPECT_EQ(frame_error(g.open(message, receiver)), Errc::invalid_message);
  // Leaf 3 is blank: the sender data names it, the lookup refuses it.
  g.signers.push_back(crypto::ed25519_keypair(g.rng));
  const auto from_blank = g.app(3, "ghost");
  g.signers.pop_back();
  EXPECT_EQ(frame_error(g.open(g.seal(from_blank, sender), receiver)), Errc::invalid_message);
}

TEST(MlsFramingRulesTest, ProtectRefusesMismatchedContent) {
  FrameGroup g;
  SecretTree sender = g.tree();
  const auto as_public = g.sign(0, ApplicationData{}, WireFormat::mls_public_message, 0);
  EXPECT_EQ(protect_private(g.suite, as_public, sender, g.sender_data_secret, g.rng).error().code,
            Errc::invalid_argument);
  const auto private_proposal = g.sign(0, Proposal{Remove{1}}, WireFormat::mls_private_message, 0);
  EXPECT_EQ(protect_public(g.suite, private_proposal, g.membership_key, g.context).error().code,
            Errc::invalid_argument);
}

TEST(MlsFramingRulesTest, PublicMessagesCheckTagSignatureAndContentType) {
  FrameGroup g;
  const auto proposal = g.sign(1, Proposal{Remove{2}}, WireFormat::mls_public_message, 1);
  auto message = protect_public(g.suite, proposal, g.membership_key, g.context);
  ASSERT_TRUE(message);
  EXPECT_TRUE(unprotect_public(g.suite, *message, g.membership_key, g.context, g.keys));
  PublicMessage bad = *message;
  bad.membership_tag.reset();
  EXPECT_EQ(unprotect_public(g.suite, bad, g.membership_key, g.context, g.keys).error().code,
            Errc::auth_failed);
  bad = *message;
  bad.auth.signature.front() ^= std::byte{1};  // the tag covers it: recompute the tag
  bad.membership_tag =
      g.suite.mac(g.membership_key, *authenticated_content_tbm(bad.content, bad.auth, &g.context));
  EXPECT_EQ(unprotect_public(g.suite, bad, g.membership_key, g.context, g.keys).error().code,
            Errc::auth_failed);
  // An application PublicMessage built by hand, well tagged and signed, is still refused.
  const auto app = g.sign(1, ApplicationData{}, WireFormat::mls_public_message, 1);
  PublicMessage app_message{
      app.content, app.auth,
      g.suite.mac(g.membership_key, *authenticated_content_tbm(app.content, app.auth, &g.context))};
  EXPECT_EQ(
      unprotect_public(g.suite, app_message, g.membership_key, g.context, g.keys).error().code,
      Errc::invalid_message);
  GroupContext later = g.context;
  later.epoch++;
  EXPECT_EQ(unprotect_public(g.suite, *message, g.membership_key, later, g.keys).error().code,
            Errc::invalid_message);
}

TEST(MlsFramingRulesTest, NonMemberSendersUseTheirOwnKeys) {
  FrameGroup g;
  // An external sender's proposal: no membership tag, the key from the external lookup.
  const crypto::Ed25519KeyPair server = crypto::ed25519_keypair(g.rng);
  FramedContent external{
      g.context.group_id, g.context.epoch, external_sender(0), {}, Proposal{Remove{2}}};
  auto signed_external =
      sign_content(g.suite, server.secret_key, WireFormat::mls_public_message, external, nullptr);
  ASSERT_TRUE(signed_external);
  const auto message = protect_public(g.suite, *signed_external, {}, g.context);
  ASSERT_TRUE(message);
  EXPECT_FALSE(message->membership_tag);
  EXPECT_EQ(unprotect_public(g.suite, *message, {}, g.context, g.keys).error().code,
            Errc::invalid_message);  // no external senders configured
  SignatureKeyLookup with_external = g.keys;
  with_external.external = [&](std::uint32_t index) -> Result<Bytes> {
    if (index != 0) return fail(Errc::invalid_message, "no such external sender");
    return to_bytes(server.public_key.bytes());
  };
  EXPECT_TRUE(unprotect_public(g.suite, *message, {}, g.context, with_external));
  // A new member proposing its own Add signs with the key in its KeyPackage.
  const crypto::Ed25519KeyPair joiner = crypto::ed25519_keypair(g.rng);
  auto bundle =
      create_key_package(g.suite, joiner.secret_key,
                         KeyPackageParams{basic_credential(to_bytes(as_bytes("j")))}, g.rng);
  ASSERT_TRUE(bundle);
  FramedContent add{g.context.group_id,
                    g.context.epoch,
                    new_member_sender(SenderType::new_member_proposal),
                    {},
                    Proposal{Add{bundle->key_package}}};
  auto signed_add =
      sign_content(g.suite, joiner.secret_key, WireFormat::mls_public_message, add, nullptr);
  ASSERT_TRUE(signed_add);
  const auto add_message = protect_public(g.suite, *signed_add, {}, g.context);
  ASSERT_TRUE(add_message);
  EXPECT_TRUE(unprotect_public(g.suite, *add_message, {}, g.context, g.keys));
  // The same sender type may not propose anything but an Add.
  FramedContent remove = add;
  remove.content = Proposal{Remove{1}};
  EXPECT_EQ(sender_signature_key(remove, g.keys).error().code, Errc::invalid_message);
}

}  // namespace
}  // namespace bulwark::protocol::mls
