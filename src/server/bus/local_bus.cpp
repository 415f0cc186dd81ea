#include "server/bus/local_bus.h"

#include "server/device_session.h"

namespace bulwark::server {

void LocalBus::deliver(store::Envelope&& envelope) {
  auto connection = registry_.find(envelope.destination);
  if (!connection) return;
  auto shared = std::make_shared<const store::Envelope>(std::move(envelope));
  connection->post([connection, shared] { connection->session().on_envelope(shared); });
}

bool LocalBus::may_reach(const store::DeviceAddress& device) const {
  return registry_.find(device) != nullptr;
}

void LocalBus::deliver_shared(const store::DeviceAddress& device,
                              std::shared_ptr<const SharedEnvelope> envelope, std::uint64_t seq) {
  auto connection = registry_.find(device);
  if (!connection) return;
  connection->post([connection, envelope = std::move(envelope), seq] {
    connection->session().on_shared_envelope(envelope, seq);
  });
}

std::size_t LocalBus::publish(const store::ChannelId& channel,
                              std::shared_ptr<const std::string> frame) {
  return hub_.publish(channel, std::move(frame));
}

void LocalBus::device_online(const store::DeviceAddress& device,
                             const std::shared_ptr<Connection>& connection) {
  auto displaced = registry_.add(device, connection);
  if (displaced) displaced->post([displaced] { displaced->close("connected elsewhere"); });
}

void LocalBus::device_offline(const store::DeviceAddress& device, const Connection* connection) {
  registry_.remove(device, connection);
}

void LocalBus::join_channel(const store::ChannelId& channel,
                            const std::shared_ptr<Connection>& connection) {
  hub_.join(channel, connection);
}

void LocalBus::leave_channel(const store::ChannelId& channel, const Connection* connection) {
  hub_.leave(channel, connection);
}

void LocalBus::leave_all_channels(const Connection* connection) { hub_.leave_all(connection); }

void LocalBus::close_replaced_device(const store::DeviceAddress& device) {
  if (auto connection = registry_.find(device))
    connection->post([connection] { connection->close("account re-registered"); });
}

bool LocalBus::displace(const store::DeviceAddress& device) {
  auto connection = registry_.find(device);
  if (!connection) return false;
  // The entry goes when the connection stops (DeviceSession::stop -> device_offline).
  connection->post([connection] { connection->close("connected elsewhere"); });
  return true;
}

}  // namespace bulwark::server
