// LocalBus: the embedded bus, one node. Delivery goes to this process's Registry and
// ChannelHub exactly as a single server always did: a device's push is posted to its
// connection's strand, a channel post fans out through the hub. NatsBus (nats_bus.h) builds on
// it for the devices and subscribers that are connected here.
//
// Threading: as Bus. The registry and hub outlive the bus.
#pragma once

#include "server/bus/bus.h"
#include "server/channel_hub.h"
#include "server/registry.h"

namespace bulwark::server {

class LocalBus : public Bus {
 public:
  LocalBus(Registry& registry, ChannelHub& hub) : registry_(registry), hub_(hub) {}

  void deliver(store::Envelope&& envelope) override;
  [[nodiscard]] bool may_reach(const store::DeviceAddress& device) const override;
  void deliver_shared(const store::DeviceAddress& device,
                      std::shared_ptr<const SharedEnvelope> envelope, std::uint64_t seq) override;
  std::size_t publish(const store::ChannelId& channel,
                      std::shared_ptr<const std::string> frame) override;
  void device_online(const store::DeviceAddress& device,
                     const std::shared_ptr<Connection>& connection) override;
  void device_offline(const store::DeviceAddress& device, const Connection* connection) override;
  // The registry is the only listener, and device_online() has updated it.
  [[nodiscard]] bool listening_now_or_later(std::function<void()>) override { return true; }
  void close_replaced_device(const store::DeviceAddress& device) override;
  // One node: there is no elsewhere.
  void channel_interest_elsewhere(const store::DeviceAddress&, const store::ChannelId&,
                                  bool) override {}
  void join_channel(const store::ChannelId& channel,
                    const std::shared_ptr<Connection>& connection) override;
  void leave_channel(const store::ChannelId& channel, const Connection* connection) override;
  void leave_all_channels(const Connection* connection) override;

  // Closes this node's connection of `device`, if any (another node took the device over).
  // Returns whether there was one.
  bool displace(const store::DeviceAddress& device);

  [[nodiscard]] Registry& registry() noexcept { return registry_; }
  [[nodiscard]] ChannelHub& hub() noexcept { return hub_; }

 private:
  Registry& registry_;
  ChannelHub& hub_;
};

}  // namespace bulwark::server
