// The group refusing what a malicious delivery service or outsider could send: replayed and
// forked commits, messages of other epochs, tampered commits (the state stays as it was),
// proposals and Welcomes signed by keys that are not in the tree, UpdatePaths that do not
// decrypt, wrong confirmation tags, and leaves the application refuses.
#include <gtest/gtest.h>

#include <variant>

#include "protocol/mls/group/group_state.h"
#include "protocol/mls/messages/mls_message.h"
#include "protocol/mls/support/group_harness.h"
#include "protocol/mls/welcome.h"

namespace bulwark::protocol::mls {
namespace {

using harness::World;

// alice, bob and carol in one group, one epoch past the adds.
World adversary_world(std::uint16_t suite) {
  World world(suite, 11);
  for (const char* name : {"alice", "bob", "carol"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob", "carol"});
  return world;
}

PublicMessage adversary_public(const Bytes& wire) {
  auto message = deserialize_mls_message(wire);
  EXPECT_TRUE(message);
  return std::get<PublicMessage>(message->body);
}

// Signs `content` again as `sender` (its state of the message's epoch) and recomputes the
// membership tag: what an insider who knows the epoch's keys could send.
Bytes adversary_reprotect(const Group& sender, const FramedContent& content,
                          FramedContentAuthData auth, const crypto::Ed25519SecretKey& signer) {
  const GroupState& state = sender.state();
  auth.signature = *sign_framed_content(state.suite, signer, WireFormat::mls_public_message,
                                        content, &state.context);
  const AuthenticatedContent authenticated{WireFormat::mls_public_message, content, auth};
  auto message = protect_public(state.suite, authenticated, state.secrets.membership_key.view(),
                                state.context);
  EXPECT_TRUE(message) << message.error().describe();
  return *serialize(MLSMessage{ProtocolVersion::mls10, *message});
}

class MlsGroupAdversarialTest : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(MlsGroupAdversarialTest, ReplayedCommitIsRefused) {
  World world = adversary_world(GetParam());
  auto output = world.commit("alice", CommitRequest{});
  ASSERT_TRUE(output);
  auto replay = world.group("bob").process(output->commit);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, Errc::duplicate_message) << replay.error().describe();
}

TEST_P(MlsGroupAdversarialTest, SecondCommitOfAnEpochIsReportedAsAFork) {
  World world = adversary_world(GetParam());
  const Group bob_before = world.group("bob");
  auto second = bob_before.commit(CommitRequest{}, world.rng());
  ASSERT_TRUE(second);
  world.commit("alice", CommitRequest{});  // carol and bob apply alice's commit
  auto fork = world.group("carol").process(second->commit);
  ASSERT_FALSE(fork);
  EXPECT_EQ(fork.error().code, Errc::conflict) << fork.error().describe();
  EXPECT_NE(fork.error().context.find("fork"), std::string::npos);
}

TEST_P(MlsGroupAdversarialTest, MessagesOfOtherEpochsAreRefused) {
  World world = adversary_world(GetParam());
  auto old_message = world.group("bob").encrypt(as_bytes("old"), {}, world.rng());
  ASSERT_TRUE(old_message);
  const Group carol_before = world.group("carol");
  world.commit("alice", CommitRequest{});
  auto late = world.group("carol").process(old_message->message);
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().context.find("old epoch"), std::string::npos) << late.error().describe();
  auto new_message = world.group("bob").encrypt(as_bytes("new"), {}, world.rng());
  ASSERT_TRUE(new_message);
  auto early = carol_before.process(new_message->message);
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().context.find("future epoch"), std::string::npos);
}

TEST_P(MlsGroupAdversarialTest, TamperedCommitIsRefusedAndTheStateIsUnchanged) {
  World world = adversary_world(GetParam());
  const Group alice_before = world.group("alice");
  for (const WireFormat format :
       {WireFormat::mls_public_message, WireFormat::mls_private_message}) {
    CommitRequest request;
    request.wire_format = format;
    auto output = alice_before.commit(request, world.rng());
    ASSERT_TRUE(output);
    const Group& carol = world.group("carol");
    auto before = carol.serialize();
    ASSERT_TRUE(before);
    for (const std::size_t at :
         {std::size_t{30}, output->commit.size() / 2, output->commit.size() - 3}) {
      Bytes tampered = output->commit;
      tampered[at] ^= std::byte{0x01};
      EXPECT_FALSE(carol.process(tampered)) << "byte " << at << " flipped";
    }
    auto after = carol.serialize();
    ASSERT_TRUE(after);
    EXPECT_EQ(to_bytes(before->view()), to_bytes(after->view()));
    auto genuine = carol.process(output->commit);
    EXPECT_TRUE(genuine) << genuine.error().describe();
  }
}

TEST_P(MlsGroupAdversarialTest, WrongConfirmationTagIsRefused) {
  World world = adversary_world(GetParam());
  const Group alice_before = world.group("alice");
  CommitRequest request;
  request.wire_format = WireFormat::mls_public_message;
  auto output = alice_before.commit(request, world.rng());
  ASSERT_TRUE(output);
  PublicMessage message = adversary_public(output->commit);
  message.auth.confirmation_tag->at(0) ^= std::byte{0x80};
  const Bytes forged = adversary_reprotect(alice_before, message.content, message.auth,
                                           world.client("alice").signer);
  auto processed = world.group("bob").process(forged);
  ASSERT_FALSE(processed);
  EXPECT_EQ(processed.error().code, Errc::auth_failed);
  EXPECT_NE(processed.error().context.find("confirmation tag"), std::string::npos);
}

TEST_P(MlsGroupAdversarialTest, UpdatePathThatDoesNotDecryptIsRefused) {
  World world = adversary_world(GetParam());
  const Group alice_before = world.group("alice");
  CommitRequest request;
  request.wire_format = WireFormat::mls_public_message;
  auto output = alice_before.commit(request, world.rng());
  ASSERT_TRUE(output);
  PublicMessage message = adversary_public(output->commit);
  Commit& commit = std::get<Commit>(message.content.content);
  ASSERT_TRUE(commit.path);
  for (UpdatePathNode& node : commit.path->nodes) {
    for (HPKECiphertext& ciphertext : node.encrypted_path_secret)
      ciphertext.ciphertext[0] ^= std::byte{1};
  }
  const Bytes forged = adversary_reprotect(alice_before, message.content, message.auth,
                                           world.client("alice").signer);
  auto processed = world.group("bob").process(forged);
  ASSERT_FALSE(processed);
  EXPECT_EQ(processed.error().code, Errc::auth_failed);
  EXPECT_NE(processed.error().context.find("UpdatePath"), std::string::npos)
      << processed.error().describe();
}

TEST_P(MlsGroupAdversarialTest, AddProposalSignedByAnOutsiderIsRefused) {
  World world = adversary_world(GetParam());
  world.add_client("mallory");
  const Group& alice = world.group("alice");
  FramedContent content{to_bytes(alice.group_id()),
                        alice.epoch(),
                        member_sender(0),
                        {},
                        Proposal{Add{world.client("mallory").key_package->key_package}}};
  // Mallory knows the epoch's membership key (an insider leak) but signs as leaf 0 with her
  // own key, which is not in the tree.
  const Bytes forged = adversary_reprotect(alice, content, {}, world.client("mallory").signer);
  auto processed = world.group("bob").process(forged);
  ASSERT_FALSE(processed);
  EXPECT_EQ(processed.error().code, Errc::auth_failed);
  // Without the membership key the tag is wrong too.
  PublicMessage message = adversary_public(forged);
  message.membership_tag->at(0) ^= std::byte{1};
  EXPECT_FALSE(world.group("bob").process(*serialize(MLSMessage{ProtocolVersion::mls10, message})));
  // A sender outside the tree is not a member.
  content.sender = member_sender(7);
  EXPECT_FALSE(world.group("bob").process(
      adversary_reprotect(alice, content, {}, world.client("mallory").signer)));
}

TEST_P(MlsGroupAdversarialTest, WelcomeSignedByAnOutsiderIsRefused) {
  World world = adversary_world(GetParam());
  world.add_client("dave");
  world.add_client("mallory");
  const Group& alice = world.group("alice");
  GroupInfo info;
  info.group_context = alice.group_context();
  info.confirmation_tag = alice.state().confirmation_tag;
  info.signer = 0;  // claims to be alice
  ASSERT_TRUE(sign_group_info(world.suite(), world.client("mallory").signer, info));
  const Bytes joiner(CipherSuite::hash_size(), std::byte{7});
  const Bytes zero(CipherSuite::hash_size());
  const WelcomeRecipient recipient{&world.client("dave").key_package->key_package, std::nullopt};
  auto welcome = create_welcome(world.suite(), joiner, zero, {}, *serialize(info),
                                std::span(&recipient, 1), world.rng());
  ASSERT_TRUE(welcome);
  const Bytes wire = *serialize(MLSMessage{ProtocolVersion::mls10, *welcome});
  const Bytes tree = *alice.ratchet_tree();
  auto joined = Group::join(wire, ByteView(tree), std::span(&*world.client("dave").key_package, 1),
                            world.client("dave").signer, {});
  ASSERT_FALSE(joined);
  EXPECT_EQ(joined.error().code, Errc::auth_failed) << joined.error().describe();
  EXPECT_NE(joined.error().context.find("GroupInfo signature"), std::string::npos);
}

TEST_P(MlsGroupAdversarialTest, LeafTheApplicationRefusesRefusesTheCommitAndTheJoin) {
  World world = adversary_world(GetParam());
  world.add_client("mallory");
  world.add_client("erin");
  GroupConfig strict;
  strict.accept_leaf = [](const LeafNode& leaf, LeafIndex) -> Result<void> {
    if (leaf.credential.identity == harness::name_bytes("mallory")) {
      return fail(Errc::untrusted_identity, "not in the key-transparency record");
    }
    return {};
  };
  // Carol's policy, given again as deserialize() takes it.
  auto stored = world.group("carol").serialize();
  ASSERT_TRUE(stored);
  world.client("carol").group = *Group::deserialize(stored->view(), strict);
  CommitRequest request;
  request.add.push_back(world.client("mallory").key_package->key_package);
  auto output = world.group("alice").commit(request, world.rng());
  ASSERT_TRUE(output);
  auto refused = world.group("carol").process(output->commit);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::untrusted_identity);
  EXPECT_NE(refused.error().context.find("not in the key-transparency record"), std::string::npos);
  EXPECT_TRUE(world.group("bob").process(output->commit));  // bob's default policy accepts
  // A joiner with the same policy refuses a tree holding mallory.
  world.client("alice").group = output->group;
  CommitRequest add_erin;
  add_erin.add.push_back(world.client("erin").key_package->key_package);
  auto with_erin = world.group("alice").commit(add_erin, world.rng());
  ASSERT_TRUE(with_erin);
  auto joined = Group::join(*with_erin->welcome, std::nullopt,
                            std::span(&*world.client("erin").key_package, 1),
                            world.client("erin").signer, {}, strict);
  ASSERT_FALSE(joined);
  EXPECT_EQ(joined.error().code, Errc::untrusted_identity);
}

INSTANTIATE_TEST_SUITE_P(Suites, MlsGroupAdversarialTest, ::testing::Values(1, 3));

}  // namespace
}  // namespace bulwark::protocol::mls
