// Groups built by our own code: 3-5 members added, removed, updated and leaving in several
// orders, with every member agreeing on the epoch authenticator, an exported secret and the
// roster after every step, and application messages in every direction.
#include <gtest/gtest.h>

#include "protocol/mls/messages/known_extensions.h"
#include "protocol/mls/support/group_harness.h"

namespace bulwark::protocol::mls {
namespace {

using harness::World;

class MlsGroupScenarioTest : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(MlsGroupScenarioTest, CreatorAloneCanExportAndSerialize) {
  World world(GetParam());
  world.add_client("alice");
  world.create("alice");
  EXPECT_EQ(world.group("alice").epoch(), 0u);
  EXPECT_EQ(world.group("alice").members().size(), 1u);
  world.expect_agreement();
}

TEST_P(MlsGroupScenarioTest, AddsOneByOneThenAllTalk) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol", "dave", "erin"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob"});
  world.expect_agreement();
  world.add("bob", {"carol"});
  world.expect_agreement();
  world.add("carol", {"dave"}, /*tree_in_welcome=*/false);
  world.expect_agreement();
  world.add("alice", {"erin"});
  world.expect_agreement();
  world.exchange_messages();
  world.expect_agreement();
  EXPECT_EQ(world.group("erin").epoch(), 4u);
}

TEST_P(MlsGroupScenarioTest, BulkAddRemoveUpdateAndReAdd) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol", "dave", "erin"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob", "carol", "dave"});
  world.expect_agreement();
  world.exchange_messages();
  world.remove("bob", {"carol"});
  world.expect_agreement();
  world.commit("dave", CommitRequest{});  // an empty commit: a path update
  world.expect_agreement();
  world.add("dave", {"erin", "carol"});
  world.expect_agreement();
  world.remove("erin", {"alice", "bob"});
  world.expect_agreement();
  world.exchange_messages();
  EXPECT_EQ(world.members(), (std::vector<std::string>{"carol", "dave", "erin"}));
}

TEST_P(MlsGroupScenarioTest, UpdateProposalsAreCommittedByOthers) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob", "carol"});
  auto update = world.group("bob").propose_update(world.rng());
  ASSERT_TRUE(update) << update.error().describe();
  world.deliver_proposal("bob", *update);
  EXPECT_EQ(world.group("carol").pending_proposals(), 1u);
  auto output = world.commit("carol", CommitRequest{});
  ASSERT_TRUE(output);
  ASSERT_EQ(output->changes.size(), 1u);
  EXPECT_EQ(output->changes[0].kind, RosterChangeKind::updated);
  world.expect_agreement();
  world.exchange_messages();
  // Bob's new leaf key works: a later path from Alice reaches him.
  world.commit("alice", CommitRequest{});
  world.expect_agreement();
  world.exchange_messages();
}

TEST_P(MlsGroupScenarioTest, AMemberLeavesByProposingItsOwnRemoval) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol", "dave"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob", "carol", "dave"});
  auto leave = world.group("carol").propose_remove(world.leaf_of("carol"), world.rng());
  ASSERT_TRUE(leave) << leave.error().describe();
  world.deliver_proposal("carol", *leave);
  // Carol may not commit her own removal; she cannot send while it is pending either.
  EXPECT_FALSE(world.group("carol").encrypt(as_bytes("x"), {}, world.rng()));
  auto output = world.commit("dave", CommitRequest{});
  ASSERT_TRUE(output);
  EXPECT_FALSE(world.client("carol").group);  // the harness dropped her closed state
  world.expect_agreement();
  world.exchange_messages();
  EXPECT_EQ(world.group("alice").members().size(), 3u);
}

