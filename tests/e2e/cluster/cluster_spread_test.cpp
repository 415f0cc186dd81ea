// Issue 10, the multi-node test: three bulwark-server nodes on one PostgreSQL database and one
// NATS, accounts spread one per node. 1:1 messages cross every pair of nodes live (pushed
// through NATS to a connection that is already open), a group of the three talks, and a
// channel post reaches subscribers on the other two nodes while crossing NATS once per node,
// however many subscribers a node holds.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "client/channels.h"
#include "cluster/cluster_processes.h"
#include "groups/group_world.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto spread_live_limit = std::chrono::seconds(20);
constexpr auto spread_subscription_limit = std::chrono::seconds(10);

std::vector<std::unique_ptr<GroupWorld>> spread_worlds(const TempDir& tmp,
                                                       ClusterProcesses& cluster) {
  std::vector<std::unique_ptr<GroupWorld>> worlds;
  for (int i = 0; i < cluster.size(); ++i)
    worlds.push_back(std::make_unique<GroupWorld>(tmp, cluster.node(i)));
  return worlds;
}

// Opens the device's connection (reading whatever is queued) and leaves it open, so that what
// arrives later can only come as a live push on it.
void spread_connect(GroupDevice& device) {
  auto received = device.client->receive(std::chrono::milliseconds(300),
                                         [](const client::ReceiveEvent&) { return true; });
  ASSERT_TRUE(received) << device.name << ": " << received.error().describe();
}

// A receive already running in its own thread (the only user of the device's Client meanwhile)
// until `expected` 1:1 texts or channel posts arrived, or the limit.
class SpreadReceiver {
 public:
  SpreadReceiver(GroupDevice& device, std::size_t expected) : device_(device) {
    thread_ = std::thread([this, expected] {
      result_ = device_.client->receive(spread_live_limit, [&](const client::ReceiveEvent& event) {
        if (event.kind == client::ReceiveEvent::Kind::message && event.message)
          texts_.push_back(event.message->body);
        if (event.kind == client::ReceiveEvent::Kind::channel_entry && event.channel_entry &&
            event.channel_entry->kind == "post")
          texts_.push_back(event.channel_entry->verified
                               ? event.channel_entry->text
                               : "unverified: " + event.channel_entry->problem);
        return texts_.size() < expected;
      });
    });
  }
  ~SpreadReceiver() {
    if (thread_.joinable()) thread_.join();
  }
  SpreadReceiver(const SpreadReceiver&) = delete;
  SpreadReceiver& operator=(const SpreadReceiver&) = delete;

  // Joins the thread; the texts in arrival order.
  std::multiset<std::string> texts() {
    thread_.join();
    if (!result_) ADD_FAILURE() << device_.name << " receive: " << result_.error().describe();
    return {texts_.begin(), texts_.end()};
  }

 private:
  GroupDevice& device_;
  std::vector<std::string> texts_;
  Result<void> result_;
  std::thread thread_;
};

double spread_metric(ClusterProcesses& cluster, int node, const std::string& name) {
  return cluster.node(node).metric("bulwark_" + name);
}

