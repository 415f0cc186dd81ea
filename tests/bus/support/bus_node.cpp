#include "bus/support/bus_node.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

namespace bulwark::server::bus_testing {

bool RecordingConnection::write(std::shared_ptr<const std::string> frame) {
  std::lock_guard lock(mutex_);
  frames_.push_back(*frame);
  return true;
}

void RecordingConnection::close(std::string_view reason) {
  std::lock_guard lock(mutex_);
  closed_ = std::string(reason);
}

DeviceSession& RecordingConnection::session() { std::abort(); }

std::vector<std::string> RecordingConnection::frames() const {
  std::lock_guard lock(mutex_);
  return frames_;
}

std::string RecordingConnection::closed_reason() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void RecordingLocalBus::deliver(store::Envelope&& envelope) {
  if (!registry().find(envelope.destination)) return;
  std::lock_guard lock(mutex_);
  pushes_.push_back({envelope.destination, envelope.seq,
                     std::string(reinterpret_cast<const char*>(envelope.content.data()),
                                 envelope.content.size())});
}

void RecordingLocalBus::deliver_shared(const store::DeviceAddress& device,
                                       std::shared_ptr<const SharedEnvelope> envelope,
                                       std::uint64_t seq) {
  if (!registry().find(device)) return;
  std::lock_guard lock(mutex_);
  pushes_.push_back({device, seq, *envelope->frame});
}

std::vector<RecordedPush> RecordingLocalBus::pushes() const {
  std::lock_guard lock(mutex_);
  return pushes_;
}

BusNode::BusNode(const std::string& nats_url, const std::string& node_id) {
  NatsBusOptions options;
  options.url = nats_url;
  options.node_id = node_id;
  options.reconnect_wait = std::chrono::milliseconds(50);
  auto bus = NatsBus::connect(local_, options);
  if (!bus) throw std::runtime_error(bus.error().describe());
  bus_ = std::move(*bus);
}

BusNode::~BusNode() = default;

std::shared_ptr<RecordingConnection> BusNode::connect(const store::DeviceAddress& device) {
  auto connection = std::make_shared<RecordingConnection>();
  bus_->device_online(device, connection);
  return connection;
}

void BusNode::disconnect(const store::DeviceAddress& device,
                         const std::shared_ptr<RecordingConnection>& connection) {
  bus_->leave_all_channels(connection.get());
  bus_->device_offline(device, connection.get());
}

void BusNode::flush() {
  auto flushed = bus_->flush(std::chrono::seconds(5));
  if (!flushed) throw std::runtime_error(flushed.error().describe());
}

store::DeviceAddress test_device(std::uint8_t account, std::uint32_t device) {
  store::DeviceAddress address;
  address.account.bytes.fill(std::byte{account});
  address.device = DeviceId(device);
  return address;
}

store::ChannelId test_channel(std::uint8_t fill) {
  store::ChannelId channel;
  channel.bytes.fill(std::byte{fill});
  return channel;
}

}  // namespace bulwark::server::bus_testing
