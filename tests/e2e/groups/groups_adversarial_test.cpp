// A malicious operator against MLS groups, through the real server: a Welcome into a group
// whose tree holds a ghost device (a credential no account's KT record backs) is refused with
// the leaf named; an old commit queued again is reported as a replay; two different commits
// for one epoch, delivered to different members (the operator rolled the group's epoch back),
// are reported as a fork by the members who see both.
#include <gtest/gtest.h>

#include "api/auth.h"
#include "client/group_credential.h"
#include "client/local_store.h"
#include "client/server_connection.h"
#include "client/uuid.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "group_world.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/key_package.h"

namespace bulwark::e2e {
namespace {

namespace mls = protocol::mls;
using Kind = client::GroupEvent::Kind;

std::string hex_account(const std::string& uuid) {
  return to_hex(client::parse_uuid(uuid).value());
}

std::string text_of_bytes(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

const client::GroupEvent* find_kind(const std::vector<client::GroupEvent>& events, Kind kind) {
  for (const auto& event : events)
    if (event.kind == kind) return &event;
  return nullptr;
}

// A raw, authenticated connection as `device` (its Client closed): the operator's accomplice
// speaking the API directly.
std::unique_ptr<client::ServerConnection> raw_connection(const ServerProcess& server,
                                                         const TempDir& tmp, GroupDevice& device) {
  device.client.reset();
  auto key = client::load_key_file(tmp.path() / "devices" / (device.name + ".key"), false).value();
  auto store = client::LocalStore::open(device.dir, key).value();
  const client::LocalAccount account = store->account().value().value();
  auto connection =
      client::ServerConnection::open(client::parse_server_url(server.url()).value(),
                                     client::TlsTrust{server.ca_file()}, std::chrono::seconds(15))
          .value();
  auto secret =
      crypto::Ed25519SecretKey::from_seed(account.auth_secret_key.view().first(32)).value();
  const Bytes message = api::device_auth_message(connection->challenge_nonce(), account.account_id,
                                                 account.device_id, connection->tls_exporter());
  const auto signature = crypto::ed25519_sign(secret, message);
  api::Request request;
  request.mutable_authenticate()->set_account_id(text_of_bytes(account.account_id));
  request.mutable_authenticate()->set_device_id(account.device_id);
  request.mutable_authenticate()->set_signature(text_of_bytes(signature));
  auto response = connection->call(std::move(request), std::chrono::seconds(15)).value();
  EXPECT_EQ(response.status(), api::OK);
  return connection;
}

api::Response call_ok(client::ServerConnection& connection, api::Request request) {
  auto response = connection.call(std::move(request), std::chrono::seconds(15));
  EXPECT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status(), api::OK) << response->message();
  return *response;
}

Bytes token_of(const mls::Group& group) {
  auto token = group.export_secret("bulwark ds epoch token", {}, 32).value();
  return to_bytes(token.view());
}

Bytes hash_bytes(ByteView data) {
  const auto digest = crypto::sha256(data);
  return Bytes(digest.begin(), digest.end());
}

TEST(GroupsAdversarialTest, AWelcomeIntoATreeWithAGhostDeviceIsRefusedNamingIt) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& bob = world.register_account("bob", 80);
  GroupDevice& carol = world.register_account("carol", 81);
  GroupDevice& mallory = world.register_account("mallory", 82);
  ASSERT_TRUE(carol.client->whoami());  // uploads Carol's KeyPackages
  auto connection = raw_connection(server, tmp, mallory);

  api::Request take;
  take.mutable_take_key_packages()->set_account_id(
      text_of_bytes(client::parse_uuid(carol.account).value()));
  const api::Response taken = call_ok(*connection, std::move(take));
  ASSERT_EQ(taken.key_packages().key_packages_size(), 1);
  auto carol_package =
      mls::deserialize_key_package(as_bytes(taken.key_packages().key_packages(0).key_package()))
          .value();

