// Issue 10, the multi-node durability test: senders and recipients spread over three nodes
// (one PostgreSQL, one NATS) exchange messages without pause; a node is killed with SIGKILL
// mid-load and its devices reconnect to a surviving node, as they would through a load
// balancer (a Client takes one URL, so the test reopens the affected ones at another node's).
// Then the killed node comes back on the same port and some devices move back to it: presence
// is NATS interest, so routing to them resumes with no state to rebuild. Twice, once for the
// node that started first (the KT publisher, whose lease another node takes over) and once
// for another.
//
// Every acknowledged message must reach its recipient's application exactly once, and none may
// be shown twice. Sends that failed (in flight on the killed node) may or may not arrive; both
// counts are reported.
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>

#include "cluster/cluster_processes.h"
#include "durability/delivery_ledger.h"
#include "durability/message_load.h"
#include "groups/group_world.h"

namespace bulwark::e2e {
namespace {

constexpr std::uint64_t cluster_kill_seed = 20261129;
// Acknowledged sends between two events (a kill, a restart), a seeded random number in range.
constexpr std::size_t cluster_min_gap = 20;
constexpr std::size_t cluster_max_gap = 60;
constexpr std::size_t cluster_tail = 30;
constexpr int cluster_victims[] = {1, 0};
constexpr auto cluster_progress_limit = std::chrono::seconds(60);
constexpr auto cluster_park_limit = std::chrono::seconds(30);
constexpr auto cluster_delivery_limit = std::chrono::seconds(60);

// A device and the node its Client points at now.
struct PlacedDevice {
  GroupDevice* device = nullptr;
  int node = 0;
};

// Pauses the load (every thread parked, no Client in use), runs `change`, resumes it.
template <class Change>
void cluster_paused(ServerGate& gate, const MessageLoad& load, Change&& change) {
  gate.close_for_restart();
  ASSERT_TRUE(gate.wait_until_parked(load.thread_count(), cluster_park_limit))
      << "the load did not pause within " << cluster_park_limit.count() << " s";
  change();
  gate.open_after_restart();
}

void cluster_wait_for_more(DeliveryLedger& ledger, std::size_t more, const std::string& when) {
  const std::size_t target = ledger.acknowledged_count() + more;
  ASSERT_TRUE(ledger.wait_for_acknowledged(target, cluster_progress_limit))
      << when << ": " << ledger.acknowledged_count() << " of " << target
      << " sends acknowledged; send errors: " << ledger_errors_text(ledger.send_errors());
}

TEST(ClusterSigkillTest, ClientsOfAKilledNodeMoveAndEveryAcknowledgedMessageArrivesExactlyOnce) {
  TempDir tmp;
  ClusterProcesses cluster(tmp.path());
  std::vector<std::unique_ptr<GroupWorld>> worlds;
  for (int i = 0; i < cluster.size(); ++i)
    worlds.push_back(std::make_unique<GroupWorld>(tmp, cluster.node(i)));
  // Two senders and one recipient per node.
  std::vector<PlacedDevice> placed;
  std::vector<GroupDevice*> senders;
  std::vector<GroupDevice*> recipients;
  for (int node = 0; node < cluster.size(); ++node) {
    GroupWorld& world = *worlds[static_cast<std::size_t>(node)];
    for (int k = 0; k < 2; ++k) {
      GroupDevice& sender = world.register_account(
          "sender" + std::to_string(node) + std::to_string(k), 20 + 2 * node + k);
      senders.push_back(&sender);
      placed.push_back({&sender, node});
    }
    GroupDevice& recipient = world.register_account("recipient" + std::to_string(node), 30 + node);
    recipients.push_back(&recipient);
    placed.push_back({&recipient, node});
  }

  DeliveryLedger ledger;
  ServerGate gate;
  std::mt19937_64 schedule(cluster_kill_seed);
  std::uniform_int_distribution<std::size_t> gap(cluster_min_gap, cluster_max_gap);
  int kills = 0;
  int moved = 0;
  int moved_back = 0;
  {
    MessageLoad load(senders, recipients, cluster_kill_seed, ledger, gate);
    for (const int victim : cluster_victims) {
      const int survivor = (victim + 1) % cluster.size();
      cluster_wait_for_more(ledger, gap(schedule), "before killing node " + std::to_string(victim));
      if (HasFatalFailure()) return;
      cluster_paused(gate, load, [&] {
        const ExitStatus status = cluster.kill(victim);
        ASSERT_FALSE(status.exited) << status.describe();
        ASSERT_EQ(status.signal, SIGKILL) << status.describe();
        ++kills;
        for (PlacedDevice& device : placed) {
          if (device.node != victim) continue;
          worlds[static_cast<std::size_t>(survivor)]->reopen(*device.device);
          device.node = survivor;
          ++moved;
        }
      });
      if (HasFatalFailure()) return;
      cluster_wait_for_more(ledger, gap(schedule), "with node " + std::to_string(victim) + " down");
      if (HasFatalFailure()) return;
      // Back on the same port; its recipient and one sender return to it, the other sender
      // stays on the survivor.
      cluster_paused(gate, load, [&] {
        cluster.restart(victim);
        const std::string v = std::to_string(victim);
        for (PlacedDevice& device : placed) {
          const std::string& name = device.device->name;
          if (name != "recipient" + v && name != "sender" + v + "0") continue;
          worlds[static_cast<std::size_t>(victim)]->reopen(*device.device);
          device.node = victim;
          ++moved_back;
        }
      });
      if (HasFatalFailure()) return;
    }
    cluster_wait_for_more(ledger, cluster_tail, "after the last restart");
    load.stop_sending();
    EXPECT_TRUE(ledger.wait_all_acknowledged_delivered(cluster_delivery_limit))
        << "lost: " << ledger_first_few(ledger.report().lost);
    load.stop_receiving();
  }
  const std::size_t lost_live = ledger.report().lost.size();
  // What the nodes still hold (redeliveries of ones shown already, unacknowledged sends), on a
  // new connection: a session reads the queue when it connects, so this finds any envelope
  // still stored whose live push never came.
  for (PlacedDevice& device : placed) {
    if (device.device->name.rfind("recipient", 0) != 0) continue;
    worlds[static_cast<std::size_t>(device.node)]->reopen(*device.device);
    const auto drained = drain_into_ledger(*device.device, ledger);
    ASSERT_TRUE(drained) << device.device->name << " final drain: " << drained.error().describe();
  }

  const LedgerReport report = ledger.report();
  expect_exactly_once(report);
  EXPECT_EQ(lost_live, 0u) << "acknowledged, stored, but not pushed to a connected recipient";
  EXPECT_EQ(kills, 2);
  EXPECT_GE(report.acknowledged, 4 * cluster_min_gap + cluster_tail);
  // A refused send is the killed node's network or availability error, never a key-transparency
  // one: every node follows the one log (a follower that refused it answered these).
  const auto errors = ledger.send_errors();
  EXPECT_EQ(errors.count("invalid_proof"), 0u) << ledger_errors_text(errors);
  EXPECT_EQ(errors.count("not_found"), 0u) << ledger_errors_text(errors);

  double crossed = 0;
  for (int node = 0; node < cluster.size(); ++node)
    crossed += cluster.node(node).metric("bulwark_bus_received_device_total");
  RecordProperty("kills", kills);
  RecordProperty("devices_moved", moved);
  RecordProperty("devices_moved_back", moved_back);
  RecordProperty("acknowledged", static_cast<int>(report.acknowledged));
  RecordProperty("unacknowledged", static_cast<int>(report.unacknowledged));
  RecordProperty("delivered", static_cast<int>(report.delivered));
  RecordProperty("unacknowledged_delivered", static_cast<int>(report.unacknowledged_delivered));
  RecordProperty("delivered_only_after_reconnect",
                 static_cast<int>(lost_live - report.lost.size()));
  RecordProperty("duplicates_shown", static_cast<int>(report.duplicated.size()));
  RecordProperty("bus_pushes_received_since_last_starts", static_cast<int>(crossed));
  std::cout << "cluster sigkill: kills=" << kills << " moved=" << moved
            << " moved_back=" << moved_back << " acknowledged=" << report.acknowledged
            << " unacknowledged=" << report.unacknowledged << " delivered=" << report.delivered
            << " unacknowledged_delivered=" << report.unacknowledged_delivered
            << " duplicates_shown=" << report.duplicated.size()
            << " bus_pushes_received_since_last_starts=" << crossed
            << " send_errors=" << ledger_errors_text(ledger.send_errors()) << "\n";
}

}  // namespace
}  // namespace bulwark::e2e
