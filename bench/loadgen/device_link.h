// DeviceLink: one device's connection, from TCP connect to "authenticated and its queue
// drained" (Challenge -> Authenticate -> OK -> QueueEmpty), then every frame goes to the
// phase's Listener. connect_links() brings up many at once with a bound on handshakes in
// flight, the way a fleet of reconnecting clients would.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "api/proto/api.pb.h"
#include "device.h"
#include "ws_client.h"

namespace bulwark::loadgen {

class DeviceLink;

class LinkListener {
 public:
  virtual ~LinkListener() = default;
  virtual void on_frame(DeviceLink& link, const api::Frame& frame, Clock::time_point at) = 0;
  virtual void on_lost(DeviceLink& link, std::string_view reason) = 0;
};

// Spreads connections over 127.0.0.2 .. 127.0.0.(1 + source_addresses): the server's
// per-IP limits and the ephemeral port range are per source address.
inline constexpr std::size_t source_addresses = 200;
[[nodiscard]] in_addr source_address(std::size_t index);

class DeviceLink final : public WsClient::Handler {
 public:
  enum class State { idle, authenticating, draining, ready, failed };

  DeviceLink(EventLoop& loop, const TlsClientContext& tls, const ServerAddress& server,
             const DeviceCredentials& device, std::size_t index);

  // Before connect(): see WsClient::use_kernel_receive_times.
  void use_kernel_receive_times() { client_.use_kernel_receive_times(); }
  void connect();
  void set_listener(LinkListener* listener) { listener_ = listener; }
  // Before connect(): envelopes still queued for the device (an earlier phase's stragglers)
  // are acknowledged while draining instead of failing the link.
  void acknowledge_queued_envelopes() { acknowledge_queued_ = true; }
  [[nodiscard]] std::size_t queued_envelopes_acknowledged() const noexcept {
    return queued_acknowledged_;
  }
  void send(std::string_view frame) { client_.send(frame); }
  // queue() several frames, then flush_queued() once (WsClient::queue).
  void queue(std::string_view frame) { client_.queue(frame); }
  void flush_queued() { client_.flush_queued(); }
  void close() { client_.close(); }

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] const std::string& failure() const noexcept { return failure_; }
  [[nodiscard]] std::size_t index() const noexcept { return index_; }
  [[nodiscard]] const DeviceCredentials& device() const noexcept { return device_; }

  void on_open(WsClient& client) override;
  void on_message(WsClient& client, std::string_view payload, Clock::time_point at) override;
  void on_closed(WsClient& client, std::string_view reason) override;

 private:
  void on_handshake_frame(const api::Frame& frame);
  void fail(std::string reason);

  WsClient client_;
  const DeviceCredentials& device_;
  std::size_t index_;
  State state_ = State::idle;
  std::string failure_;
  LinkListener* listener_ = nullptr;
  bool acknowledge_queued_ = false;
  std::size_t queued_acknowledged_ = 0;
  api::Frame frame_;  // reused for every incoming message
};

struct ConnectOutcome {
  std::size_t ready = 0;
  std::size_t failed = 0;
  std::string first_failure;
  double seconds = 0;
};

// Connects and authenticates links[begin, end) with at most `in_flight` handshakes at a
// time; returns when each is ready or failed, or at `deadline`.
ConnectOutcome connect_links(EventLoop& loop, std::vector<std::unique_ptr<DeviceLink>>& links,
                             std::size_t begin, std::size_t end, std::size_t in_flight,
                             Clock::time_point deadline);

}  // namespace bulwark::loadgen
