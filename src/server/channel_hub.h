// ChannelHub: which connections get a channel's new entries pushed, and the fan-out itself.
//
// A connection joins the channels its account subscribes to when it authenticates (and one it
// subscribes to later); it leaves them all when it closes. A post is serialised into one frame,
// shared by every delivery: the fan-out copies a pointer per subscriber, never the post, and
// the log itself is stored once (store/store.h "channels"). Offline subscribers are not
// tracked here at all: they catch up by cursor (ChannelRead) when they come back.
//
// Thread-safe. publish() runs on the store's sync thread in commit order, so each connection
// receives a channel's entries in seq order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/connection.h"
#include "store/records.h"

namespace bulwark::server {

class ChannelHub {
 public:
  // Adds `connection` to the channel's online subscribers (no effect if it is there).
  void join(const store::ChannelId& channel, const std::shared_ptr<Connection>& connection);
  void leave(const store::ChannelId& channel, const Connection* connection);
  // Removes the connection from every channel (it closed).
  void leave_all(const Connection* connection);
  // Queues `frame` on every online subscriber's connection (each on its own strand); returns
  // how many it was queued for.
  std::size_t publish(const store::ChannelId& channel, std::shared_ptr<const std::string> frame);
  [[nodiscard]] std::size_t online_subscribers(const store::ChannelId& channel) const;
  [[nodiscard]] std::size_t channels_with_online_subscribers() const;

 private:
  struct Members {
    std::vector<std::weak_ptr<Connection>> connections;
    std::unordered_map<const Connection*, std::size_t> position;  // index into connections
  };
  void remove_locked(Members& members, const Connection* connection);

  mutable std::mutex mutex_;
  std::map<store::ChannelId, Members> channels_;
  std::unordered_map<const Connection*, std::vector<store::ChannelId>> joined_;
};

}  // namespace bulwark::server
