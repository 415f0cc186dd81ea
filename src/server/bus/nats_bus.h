// NatsBus: the cluster bus. Many nodes serve one database; NATS carries the live pushes
// between them (docs/OPERATIONS.md "Cluster: the bus").
//
// - A device connected here: this node subscribes to its subject (bus_subjects.h). Delivering
//   to a device goes to LocalBus when the device is here, else is published to its subject.
//   NATS interest is the presence table: no subscriber means the device is online nowhere, the
//   server drops the message, and the device drains its queue from the store when it connects.
//   Nothing is kept in memory for an offline device.
// - A channel with an online subscriber here: this node subscribes once to its subject, so a
//   post crosses the bus once per node, not once per subscriber. A post is delivered locally and
//   published once; the connection is "no echo", so a node never gets its own posts back.
// - A device that connects here publishes a displacement on its subject with this node's id;
//   the node holding an older connection of the device closes it (one connection per device).
// - Requests for a device wherever it is (its account subscribed to a channel, or was
//   registered again) go as control messages on the device's subject.
//
// Order: the sync thread publishes in commit order on one NATS connection, NATS keeps one
// publisher's order, and every subscription's messages are dispatched by one thread of the
// library's delivery pool, so each device sees its pushes in seq order.
//
// Bounds: each subscription holds at most `pending_messages` / `pending_bytes` undelivered
// (beyond: NATS drops them, counted as slow-consumer events); while NATS is unreachable,
// publishes wait in a `reconnect_buffer_bytes` buffer (beyond: dropped, counted). Callbacks
// arrive on libnats threads and only post to connections' strands; none blocks.
//
// Reconnect: libnats reconnects by itself, forever, and sends every subscription again.
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "server/bus/bus.h"
#include "server/bus/bus_counters.h"
#include "server/bus/bus_message.h"
#include "server/bus/local_bus.h"

namespace bulwark::server {

struct NatsBusOptions {
  std::string url = "nats://127.0.0.1:4222";
  std::string node_id;            // 1-128 bytes, unique in the cluster
  int pending_messages = 65'536;  // per subscription
  int pending_bytes = 64 << 20;   // per subscription
  int reconnect_buffer_bytes = 8 << 20;
  std::chrono::milliseconds reconnect_wait{100};
  std::chrono::milliseconds connect_timeout{2000};
};

class NatsBus final : public Bus {
 public:
  // Connects to NATS (Errc::network if it is unreachable now: a node does not start without
  // its bus). `local` outlives the bus.
  [[nodiscard]] static Result<std::unique_ptr<NatsBus>> connect(LocalBus& local,
                                                                NatsBusOptions options);
  ~NatsBus() override;
  NatsBus(const NatsBus&) = delete;
  NatsBus& operator=(const NatsBus&) = delete;

  void deliver(store::Envelope&& envelope) override;
  [[nodiscard]] bool may_reach(const store::DeviceAddress&) const override { return true; }
  void deliver_shared(const store::DeviceAddress& device,
                      std::shared_ptr<const SharedEnvelope> envelope, std::uint64_t seq) override;
  std::size_t publish(const store::ChannelId& channel,
                      std::shared_ptr<const std::string> frame) override;
  void device_online(const store::DeviceAddress& device,
                     const std::shared_ptr<Connection>& connection) override;
  void device_offline(const store::DeviceAddress& device, const Connection* connection) override;
  // A subscription listens once NATS has it: a confirming thread flushes the connection (one
  // round trip for every waiter queued meanwhile), then calls the waiters.
  [[nodiscard]] bool listening_now_or_later(std::function<void()> on_listening) override;
  void close_replaced_device(const store::DeviceAddress& device) override;
  void channel_interest_elsewhere(const store::DeviceAddress& device,
                                  const store::ChannelId& channel, bool join) override;
  void join_channel(const store::ChannelId& channel,
                    const std::shared_ptr<Connection>& connection) override;
  void leave_channel(const store::ChannelId& channel, const Connection* connection) override;
  void leave_all_channels(const Connection* connection) override;

  [[nodiscard]] const BusCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const std::string& node_id() const noexcept { return options_.node_id; }
  [[nodiscard]] bool connected() const;
  // A round trip to NATS: every publish and subscription made before it has reached the
  // server. For tests and shutdown; it blocks, so never on an I/O thread.
  [[nodiscard]] Result<void> flush(std::chrono::milliseconds timeout);

 private:
  struct Token {};  // only connect() constructs a bus

 public:
  NatsBus(Token token, LocalBus& local, NatsBusOptions options);

 private:
  void send(const std::string& subject, const Result<Bytes>& message,
            std::atomic<std::uint64_t>& sent);
  void sync_device(const store::DeviceAddress& device);
  void sync_channel(const store::ChannelId& channel);
  natsSubscription* subscribe(const std::string& subject);
  void unsubscribe(natsSubscription* subscription);
  void confirm_listening();
  // One message as NATS delivered it on `subject` (libnats thread): decoded, checked against
  // its subject, handed to this node's connections; anything malformed is counted and dropped.
  void receive(std::string_view subject, ByteView bytes);
  void on_control(const BusDeviceControl& control);

  static void on_message(natsConnection* connection, natsSubscription* subscription,
                         natsMsg* message, void* closure);
  static void on_error(natsConnection* connection, natsSubscription* subscription,
                       natsStatus status, void* closure);
  static void on_reconnected(natsConnection* connection, void* closure);
  static void on_closed(natsConnection* connection, void* closure);
  static void on_subscription_done(void* closure);

  LocalBus& local_;
  NatsBusOptions options_;
  BusCounters counters_;
  natsConnection* connection_ = nullptr;

  // Guards the subscription maps, held across (un)subscribing so that a subject always ends
  // in the state of its last change. Message callbacks never take it.
  std::mutex mutex_;
  std::map<store::DeviceAddress, natsSubscription*> devices_;
  std::map<store::ChannelId, natsSubscription*> channels_;

  // Waiters for listening_now_or_later; at most max_listening_waiters (beyond: called at
  // once, as a LocalBus would).
  static constexpr std::size_t max_listening_waiters = 65'536;
  std::mutex listening_mutex_;
  std::condition_variable listening_wanted_;
  std::vector<std::function<void()>> listening_waiters_;
  bool stopping_ = false;
  std::thread confirmer_;

  // Teardown waits for libnats to let go of `this`: every subscription's last callback, then
  // the connection's closed callback.
  std::mutex done_mutex_;
  std::condition_variable done_;
  int open_subscriptions_ = 0;
  bool closed_ = false;
};

}  // namespace bulwark::server