TEST(ClusterSpreadTest, MessagesGroupsAndChannelPostsCrossNodesAndAPostCrossesNatsOncePerNode) {
  TempDir tmp;
  ClusterProcesses cluster(tmp.path());
  auto worlds = spread_worlds(tmp, cluster);
  std::vector<GroupDevice*> people = {&worlds[0]->register_account("alice", 10),
                                      &worlds[1]->register_account("bob", 11),
                                      &worlds[2]->register_account("carol", 12)};

  // ---- 1:1 in every direction: each recipient is listening on its node while the two
  // others send through theirs.
  for (int to = 0; to < 3; ++to) {
    GroupDevice& recipient = *people[static_cast<std::size_t>(to)];
    spread_connect(recipient);
    const double bus_before = spread_metric(cluster, to, "bus_received_device_total");
    const double logins_before = spread_metric(cluster, to, "connections_authenticated_total");
    std::multiset<std::string> expected;
    {
      SpreadReceiver receiver(recipient, 2);
      for (int from = 0; from < 3; ++from) {
        if (from == to) continue;
        GroupDevice& sender = *people[static_cast<std::size_t>(from)];
        const std::string text = sender.name + " to " + recipient.name;
        auto sent = sender.client->send(recipient.phone, text);
        ASSERT_TRUE(sent) << text << ": " << sent.error().describe();
        expected.insert(text);
      }
      EXPECT_EQ(receiver.texts(), expected) << recipient.name << " on node " << to;
    }
    // Pushed through NATS to the connection that was open before the sends: no new login.
    EXPECT_GE(spread_metric(cluster, to, "bus_received_device_total") - bus_before, 2.0)
        << recipient.name << "'s node received no pushes from the bus";
    EXPECT_EQ(spread_metric(cluster, to, "connections_authenticated_total"), logins_before)
        << recipient.name << " reconnected: the messages did not arrive live";
  }

  // ---- A group of the three: created and grown on node 0, every member sends.
  GroupDevice& alice = *people[0];
  GroupDevice& bob = *people[1];
  GroupDevice& carol = *people[2];
  using Kind = client::GroupEvent::Kind;
  auto created = alice.groups().create("spread");
  ASSERT_TRUE(created) << created.error().describe();
  auto added_bob = alice.groups().add("spread", bob.phone);
  ASSERT_TRUE(added_bob) << added_bob.error().describe();
  ASSERT_FALSE(worlds[1]->receive_kind(bob, Kind::joined).empty());
  auto added_carol = alice.groups().add("spread", carol.phone);
  ASSERT_TRUE(added_carol) << added_carol.error().describe();
  ASSERT_FALSE(worlds[2]->receive_kind(carol, Kind::joined).empty());
  ASSERT_FALSE(worlds[1]->receive_kind(bob, Kind::roster).empty());
  for (int from = 0; from < 3; ++from) {
    GroupDevice& sender = *people[static_cast<std::size_t>(from)];
    auto sent = sender.groups().send("spread", "group hello from " + sender.name);
    ASSERT_TRUE(sent) << sender.name << ": " << sent.error().describe();
    EXPECT_EQ(sent->devices, 2u);
  }
  for (int to = 0; to < 3; ++to) {
    GroupDevice& member = *people[static_cast<std::size_t>(to)];
    std::set<std::string> texts;
    for (const auto& event :
         worlds[static_cast<std::size_t>(to)]->receive_kind(member, Kind::message, 2))
      if (event.kind == Kind::message) texts.insert(event.text);
    std::set<std::string> expected;
    for (GroupDevice* other : people)
      if (other != &member) expected.insert("group hello from " + other->name);
    EXPECT_EQ(texts, expected) << member.name << " on node " << to;
  }

  // ---- A channel owned on node 0; subscribers on node 1 (three of them) and node 2.
  std::vector<GroupDevice*> subscribers = {&bob, &worlds[1]->register_account("dave", 13),
                                           &worlds[1]->register_account("erin", 14), &carol};
  auto channel = alice.client->channels().create("clusternews", "Cluster news", "", false);
  ASSERT_TRUE(channel) << channel.error().describe();
  for (GroupDevice* subscriber : subscribers) {
    spread_connect(*subscriber);
    auto subscribed = subscriber->client->channels().subscribe("clusternews", std::nullopt);
    ASSERT_TRUE(subscribed) << subscriber->name << ": " << subscribed.error().describe();
  }
  // A node's channel subscription reaches NATS asynchronously: wait until nats-server holds it
  // for nodes 1 and 2, and check it holds exactly one per node, not one per subscriber.
  const std::string subject = "bulwark.c." + channel->channel.channel_id;
  std::map<std::string, std::vector<std::string>> subscriptions;
  const auto channel_subscriptions = [&](int node) {
    auto found = subscriptions.find("bulwark-" + ClusterProcesses::node_id(node));
    return found == subscriptions.end() ? std::size_t{0}
                                        : static_cast<std::size_t>(std::count(
                                              found->second.begin(), found->second.end(), subject));
  };
  ASSERT_TRUE(poll_until(spread_subscription_limit,
                         [&] {
                           subscriptions = cluster.nats_subscriptions();
                           return channel_subscriptions(1) >= 1 && channel_subscriptions(2) >= 1;
                         }))
      << "nats-server never held " << subject << " for nodes 1 and 2";
  EXPECT_EQ(channel_subscriptions(0), 0u) << "node 0 has no subscriber of the channel";
  EXPECT_EQ(channel_subscriptions(1), 1u) << "node 1 has three subscribers, one subscription";
  EXPECT_EQ(channel_subscriptions(2), 1u);

  constexpr int posts = 2;
  std::vector<double> received_before;
  for (int node = 0; node < 3; ++node)
    received_before.push_back(spread_metric(cluster, node, "bus_received_channel_total"));
  const double published_before = spread_metric(cluster, 0, "bus_published_channel_total");
  {
    std::vector<std::unique_ptr<SpreadReceiver>> receivers;
    for (GroupDevice* subscriber : subscribers)
      receivers.push_back(std::make_unique<SpreadReceiver>(*subscriber, posts));
    std::multiset<std::string> expected;
    for (int n = 0; n < posts; ++n) {
      const std::string text = "cluster post " + std::to_string(n);
      auto posted = alice.client->channels().post("clusternews", text);
      ASSERT_TRUE(posted) << posted.error().describe();
      expected.insert(text);
    }
    for (std::size_t i = 0; i < subscribers.size(); ++i)
      EXPECT_EQ(receivers[i]->texts(), expected) << subscribers[i]->name;
  }
  EXPECT_EQ(spread_metric(cluster, 0, "bus_published_channel_total") - published_before, posts)
      << "node 0 publishes each post once";
  const double crossed[3] = {
      spread_metric(cluster, 0, "bus_received_channel_total") - received_before[0],
      spread_metric(cluster, 1, "bus_received_channel_total") - received_before[1],
      spread_metric(cluster, 2, "bus_received_channel_total") - received_before[2]};
  EXPECT_EQ(crossed[0], 0) << "a node never receives its own posts";
  EXPECT_EQ(crossed[1], posts) << "node 1 (three subscribers) received each post once";
  EXPECT_EQ(crossed[2], posts) << "node 2 (one subscriber) received each post once";
  RecordProperty("posts", posts);
  RecordProperty("node1_channel_messages_from_bus", static_cast<int>(crossed[1]));
  RecordProperty("node2_channel_messages_from_bus", static_cast<int>(crossed[2]));
  std::cout << "cluster spread: posts=" << posts << " bus_received_channel node0=" << crossed[0]
            << " node1=" << crossed[1] << " (3 subscribers) node2=" << crossed[2]
            << " (1 subscriber)\n";
}

}  // namespace
}  // namespace bulwark::e2e
