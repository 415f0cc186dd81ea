// Bus: how committed work reaches the devices and channel subscribers it is for, wherever they
// are connected. The handlers call it instead of Registry and ChannelHub for delivery.
//
// Two implementations: LocalBus (embedded mode: one node, the Registry and ChannelHub of this
// process, exactly the single-server behaviour) and NatsBus (cluster mode: many nodes on one
// database, NATS between them; docs/OPERATIONS.md "Cluster: the bus").
//
// A live push is an optimisation, never the record: every envelope is in the store before it is
// handed to the bus, and a device drains its queue from the store when it connects, so a push
// the bus loses (a device moving between nodes, a full queue, NATS restarting) only delays
// delivery. Channel subscribers likewise catch up by cursor.
//
// Threading: every method is safe from any thread. deliver(), deliver_shared() and publish()
// are called from the store's sync thread in commit order; an implementation keeps that order
// per device and per channel (each device sees its pushes in seq order). Nothing here blocks on
// the network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/connection.h"
#include "server/shared_envelope.h"
#include "store/records.h"

namespace bulwark::server {

class Bus {
 public:
  virtual ~Bus() = default;

  // ---- delivery (sync thread, commit order) ----
  // A committed envelope for `envelope.destination`; dropped when that device is online
  // nowhere. Taken by rvalue: most envelopes are for offline devices, and those are never
  // copied or shared.
  virtual void deliver(store::Envelope&& envelope) = 0;
  // Whether a push for `device` may reach it (false: certainly offline, so a caller can skip
  // building the push). The NATS bus cannot know about other nodes and says true.
  [[nodiscard]] virtual bool may_reach(const store::DeviceAddress& device) const = 0;
  // A committed copy of a shared envelope at queue position `seq` of `device`.
  virtual void deliver_shared(const store::DeviceAddress& device,
                              std::shared_ptr<const SharedEnvelope> envelope,
                              std::uint64_t seq) = 0;
  // A channel's new entry, as one serialised api::Frame, to every online subscriber on every
  // node. Returns how many subscribers on this node it was queued for.
  virtual std::size_t publish(const store::ChannelId& channel,
                              std::shared_ptr<const std::string> frame) = 0;

  // ---- presence (the connection's strand) ----
  // `connection` authenticated as `device`. An older connection of the same device, on this
  // node or another, is closed ("connected elsewhere").
  virtual void device_online(const store::DeviceAddress& device,
                             const std::shared_ptr<Connection>& connection) = 0;
  // `connection` (of `device`) closed; no effect if a newer connection replaced it.
  virtual void device_offline(const store::DeviceAddress& device, const Connection* connection) = 0;
  // Whether every device_online() so far already listens for pushes from every node. If not,
  // returns false and calls `on_listening` (from a bus thread) once they do. A session reads
  // its queue only then: an envelope committed after that read is then always pushed, by
  // whichever node committed it.
  [[nodiscard]] virtual bool listening_now_or_later(std::function<void()> on_listening) = 0;

  // ---- a device wherever it is connected ----
  // Closes `device`'s connection, on whichever node ("account re-registered").
  virtual void close_replaced_device(const store::DeviceAddress& device) = 0;
  // `device`, when connected to another node, joins or leaves the channel's pushes there. A
  // connection on this node is the caller's to update (it may have to join at once).
  virtual void channel_interest_elsewhere(const store::DeviceAddress& device,
                                          const store::ChannelId& channel, bool join) = 0;

  // ---- channel interest ----
  // `connection` gets the channel's pushes from now on (no effect if it does already).
  virtual void join_channel(const store::ChannelId& channel,
                            const std::shared_ptr<Connection>& connection) = 0;
  virtual void leave_channel(const store::ChannelId& channel, const Connection* connection) = 0;
  // The connection closed: it leaves every channel.
  virtual void leave_all_channels(const Connection* connection) = 0;
};

}  // namespace bulwark::server
