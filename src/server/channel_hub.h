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
//
// The fan-out itself runs on the I/O threads, a few hundred connections per handler: handing
// each subscriber's push across threads on its own (a queue operation, an allocation freed on
// another thread and maybe a wake-up each) cost more than writing it. From an I/O thread a
// connection's deliver() runs at once when nothing else runs for that connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "server/connection.h"
#include "store/records.h"

namespace bulwark::server {

class ChannelHub {
 public:
  // Subscribers' deliveries are handed to `io` (the I/O threads) in groups of this many.
  static constexpr std::size_t fan_out_group = 256;
  // Where the fan-out runs; until it is set (and once reset), publish() delivers from the
  // calling thread. The
  // groups must run one at a time in the order posted (one I/O thread, or a strand), or a
  // connection could get seq N + 1 before N.
  void fan_out_on(std::optional<boost::asio::any_io_executor> io);
  // Adds `connection` to the channel's online subscribers (no effect if it is there).
  void join(const store::ChannelId& channel, const std::shared_ptr<Connection>& connection);
  void leave(const store::ChannelId& channel, const Connection* connection);
  // Removes the connection from every channel (it closed); returns the channels it was in.
  std::vector<store::ChannelId> leave_all(const Connection* connection);
  // Queues `frame` on every online subscriber's connection (each on its own strand); returns
  // how many it is queued for.
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
  std::optional<boost::asio::any_io_executor> io_;
  std::map<store::ChannelId, Members> channels_;
  std::unordered_map<const Connection*, std::vector<store::ChannelId>> joined_;
};

}  // namespace bulwark::server
