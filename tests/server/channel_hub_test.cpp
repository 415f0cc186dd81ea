// ChannelHub (server/channel_hub.h): who gets a channel's pushes, and the fan-out in groups on
// the I/O executor.
#include "server/channel_hub.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace bulwark::server {
namespace {

// Counts what it is given; deliver() is Connection's default (through post()), which runs at
// once here. Only the hub's side is under test.
class CountingConnection final : public Connection {
 public:
  void post(std::function<void()> fn) override { fn(); }
  bool write(std::shared_ptr<const std::string> frame) override {
    frames.push_back(std::move(frame));
    return true;
  }
  [[nodiscard]] std::size_t queued_write_bytes() const override { return 0; }
  void close(std::string_view) override {}
  [[nodiscard]] const std::string& remote_ip() const override { return ip_; }
  [[nodiscard]] ByteView tls_exporter() const override { return {}; }
  DeviceSession& session() override { std::abort(); }  // the hub never asks

  std::vector<std::shared_ptr<const std::string>> frames;

 private:
  std::string ip_ = "127.0.0.1";
};

store::ChannelId channel_id(std::uint8_t fill) {
  store::ChannelId id;
  id.bytes.fill(std::byte{fill});
  return id;
}

std::vector<std::shared_ptr<CountingConnection>> connections(std::size_t count) {
  std::vector<std::shared_ptr<CountingConnection>> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(std::make_shared<CountingConnection>());
  return out;
}

TEST(ChannelHubTest, AFanOutRunsOnTheIoExecutorInGroupsAndReachesEverySubscriberOnce) {
  boost::asio::io_context io;
  ChannelHub hub;
  hub.fan_out_on(io.get_executor());
  const std::size_t subscribers = 2 * ChannelHub::fan_out_group + 3;
  auto members = connections(subscribers);
  for (const auto& member : members) hub.join(channel_id(1), member);
  auto frame = std::make_shared<const std::string>("post");

  EXPECT_EQ(hub.publish(channel_id(1), frame), subscribers);
  for (const auto& member : members) EXPECT_TRUE(member->frames.empty());  // not yet: queued
  EXPECT_EQ(io.run(), 3u);  // one handler per group of fan_out_group
  for (const auto& member : members) {
    ASSERT_EQ(member->frames.size(), 1u);
    EXPECT_EQ(member->frames[0], frame);  // the one serialised frame, shared
  }
}

// Two I/O threads, the fan-out on one strand (as the server runs it with several threads):
// every subscriber gets the posts in the order they were published. (On the bare io_context
// instead of a strand, this failed in one run of five.)
TEST(ChannelHubTest, WithSeveralIoThreadsEverySubscriberGetsPostsInOrder) {
  boost::asio::io_context io;
  ChannelHub hub;
  hub.fan_out_on(boost::asio::make_strand(io));
  auto members = connections(3 * ChannelHub::fan_out_group);
  for (const auto& member : members) hub.join(channel_id(1), member);
  constexpr int posts = 40;
  for (int i = 0; i < posts; ++i)
    hub.publish(channel_id(1), std::make_shared<const std::string>(std::to_string(i)));
  std::thread second([&io] { io.run(); });
  io.run();
  second.join();
  for (const auto& member : members) {
    ASSERT_EQ(member->frames.size(), static_cast<std::size_t>(posts));
    for (int i = 0; i < posts; ++i)
      EXPECT_EQ(*member->frames[static_cast<std::size_t>(i)], std::to_string(i));
  }
}

TEST(ChannelHubTest, OnlyThatChannelsOnlineSubscribersGetItsPosts) {
  boost::asio::io_context io;
  ChannelHub hub;
  hub.fan_out_on(io.get_executor());
  auto members = connections(4);
  hub.join(channel_id(1), members[0]);
  hub.join(channel_id(1), members[1]);
  hub.join(channel_id(1), members[1]);  // joining twice changes nothing
  hub.join(channel_id(2), members[2]);
  hub.join(channel_id(1), members[3]);
  hub.leave(channel_id(1), members[3].get());
  hub.join(channel_id(2), members[0]);
  hub.leave_all(members[0].get());
  EXPECT_EQ(hub.online_subscribers(channel_id(1)), 1u);
  EXPECT_EQ(hub.online_subscribers(channel_id(2)), 1u);

  EXPECT_EQ(hub.publish(channel_id(1), std::make_shared<const std::string>("one")), 1u);
  EXPECT_EQ(hub.publish(channel_id(3), std::make_shared<const std::string>("none")), 0u);
  io.run();
  EXPECT_TRUE(members[0]->frames.empty());
  ASSERT_EQ(members[1]->frames.size(), 1u);
  EXPECT_EQ(*members[1]->frames[0], "one");
  EXPECT_TRUE(members[2]->frames.empty());
  EXPECT_TRUE(members[3]->frames.empty());
}

TEST(ChannelHubTest, AConnectionThatClosedBeforeTheFanOutIsSkipped) {
  boost::asio::io_context io;
  ChannelHub hub;
  hub.fan_out_on(io.get_executor());
  auto members = connections(2);
  hub.join(channel_id(1), members[0]);
  hub.join(channel_id(1), members[1]);
  members[1].reset();  // gone without leaving (a race with its strand's close)
  EXPECT_EQ(hub.publish(channel_id(1), std::make_shared<const std::string>("post")), 1u);
  io.run();
  EXPECT_EQ(members[0]->frames.size(), 1u);
}

}  // namespace
}  // namespace bulwark::server
