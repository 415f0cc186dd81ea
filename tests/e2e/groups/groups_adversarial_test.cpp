// A malicious operator against MLS groups, through the real server: a Welcome into a group
// whose tree holds a ghost device (a credential no account's KT record backs) is refused with
// the leaf named; an old commit queued again is reported as a replay; two different commits
// for one epoch, delivered to different members (the operator rolled the group's epoch back),
// are reported as a fork by the members who see both.
#include <gtest/gtest.h>

#include "client/group_credential.h"
#include "client/uuid.h"
#include "crypto/random.h"
#include "group_world.h"
#include "operator_tools.h"
#include "protocol/mls/group/group.h"

namespace bulwark::e2e {
namespace {

namespace mls = protocol::mls;
using Kind = client::GroupEvent::Kind;

TEST(GroupsAdversarialTest, AWelcomeIntoATreeWithAGhostDeviceIsRefusedNamingIt) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& bob = world.register_account("bob", 80);
  GroupDevice& carol = world.register_account("carol", 81);
  GroupDevice& mallory = world.register_account("mallory", 82);
  RawDevice raw = raw_device(server, tmp, mallory);
  const mls::KeyPackage carol_package = raw.take_key_package(carol);

  // The ghost: "device 7 of Bob", a device Bob's record does not list, with a credential signed
  // by a key that is not Bob's (the operator has no other).
  crypto::SystemRng rng;
  const auto ghost_keys = crypto::ed25519_keypair(rng);
  const auto fake_identity = crypto::x25519_keypair(rng);
  const Bytes ghost_credential =
      client::make_mls_credential(client::parse_uuid(bob.account).value(), 7, ghost_keys.public_key,
                                  fake_identity.secret_key, rng)
          .value();
  RogueGroup trap(
      raw,
      mls::Member{crypto::Ed25519SecretKey::from_seed(ghost_keys.secret_key.seed().view()).value(),
                  mls::basic_credential(ghost_credential), bulwark_capabilities()},
      "trap");
  mls::CommitRequest add;
  add.add.push_back(carol_package);
  trap.commit(add, {}, {&carol});

  auto events = world.receive_kind(carol, Kind::problem);
  const client::GroupEvent* problem = find_event(events, Kind::problem);
  ASSERT_TRUE(problem);
  EXPECT_FALSE(find_event(events, Kind::joined));
  EXPECT_NE(problem->detail.find("leaf 0"), std::string::npos) << problem->detail;
  EXPECT_NE(problem->detail.find("device 7 of " + bob.account), std::string::npos)
      << problem->detail;
  EXPECT_NE(problem->detail.find("not in the account's key-transparency record"), std::string::npos)
      << problem->detail;
  auto groups = carol.groups().list();
  ASSERT_TRUE(groups);
  EXPECT_TRUE(groups->empty()) << "Carol joined nothing";
}

TEST(GroupsAdversarialTest, AnOldCommitQueuedAgainIsReportedAsAReplay) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& alice = world.register_account("alice", 83);
  GroupDevice& bob = world.register_account("bob", 84);
  GroupDevice& carol = world.register_account("carol", 85);
  ASSERT_TRUE(carol.client->whoami());
  ASSERT_TRUE(alice.groups().create("replay"));
  ASSERT_TRUE(alice.groups().add("replay", bob.phone));
  ASSERT_TRUE(world.receive_kind(bob, Kind::joined).size() >= 1);
  ASSERT_TRUE(alice.groups().add("replay", carol.phone));

