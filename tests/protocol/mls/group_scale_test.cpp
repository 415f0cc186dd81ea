// The group at 1,000 members (the performance goal: adding one member to a
// 1,000-member group within about 1.5 s). Timings are printed, not asserted (machines
// differ); the test asserts that everyone involved agrees.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "protocol/mls/support/group_harness.h"

namespace bulwark::protocol::mls {
namespace {

double scale_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
      .count();
}

TEST(MlsGroupScaleTest, AddsOneMemberToAThousandMemberGroup) {
  constexpr int scale_members = 1000;
  harness::World world(1, 5);
  world.add_client("creator");
  world.create("creator");
  CommitRequest bulk;
  for (int i = 1; i < scale_members; ++i) {
    harness::Client& client = world.add_client("m" + std::to_string(i));
    bulk.add.push_back(client.key_package->key_package);
  }
  auto start = std::chrono::steady_clock::now();
  auto added = world.group("creator").commit(bulk, world.rng());
  ASSERT_TRUE(added) << added.error().describe();
  const double bulk_ms = scale_ms(start);
  world.client("creator").group = added->group;

  start = std::chrono::steady_clock::now();
  world.join("m1", *added, true);
  const double join_ms = scale_ms(start);
  ASSERT_TRUE(world.client("m1").group);

  // One more member, added by the creator and processed by m1.
  world.add_client("newcomer");
  CommitRequest one;
  one.add.push_back(world.client("newcomer").key_package->key_package);
  start = std::chrono::steady_clock::now();
  auto output = world.group("creator").commit(one, world.rng());
  ASSERT_TRUE(output) << output.error().describe();
  const double add_ms = scale_ms(start);
  start = std::chrono::steady_clock::now();
  auto processed = world.group("m1").process(output->commit);
  ASSERT_TRUE(processed) << processed.error().describe();
  const double process_ms = scale_ms(start);
  start = std::chrono::steady_clock::now();
  world.join("newcomer", *output, false);
  const double newcomer_ms = scale_ms(start);
  ASSERT_TRUE(world.client("newcomer").group);

  const Group& creator = output->group;
  EXPECT_EQ(creator.members().size(), static_cast<std::size_t>(scale_members + 1));
  EXPECT_EQ(to_bytes(processed->group->epoch_authenticator().view()),
            to_bytes(creator.epoch_authenticator().view()));
  EXPECT_EQ(to_bytes(world.group("newcomer").epoch_authenticator().view()),
            to_bytes(creator.epoch_authenticator().view()));
  std::cout << "[ scale    ] 1000 members: bulk add of 999 " << bulk_ms << " ms (Welcome "
            << added->welcome->size() << " B), join " << join_ms << " ms; add 1: commit " << add_ms
            << " ms (" << output->commit.size() << " B), process " << process_ms << " ms, join "
            << newcomer_ms << " ms\n";
}

}  // namespace
}  // namespace bulwark::protocol::mls
