#include "server/channel_hub.h"

#include <algorithm>
#include <iterator>

#include <boost/asio/post.hpp>

namespace bulwark::server {

void ChannelHub::join(const store::ChannelId& channel,
                      const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  Members& members = channels_[channel];
  auto found = members.position.find(connection.get());
  if (found != members.position.end()) {
    // Listed already - unless that was an earlier connection at the same address that closed
    // without leaving (it raced a join from another strand): then this one takes its place.
    auto& slot = members.connections[found->second];
    if (slot.expired()) slot = connection;
    return;
  }
  members.position.emplace(connection.get(), members.connections.size());
  members.connections.push_back(connection);
  joined_[connection.get()].push_back(channel);
}

void ChannelHub::remove_locked(Members& members, const Connection* connection) {
  auto found = members.position.find(connection);
  if (found == members.position.end()) return;
  // Swap-remove: order among subscribers does not matter, removal stays O(1).
  const std::size_t index = found->second;
  members.position.erase(found);
  if (index + 1 != members.connections.size()) {
    members.connections[index] = std::move(members.connections.back());
    if (auto moved = members.connections[index].lock()) members.position[moved.get()] = index;
  }
  members.connections.pop_back();
}

void ChannelHub::leave(const store::ChannelId& channel, const Connection* connection) {
  std::lock_guard lock(mutex_);
  auto found = channels_.find(channel);
  if (found == channels_.end()) return;
  remove_locked(found->second, connection);
  if (found->second.connections.empty()) channels_.erase(found);
  auto joined = joined_.find(connection);
  if (joined != joined_.end()) {
    std::erase(joined->second, channel);
    if (joined->second.empty()) joined_.erase(joined);
  }
}

std::vector<store::ChannelId> ChannelHub::leave_all(const Connection* connection) {
  std::lock_guard lock(mutex_);
  auto joined = joined_.find(connection);
  if (joined == joined_.end()) return {};
  for (const store::ChannelId& channel : joined->second) {
    auto found = channels_.find(channel);
    if (found == channels_.end()) continue;
    remove_locked(found->second, connection);
    if (found->second.connections.empty()) channels_.erase(found);
  }
  std::vector<store::ChannelId> left = std::move(joined->second);
  joined_.erase(joined);
  return left;
}

std::size_t ChannelHub::publish(const store::ChannelId& channel,
                                std::shared_ptr<const std::string> frame) {
  std::vector<std::shared_ptr<Connection>> online;
  std::optional<boost::asio::any_io_executor> io;
  {
    std::lock_guard lock(mutex_);
    io = io_;
    auto found = channels_.find(channel);
    if (found == channels_.end()) return 0;
    online.reserve(found->second.connections.size());
    for (const auto& weak : found->second.connections)
      if (auto connection = weak.lock()) online.push_back(std::move(connection));
  }
  const std::size_t count = online.size();
  // Outside the lock: the I/O threads may join or leave meanwhile.
  if (!io) {
    for (const auto& connection : online) connection->deliver(frame);
    return count;
  }
  for (std::size_t begin = 0; begin < count; begin += fan_out_group) {
    const std::size_t end = std::min(count, begin + fan_out_group);
    std::vector<std::shared_ptr<Connection>> group(
        std::make_move_iterator(online.begin() + static_cast<std::ptrdiff_t>(begin)),
        std::make_move_iterator(online.begin() + static_cast<std::ptrdiff_t>(end)));
    boost::asio::post(*io, [group = std::move(group), frame] {
      for (const auto& connection : group) connection->deliver(frame);
    });
  }
  return count;
}

void ChannelHub::fan_out_on(std::optional<boost::asio::any_io_executor> io) {
  std::lock_guard lock(mutex_);
  io_ = std::move(io);
}

std::size_t ChannelHub::online_subscribers(const store::ChannelId& channel) const {
  std::lock_guard lock(mutex_);
  auto found = channels_.find(channel);
  return found == channels_.end() ? 0 : found->second.connections.size();
}

std::size_t ChannelHub::channels_with_online_subscribers() const {
  std::lock_guard lock(mutex_);
  return channels_.size();
}

}  // namespace bulwark::server
