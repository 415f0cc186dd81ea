#include "peer/peer_relay.h"

#include <time.h>

#include <charconv>
#include <cstdio>
#include <string>
#include <thread>

#include "api_frames.h"
#include "proc_stats.h"

namespace bulwark::loadgen::peer {
namespace {

std::uint64_t monotonic_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000ULL +
         static_cast<std::uint64_t>(now.tv_nsec);
}

// A WebSocket client frame's header: 2 bytes, 2 more from 126 bytes, and the 4-byte mask.
std::uint64_t client_frame_bytes(std::size_t payload) {
  return payload + 6 + (payload >= 126 ? 2 : 0);
}
std::uint64_t server_frame_bytes(std::size_t payload) {
  return payload + 2 + (payload >= 126 ? 2 : 0);
}

// The body's fields, "s=%d d=%d q=%d t=%llu"; false when it does not parse.
struct Body {
  std::size_t source = 0, destination = 0, sequence = 0;
  std::uint64_t sent_ns = 0;
};

bool parse_number(std::string_view& text, std::string_view prefix, std::uint64_t& out) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (error != std::errc()) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

bool parse_body(std::string_view text, Body& body) {
  std::uint64_t s = 0, d = 0, q = 0, t = 0;
  if (!parse_number(text, "s=", s) || !parse_number(text, " d=", d) ||
      !parse_number(text, " q=", q) || !parse_number(text, " t=", t))
    return false;
  body = {static_cast<std::size_t>(s), static_cast<std::size_t>(d), static_cast<std::size_t>(q), t};
  return true;
}

class Relay final : public LinkListener {
 public:
  Relay(EventLoop& loop, std::vector<std::unique_ptr<DeviceLink>>& links,
        const RelaySettings& settings)
      : loop_(loop),
        links_(links),
        settings_(settings),
        clients_(links.size()),
        rng_(settings.seed != 0 ? settings.seed : 1) {
    frame_.mutable_request()->mutable_send()->add_envelopes()->set_type(api::CIPHERTEXT);
    if (settings.franking)
      frame_.mutable_request()->mutable_send()->set_franking_tag(std::string(32, '\x5a'));
    result_.latencies.reserve(links.size() * settings.msgs);
    for (std::size_t i = 0; i < settings.node_of.size(); ++i) {
      const std::size_t node = settings.node_of[i];
      if (node >= on_node_.size()) on_node_.resize(node + 1);
      on_node_[node].push_back(i);
    }
    elsewhere_.resize(on_node_.size());
    for (std::size_t node = 0; node < on_node_.size(); ++node)
      for (std::size_t i = 0; i < settings.node_of.size(); ++i)
        if (settings.node_of[i] != node) elsewhere_[node].push_back(i);
    for (auto& link : links_) link->set_listener(this);
  }
  ~Relay() override {
    for (auto& link : links_) link->set_listener(nullptr);
  }

  RelayResult run(const char* label);

  void on_frame(DeviceLink& link, const api::Frame& frame, Clock::time_point) override;
  void on_lost(DeviceLink&, std::string_view) override { ++result_.lost_connections; }

 private:
  struct Client {
    std::size_t sent = 0, in_flight = 0;
    std::vector<std::string> unacked;  // envelope ids received in this read pass
    bool dirty = false;
  };

  std::uint64_t next_random() {  // xorshift64*, as the harness's generator
    rng_ ^= rng_ >> 12;
    rng_ ^= rng_ << 25;
    rng_ ^= rng_ >> 27;
    return rng_ * 2685821657736338717ULL;
  }
  std::size_t destination(std::size_t sender, std::size_t sequence);
  void pump(std::size_t sender);
  void on_delivery(std::size_t receiver, const api::Envelope& envelope);
  void flush_dirty();
  [[nodiscard]] bool all_sent() const;