  // The operator keeps a copy of the commit queued for Bob...
  ASSERT_EQ(server.stop().code, 0);
  operator_sql(
      server,
      "CREATE TABLE kept AS SELECT e.*, COALESCE(s.content, e.content) AS body FROM envelopes e"
      " LEFT JOIN shared_contents s ON s.id = e.shared_content"
      " WHERE e.envelope_type = 4 AND e.account_id = X'" +
          sql_account(bob.account) + "'");
  server.restart();
  world.reopen(bob);
  ASSERT_TRUE(world.receive_kind(bob, Kind::roster).size() >= 1);
  // ...and queues it again once Bob has applied it.
  ASSERT_EQ(server.stop().code, 0);
  operator_sql(
      server,
      "INSERT INTO envelopes (seq, id, account_id, device_id, source_account, source_device,"
      " envelope_type, content, server_timestamp_ms, client_timestamp_ms, expires_at_ms,"
      " group_id, group_epoch, shared_content) SELECT seq + 1000000, randomblob(16), account_id,"
      " device_id, source_account, source_device, envelope_type, body, server_timestamp_ms,"
      " client_timestamp_ms, expires_at_ms, group_id, group_epoch, NULL FROM kept");
  server.restart();
  world.reopen(bob);
  auto events = world.receive_kind(bob, Kind::problem);
  const client::GroupEvent* problem = find_event(events, Kind::problem);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->detail.find("replayed commit for epoch 1"), std::string::npos)
      << problem->detail;
  EXPECT_FALSE(find_event(events, Kind::fork));
  EXPECT_EQ(bob.groups().members("replay")->size(), 3u) << "the state is unchanged";
}

TEST(GroupsAdversarialTest, TwoCommitsForOneEpochAreReportedAsAFork) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& alice = world.register_account("alice", 86);
  GroupDevice& bob = world.register_account("bob", 87);
  GroupDevice& carol = world.register_account("carol", 88);
  GroupDevice& dave = world.register_account("dave", 89);
  ASSERT_TRUE(dave.client->whoami());
  ASSERT_TRUE(carol.client->whoami());
  ASSERT_TRUE(alice.groups().create("fork"));
  ASSERT_TRUE(alice.groups().add("fork", bob.phone));
  ASSERT_TRUE(alice.groups().add("fork", carol.phone));
  ASSERT_TRUE(world.receive_kind(bob, Kind::roster).size() >= 1);    // joined, then Carol added
  ASSERT_TRUE(world.receive_kind(carol, Kind::joined).size() >= 1);  // all at epoch 2

  ASSERT_EQ(server.stop().code, 0);
  operator_sql(server, "CREATE TABLE saved_group AS SELECT * FROM mls_groups");
  server.restart();
  world.reopen(alice);
  // Epoch 2 -> 3 by Alice's commit, which Bob applies...
  ASSERT_TRUE(alice.groups().add("fork", dave.phone));
  world.reopen(bob);
  ASSERT_TRUE(world.receive_kind(bob, Kind::roster).size() >= 1);
  // ...while the operator hides it from Carol and rolls the group back to epoch 2.
  ASSERT_EQ(server.stop().code, 0);
  operator_sql(server, "DELETE FROM envelopes WHERE envelope_type = 4 AND account_id = X'" +
                           sql_account(carol.account) +
                           "'; UPDATE mls_groups SET epoch = (SELECT epoch FROM saved_group),"
                           " token_hash = (SELECT token_hash FROM saved_group)");
  server.restart();
  world.reopen(carol);
  world.reopen(bob);
  world.reopen(alice);
  // Carol commits in epoch 2 as well: the server accepts it and sends it to Alice and Bob.
  auto carol_remove = carol.groups().remove("fork", bob.phone);
  ASSERT_TRUE(carol_remove) << carol_remove.error().describe();
  auto bob_events = world.receive_kind(bob, Kind::fork);
  const client::GroupEvent* fork = find_event(bob_events, Kind::fork);
  ASSERT_TRUE(fork);
  EXPECT_NE(fork->detail.find("two different commits for epoch 2"), std::string::npos)
      << fork->detail;
  EXPECT_FALSE(find_event(bob_events, Kind::removed)) << "Bob does not follow the fork";

  // A message from Carol's branch of epoch 3 is reported to Alice as a fork, not garbage.
  ASSERT_TRUE(carol.groups().send("fork", "on the other branch"));
  auto alice_events = world.receive_kind(alice, Kind::fork, 2);
  int epoch_forks = 0;
  for (const auto& event : alice_events) {
    if (event.kind != Kind::fork) continue;
    if (event.detail.find("the sender's epoch 3 is not ours") != std::string::npos) ++epoch_forks;
  }
  EXPECT_EQ(epoch_forks, 1);
  EXPECT_FALSE(find_event(alice_events, Kind::message));
}

}  // namespace
}  // namespace bulwark::e2e
