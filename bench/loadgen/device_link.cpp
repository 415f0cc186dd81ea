#include "device_link.h"

#include <arpa/inet.h>

#include "api_frames.h"

namespace bulwark::loadgen {
namespace {

constexpr std::uint64_t authenticate_request_id = 1;

}  // namespace

in_addr source_address(std::size_t index) {
  in_addr address{};
  address.s_addr = htonl((127u << 24) | static_cast<std::uint32_t>(2 + index % source_addresses));
  return address;
}

DeviceLink::DeviceLink(EventLoop& loop, const TlsClientContext& tls, const ServerAddress& server,
                       const DeviceCredentials& device, std::size_t index)
    : client_(loop, tls, server, source_address(index), *this), device_(device), index_(index) {}

void DeviceLink::connect() {
  state_ = State::authenticating;
  client_.connect();
}

void DeviceLink::fail(std::string reason) {
  if (state_ == State::failed) return;
  const bool was_ready = state_ == State::ready;
  state_ = State::failed;
  failure_ = std::move(reason);
  client_.close();
  if (was_ready && listener_ != nullptr) listener_->on_lost(*this, failure_);
}

void DeviceLink::on_open(WsClient&) {}

void DeviceLink::on_closed(WsClient&, std::string_view reason) {
  const bool was_ready = state_ == State::ready;
  state_ = State::failed;
  failure_ = std::string(reason);
  if (was_ready && listener_ != nullptr) listener_->on_lost(*this, failure_);
}

void DeviceLink::on_message(WsClient&, std::string_view payload, Clock::time_point at) {
  if (!frame_.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return fail("undecodable frame from the server");
  if (state_ == State::ready) {
    if (listener_ != nullptr) listener_->on_frame(*this, frame_, at);
    return;
  }
  on_handshake_frame(frame_);
}

void DeviceLink::on_handshake_frame(const api::Frame& frame) {
  if (frame.has_push() && frame.push().has_challenge() && state_ == State::authenticating) {
    if (client_.plaintext()) {
      client_.send(plaintext_authenticate_frame(authenticate_request_id, device_,
                                                frame.push().challenge().nonce()));
      return;
    }
    std::array<std::byte, 32> exporter{};
    if (!client_.tls_exporter(exporter)) return fail("no TLS exporter");
    client_.send(authenticate_frame(authenticate_request_id, device_,
                                    frame.push().challenge().nonce(), exporter));
    return;
  }
  if (frame.has_response() && frame.response().id() == authenticate_request_id) {
    if (frame.response().status() != api::OK)
      return fail("authentication refused: " + frame.response().message());
    state_ = State::draining;
    return;
  }
  if (frame.has_push() && frame.push().has_queue_empty() && state_ == State::draining) {
    state_ = State::ready;
    return;
  }
  if (frame.has_push() && frame.push().has_envelope()) {
    if (!acknowledge_queued_ || state_ != State::draining)
      return fail("a fresh device got an envelope before QueueEmpty");
    ++queued_acknowledged_;
    client_.send(ack_frame({frame.push().envelope().id()}));
  }
}

ConnectOutcome connect_links(EventLoop& loop, std::vector<std::unique_ptr<DeviceLink>>& links,
                             std::size_t begin, std::size_t end, std::size_t in_flight,
                             Clock::time_point deadline) {
  ConnectOutcome outcome;
  const Clock::time_point started = Clock::now();
  std::size_t next = begin;
  std::size_t active_checked_from = begin;
  for (;;) {
    // Links finish roughly in start order: count from the oldest unfinished one.
    std::size_t pending = 0;
    while (active_checked_from < next) {
      const auto state = links[active_checked_from]->state();
      if (state != DeviceLink::State::ready && state != DeviceLink::State::failed) break;
      ++active_checked_from;
    }
    for (std::size_t i = active_checked_from; i < next; ++i) {
      const auto state = links[i]->state();
      if (state != DeviceLink::State::ready && state != DeviceLink::State::failed) ++pending;
    }
    while (pending < in_flight && next < end) {
      links[next++]->connect();
      ++pending;
    }
    if (pending == 0 && next == end) break;
    if (Clock::now() >= deadline) break;
    loop.poll(std::chrono::milliseconds(5));
  }
  for (std::size_t i = begin; i < end; ++i) {
    if (links[i]->state() == DeviceLink::State::ready) {
      ++outcome.ready;
    } else {
      ++outcome.failed;
      if (outcome.first_failure.empty())
        outcome.first_failure = i < next ? links[i]->failure() : "not started before the deadline";
      if (outcome.first_failure.empty()) outcome.first_failure = "timed out";
    }
  }
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

}  // namespace bulwark::loadgen