  EventLoop& loop_;
  std::vector<std::unique_ptr<DeviceLink>>& links_;
  const RelaySettings& settings_;
  std::vector<Client> clients_;
  std::vector<std::size_t> dirty_;
  std::uint64_t rng_;
  std::vector<std::vector<std::size_t>> on_node_, elsewhere_;  // clients by node (node_of)
  bool sending_ = false;
  std::uint64_t next_request_id_ = 100;
  std::uint64_t last_delivery_ns_ = 0, last_progress_ns_ = 0;
  api::Frame frame_;  // one SendMessage, refilled per message
  std::string body_, wire_;
  RelayResult result_;
};

std::size_t Relay::destination(std::size_t sender, std::size_t sequence) {
  if (settings_.node_of.empty()) {
    std::size_t to = static_cast<std::size_t>(next_random() % (links_.size() - 1));
    return to >= sender ? to + 1 : to;
  }
  const std::size_t node = settings_.node_of[sender];
  const std::vector<std::size_t>& here = on_node_[node];
  const std::vector<std::size_t>& there = elsewhere_[node];
  if ((sequence % 2 == 1 && !there.empty()) || here.size() < 2)
    return there[static_cast<std::size_t>(next_random() % there.size())];
  // Uniform over `here` without the sender: draw from all but the last, and let the last
  // stand in for the sender.
  const auto pick = static_cast<std::size_t>(next_random() % (here.size() - 1));
  return here[pick] == sender ? here.back() : here[pick];
}

void Relay::pump(std::size_t sender) {
  Client& client = clients_[sender];
  if (!sending_ || links_[sender]->state() != DeviceLink::State::ready) return;
  std::uint64_t now = 0;
  auto* send = frame_.mutable_request()->mutable_send();
  auto* envelope = send->mutable_envelopes(0);
  while (client.sent < settings_.msgs && client.in_flight < settings_.window) {
    const std::size_t to = destination(sender, client.sent);
    if (now == 0) now = monotonic_ns();
    char head[96];
    const int length = std::snprintf(head, sizeof head, "s=%zu d=%zu q=%zu t=%llu ", sender, to,
                                     client.sent, static_cast<unsigned long long>(now));
    body_.assign(head, static_cast<std::size_t>(length));
    if (body_.size() < settings_.body_bytes) body_.append(settings_.body_bytes - body_.size(), 'x');
    const DeviceCredentials& recipient = links_[to]->device();
    send->set_recipient(reinterpret_cast<const char*>(recipient.account.data()),
                        recipient.account.size());
    envelope->set_device_id(recipient.device_id);
    envelope->set_registration_id(recipient.registration_id);
    envelope->set_content(body_);
    frame_.mutable_request()->set_id(next_request_id_++);
    send->set_client_timestamp_ms(now / 1'000'000);
    wire_.clear();
    frame_.SerializeToString(&wire_);
    links_[sender]->queue(wire_);
    result_.send_bytes += client_frame_bytes(wire_.size());
    ++client.sent;
    ++client.in_flight;
    ++result_.sent;
  }
  if (!client.dirty) {
    client.dirty = true;
    dirty_.push_back(sender);
  }
}

void Relay::on_delivery(std::size_t receiver, const api::Envelope& envelope) {
  const std::uint64_t now = monotonic_ns();
  Client& client = clients_[receiver];
  client.unacked.push_back(envelope.id());
  if (!client.dirty) {
    client.dirty = true;
    dirty_.push_back(receiver);
  }
  Body body;
  if (!parse_body(envelope.content(), body) || body.source >= clients_.size()) {
    ++result_.bad_body;
    return;
  }
  if (body.destination != receiver) ++result_.misrouted;
  ++result_.delivered;
  last_delivery_ns_ = last_progress_ns_ = now;
  result_.latencies.add(now - body.sent_ns);
  if (!settings_.node_of.empty()) {
    const bool same = settings_.node_of[body.source] == settings_.node_of[receiver];
    (same ? result_.same_node : result_.cross_node).add(now - body.sent_ns);
  }
  Client& sender = clients_[body.source];
  if (sender.in_flight > 0) --sender.in_flight;
  pump(body.source);
}

void Relay::on_frame(DeviceLink& link, const api::Frame& frame, Clock::time_point) {
  const std::size_t self = link.index();
  if (frame.has_push() && frame.push().has_envelope()) {
    result_.push_bytes += server_frame_bytes(frame.ByteSizeLong());
    return on_delivery(self, frame.push().envelope());
  }
  if (!frame.has_response()) return;
  result_.response_bytes += server_frame_bytes(frame.ByteSizeLong());
  if (frame.response().status() == api::OK) {
    ++result_.acked_by_server;
    return;
  }
  // Refused: it will never arrive, so it leaves the window (the harness's error stanzas).
  ++result_.errors;
  if (result_.first_error.empty())
    result_.first_error =
        api::Status_Name(frame.response().status()) + ": " + frame.response().message();
  last_progress_ns_ = monotonic_ns();
  if (clients_[self].in_flight > 0) --clients_[self].in_flight;
  pump(self);
}

void Relay::flush_dirty() {
  for (std::size_t index : dirty_) {
    Client& client = clients_[index];
    client.dirty = false;
    if (!client.unacked.empty()) {
      const std::string ack = ack_frame(client.unacked);
      result_.ack_bytes += client_frame_bytes(ack.size());
      links_[index]->queue(ack);
      client.unacked.clear();
    }
    links_[index]->flush_queued();
  }
  dirty_.clear();
}

bool Relay::all_sent() const {
  for (std::size_t i = 0; i < clients_.size(); ++i)
    if (links_[i]->state() == DeviceLink::State::ready && clients_[i].sent < settings_.msgs)
      return false;
  return true;
}

RelayResult Relay::run(const char* label) {
  const double cpu0 = self_cpu_seconds();
  const std::uint64_t start = monotonic_ns();
  const auto limit = static_cast<std::uint64_t>(settings_.relay_limit_s * 1e9);
  const auto drain = static_cast<std::uint64_t>(settings_.drain_s * 1e9);
  std::uint64_t stopped_sending = 0, next_progress = start + 5'000'000'000ULL;
  sending_ = true;
  last_progress_ns_ = start;
  for (std::size_t i = 0; i < clients_.size(); ++i) pump(i);
  const std::uint64_t total = clients_.size() * settings_.msgs;
  for (;;) {
    const std::uint64_t now = monotonic_ns();
    if (sending_ && (all_sent() || now - start > limit)) {
      sending_ = false;
      stopped_sending = now;
    }
    if (!sending_) {
      if (result_.delivered + result_.errors >= result_.sent) break;
      if (now - stopped_sending > drain && now - last_progress_ns_ > drain) break;
    }
    if (now >= next_progress) {
      std::fprintf(stderr, "[bulwark-loadgen-peer] %s: %llu of %llu delivered after %.0f s\n",
                   label, static_cast<unsigned long long>(result_.delivered),
                   static_cast<unsigned long long>(total), static_cast<double>(now - start) / 1e9);
      next_progress += 5'000'000'000ULL;
    }
    flush_dirty();
    if (settings_.coalesce_us > 0)
      std::this_thread::sleep_for(std::chrono::microseconds(settings_.coalesce_us));
    loop_.poll(std::chrono::milliseconds(5), 1024);
  }
  flush_dirty();  // the last acknowledgements
  const std::uint64_t end = monotonic_ns();
  result_.loadgen_cpu_s = self_cpu_seconds() - cpu0;
  result_.wall_s = static_cast<double>(end - start) / 1e9;
  result_.duration_s =
      last_delivery_ns_ > start ? static_cast<double>(last_delivery_ns_ - start) / 1e9 : 0;
  result_.latencies.sort();
  result_.same_node.sort();
  result_.cross_node.sort();
  return std::move(result_);
}

}  // namespace

RelayResult run_relay(EventLoop& loop, std::vector<std::unique_ptr<DeviceLink>>& links,
                      const RelaySettings& settings, const char* label) {
  Relay relay(loop, links, settings);
  return relay.run(label);
}

}  // namespace bulwark::loadgen::peer