  // The ghost: "device 7 of Bob", a device Bob's record does not list, with a credential signed
  // by a key that is not Bob's (the operator has no other).
  crypto::SystemRng rng;
  const auto ghost_keys = crypto::ed25519_keypair(rng);
  const auto fake_identity = crypto::x25519_keypair(rng);
  const Bytes bob_id = client::parse_uuid(bob.account).value();
  const Bytes ghost_credential =
      client::make_mls_credential(bob_id, 7, ghost_keys.public_key, fake_identity.secret_key, rng)
          .value();
  mls::Capabilities capabilities = mls::default_capabilities();
  capabilities.extensions.push_back(static_cast<mls::ExtensionType>(0xF0B1));
  mls::Member ghost{
      crypto::Ed25519SecretKey::from_seed(ghost_keys.secret_key.seed().view()).value(),
      mls::basic_credential(ghost_credential), capabilities};
  const Bytes group_id(32, std::byte{0x66});
  auto group =
      mls::Group::create(
          *mls::CipherSuite::from_id(1), group_id, ghost, rng, {},
          {mls::Extension{static_cast<mls::ExtensionType>(0xF0B1), to_bytes(as_bytes("trap"))}})
          .value();
  mls::CommitRequest add;
  add.add.push_back(carol_package);
  auto output = group.commit(add, rng).value();
  ASSERT_TRUE(output.welcome);

  api::Request create;
  create.mutable_create_group()->set_group_id(text_of_bytes(group_id));
  create.mutable_create_group()->set_epoch_token_hash(text_of_bytes(hash_bytes(token_of(group))));
  call_ok(*connection, std::move(create));
  api::Request commit;
  auto* send = commit.mutable_send_group_commit();
  send->set_group_id(text_of_bytes(group_id));
  send->set_epoch(0);
  send->set_epoch_token(text_of_bytes(token_of(group)));
  send->set_next_epoch_token_hash(text_of_bytes(hash_bytes(token_of(output.group))));
  send->set_commit(text_of_bytes(output.commit));
  send->set_welcome(text_of_bytes(*output.welcome));
  auto* to = send->add_welcome_recipients();
  to->set_account_id(text_of_bytes(client::parse_uuid(carol.account).value()));
  to->set_device_id(carol.device_id);
  call_ok(*connection, std::move(commit));

  auto events = world.receive_kind(carol, Kind::problem);
  const client::GroupEvent* problem = find_kind(events, Kind::problem);
  ASSERT_TRUE(problem);
  EXPECT_FALSE(find_kind(events, Kind::joined));
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
          hex_account(bob.account) + "'");
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
  const client::GroupEvent* problem = find_kind(events, Kind::problem);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->detail.find("replayed commit for epoch 1"), std::string::npos)
      << problem->detail;
  EXPECT_FALSE(find_kind(events, Kind::fork));
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
                           hex_account(carol.account) +
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
  const client::GroupEvent* fork = find_kind(bob_events, Kind::fork);
  ASSERT_TRUE(fork);
  EXPECT_NE(fork->detail.find("two different commits for epoch 2"), std::string::npos)
      << fork->detail;
  EXPECT_FALSE(find_kind(bob_events, Kind::removed)) << "Bob does not follow the fork";

  // A message from Carol's branch of epoch 3 is reported to Alice as a fork, not garbage.
  ASSERT_TRUE(carol.groups().send("fork", "on the other branch"));
  auto alice_events = world.receive_kind(alice, Kind::fork, 2);
  int epoch_forks = 0;
  for (const auto& event : alice_events) {
    if (event.kind != Kind::fork) continue;
    if (event.detail.find("the sender's epoch 3 is not ours") != std::string::npos) ++epoch_forks;
  }
  EXPECT_EQ(epoch_forks, 1);
  EXPECT_FALSE(find_kind(alice_events, Kind::message));
}

}  // namespace
}  // namespace bulwark::e2e
