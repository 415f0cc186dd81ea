// A member that adds a ghost device: Mallory, a genuine member whose own leaf passes every
// check, runs a client without Bulwark's KT checks and commits an Add of "device 7 of Bob", a
// device Bob's key-transparency record does not list. The other member refuses the commit with
// the leaf and the reason named and stays in its epoch with its roster; the group goes on
// without the ghost.
#include <gtest/gtest.h>

#include "client/group_credential.h"
#include "client/uuid.h"
#include "crypto/random.h"
#include "group_world.h"
#include "operator_tools.h"
#include "protocol/mls/key_package.h"

namespace bulwark::e2e {
namespace {

namespace mls = protocol::mls;
using Kind = client::GroupEvent::Kind;

TEST(GroupsGhostAddTest, AMembersAddOfAGhostDeviceIsRefusedAndTheStateKept) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", group_server_options());
  GroupWorld world(tmp, server);
  GroupDevice& bob = world.register_account("bob", 90);
  GroupDevice& carol = world.register_account("carol", 91);
  GroupDevice& mallory = world.register_account("mallory", 92);
  RawDevice raw = raw_device(server, tmp, mallory);
  ASSERT_TRUE(raw.member) << "registration made Mallory's MLS identity";

  // Mallory's group, with her real credential: Carol joins it (every leaf checks out).
  RogueGroup group(raw, std::move(*raw.member), "mallory's");
  mls::CommitRequest add_carol;
  add_carol.add.push_back(raw.take_key_package(carol));
  group.commit(add_carol, {}, {&carol});
  auto events = world.receive_kind(carol, Kind::joined);
  const client::GroupEvent* joined = find_event(events, Kind::joined);
  ASSERT_TRUE(joined);
  ASSERT_TRUE(joined->from);
  EXPECT_EQ(joined->from->account, mallory.account);

  // The ghost Add, sent to Carol through the real delivery service.
  crypto::SystemRng rng;
  const auto ghost_keys = crypto::ed25519_keypair(rng);
  const auto fake_identity = crypto::x25519_keypair(rng);
  mls::KeyPackageParams params;
  params.credential = mls::basic_credential(
      client::make_mls_credential(client::parse_uuid(bob.account).value(), 7, ghost_keys.public_key,
                                  fake_identity.secret_key, rng)
          .value());
  params.capabilities = bulwark_capabilities();
  auto ghost = mls::create_key_package(*mls::CipherSuite::from_id(1), ghost_keys.secret_key,
                                       std::move(params), rng)
                   .value();
  mls::CommitRequest add_ghost;
  add_ghost.add.push_back(ghost.key_package);
  group.commit(add_ghost, {&carol}, {});

  events = world.receive_kind(carol, Kind::problem);
  const client::GroupEvent* problem = find_event(events, Kind::problem);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->epoch, 1u);
  EXPECT_NE(problem->detail.find("leaf 2 refused"), std::string::npos) << problem->detail;
  EXPECT_NE(problem->detail.find("device 7 of " + bob.account), std::string::npos)
      << problem->detail;
  EXPECT_NE(problem->detail.find("not in the account's key-transparency record"), std::string::npos)
      << problem->detail;
  EXPECT_FALSE(find_event(events, Kind::roster));
  auto listed = carol.groups().list();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).epoch, 1u) << "Carol stays in the epoch before the ghost";
  EXPECT_EQ(listed->at(0).members, 2u);
  EXPECT_EQ(listed->at(0).name, "mallory's");
}

}  // namespace
}  // namespace bulwark::e2e
