// One cluster node for the bus tests: a real Registry, ChannelHub and NatsBus, with fake
// connections standing in for devices' WebSockets. What reaches a device is recorded instead of
// going to a DeviceSession; channel frames reach the fake connections through the real hub.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/bus/local_bus.h"
#include "server/bus/nats_bus.h"

namespace bulwark::server::bus_testing {

// A device's connection: records frames written and whether it was closed. post() runs at once.
class RecordingConnection final : public Connection {
 public:
  void post(std::function<void()> fn) override { fn(); }
  bool write(std::shared_ptr<const std::string> frame) override;
  [[nodiscard]] std::size_t queued_write_bytes() const override { return 0; }
  void close(std::string_view reason) override;
  [[nodiscard]] const std::string& remote_ip() const override { return ip_; }
  [[nodiscard]] ByteView tls_exporter() const override { return {}; }
  DeviceSession& session() override;  // aborts: pushes are recorded by RecordingLocalBus

  [[nodiscard]] std::vector<std::string> frames() const;
  [[nodiscard]] std::string closed_reason() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> frames_;
  std::string closed_;
  std::string ip_ = "127.0.0.1";
};

// A push that reached a device on this node: the envelope's seq and its bytes' first word.
struct RecordedPush {
  store::DeviceAddress device;
  std::uint64_t seq = 0;
  std::string what;  // the envelope's content, or a shared copy's frame
};

// LocalBus with the device pushes recorded (for devices in the registry) instead of handed to
// a DeviceSession. Everything else is LocalBus's own.
class RecordingLocalBus final : public LocalBus {
 public:
  using LocalBus::LocalBus;
  void deliver(store::Envelope&& envelope) override;
  void deliver_shared(const store::DeviceAddress& device,
                      std::shared_ptr<const SharedEnvelope> envelope, std::uint64_t seq) override;
  [[nodiscard]] std::vector<RecordedPush> pushes() const;

 private:
  mutable std::mutex mutex_;
  std::vector<RecordedPush> pushes_;
};

class BusNode {
 public:
  BusNode(const std::string& nats_url, const std::string& node_id);
  ~BusNode();

  // A new connection for `device`, online on this node (through the bus).
  std::shared_ptr<RecordingConnection> connect(const store::DeviceAddress& device);
  void disconnect(const store::DeviceAddress& device,
                  const std::shared_ptr<RecordingConnection>& connection);

  [[nodiscard]] NatsBus& bus() { return *bus_; }
  [[nodiscard]] RecordingLocalBus& local() { return local_; }
  [[nodiscard]] const BusCounters& counters() const { return bus_->counters(); }
  // Everything this node sent or subscribed to so far has reached NATS.
  void flush();

 private:
  Registry registry_;
  ChannelHub hub_;
  RecordingLocalBus local_{registry_, hub_};
  std::unique_ptr<NatsBus> bus_;
};

store::DeviceAddress test_device(std::uint8_t account, std::uint32_t device);
store::ChannelId test_channel(std::uint8_t fill);

}  // namespace bulwark::server::bus_testing