TEST_P(MlsGroupScenarioTest, PublicMessageHandshakesAndPendingRemoveWinOverUpdate) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol", "dave"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob", "carol", "dave"});
  auto update = world.group("dave").propose_update(world.rng(), WireFormat::mls_public_message);
  ASSERT_TRUE(update);
  world.deliver_proposal("dave", *update);
  auto remove = world.group("bob").propose_remove(world.leaf_of("dave"), world.rng(),
                                                  WireFormat::mls_public_message);
  ASSERT_TRUE(remove);
  world.deliver_proposal("bob", *remove);
  CommitRequest request;
  request.wire_format = WireFormat::mls_public_message;
  auto output = world.commit("carol", request);
  ASSERT_TRUE(output);
  ASSERT_EQ(output->changes.size(), 1u);
  EXPECT_EQ(output->changes[0].kind, RosterChangeKind::removed);
  world.expect_agreement();
  world.exchange_messages();
}

TEST_P(MlsGroupScenarioTest, ExternalPskIsInjectedIntoTheEpoch) {
  World world(GetParam());
  for (const char* name : {"alice", "bob"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob"});
  const Bytes id = harness::name_bytes("psk-1");
  for (const char* name : {"alice", "bob"}) {
    ASSERT_TRUE(world.group(name).add_external_psk(
        {id, SecretBytes::copy_of(harness::name_bytes("a shared secret"))}));
  }
  CommitRequest request;
  request.external_psks.push_back(id);
  world.commit("bob", request);
  world.expect_agreement();
  world.exchange_messages();
}

TEST_P(MlsGroupScenarioTest, GroupContextExtensionsAreReplacedForEveryone) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob"});
  RequiredCapabilities required;
  required.credential_types = {CredentialType::basic};
  auto extension = make_extension(required);
  ASSERT_TRUE(extension);
  CommitRequest request;
  request.group_context_extensions = std::vector<Extension>{*extension};
  world.commit("bob", request);
  world.expect_agreement();
  EXPECT_EQ(world.group("alice").group_context().extensions, std::vector<Extension>{*extension});
  world.add("alice", {"carol"});  // carol's KeyPackage meets the requirement
  world.expect_agreement();
  EXPECT_EQ(world.group("carol").group_context().extensions, std::vector<Extension>{*extension});
}

TEST_P(MlsGroupScenarioTest, AddsWithoutAPathLeaveUnmergedLeavesThatLaterPathsReach) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol", "dave"}) world.add_client(name);
  world.create("alice");
  CommitRequest partial;
  partial.update_path = false;
  partial.add.push_back(world.client("bob").key_package->key_package);
  partial.add.push_back(world.client("carol").key_package->key_package);
  auto output = world.commit("alice", partial, {"bob", "carol"});
  ASSERT_TRUE(output);
  world.expect_agreement();
  partial.add = {world.client("dave").key_package->key_package};
  world.commit("bob", partial, {"dave"});
  world.expect_agreement();
  world.exchange_messages();
  world.commit("dave", CommitRequest{});
  world.expect_agreement();
  world.remove("carol", {"alice"});
  world.expect_agreement();
  world.exchange_messages();
}

TEST_P(MlsGroupScenarioTest, SerializedStateContinuesTheGroup) {
  World world(GetParam());
  for (const char* name : {"alice", "bob", "carol"}) world.add_client(name);
  world.create("alice");
  world.add("alice", {"bob", "carol"});
  world.exchange_messages();
  auto update = world.group("bob").propose_update(world.rng());
  ASSERT_TRUE(update);
  world.deliver_proposal("bob", *update);
  for (const std::string& name : world.members()) {
    auto stored = world.group(name).serialize();
    ASSERT_TRUE(stored) << stored.error().describe();
    auto restored = Group::deserialize(stored->view());
    ASSERT_TRUE(restored) << name << ": " << restored.error().describe();
    EXPECT_EQ(restored->pending_proposals(), world.group(name).pending_proposals());
    world.client(name).group = std::move(*restored);
  }
  world.expect_agreement();
  world.commit("alice", CommitRequest{});  // commits Bob's Update: his stored key must work
  world.expect_agreement();
  world.exchange_messages();
}

INSTANTIATE_TEST_SUITE_P(Suites, MlsGroupScenarioTest, ::testing::Values(1, 3));

}  // namespace
}  // namespace bulwark::protocol::mls
