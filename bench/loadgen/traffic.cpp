#include "traffic.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>

#include "crypto/random.h"

namespace bulwark::loadgen {
namespace {

// Request ids of sends start here (the link used 1 for Authenticate).
constexpr std::uint64_t first_send_id = 1000;
constexpr std::size_t header_bytes = 24;
constexpr auto drain_time = std::chrono::seconds(5);
// Events handled between two looks at the open-loop schedule (each costs ~10-20 us).
constexpr int open_loop_events = 16;

struct ContentHeader {
  std::uint32_t run = 0;
  std::uint32_t pair = 0;
  std::uint64_t seq = 0;
  std::int64_t intended_ns = 0;
};

void write_header(std::string& content, const ContentHeader& header) {
  std::memcpy(content.data(), &header.run, 4);
  std::memcpy(content.data() + 4, &header.pair, 4);
  std::memcpy(content.data() + 8, &header.seq, 8);
  std::memcpy(content.data() + 16, &header.intended_ns, 8);
}

ContentHeader read_header(const std::string& content) {
  ContentHeader header;
  std::memcpy(&header.run, content.data(), 4);
  std::memcpy(&header.pair, content.data() + 4, 4);
  std::memcpy(&header.seq, content.data() + 8, 8);
  std::memcpy(&header.intended_ns, content.data() + 16, 8);
  return header;
}

std::uint64_t wall_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

struct Traffic::Pair {
  std::unique_ptr<SendFrameTemplate> frame;
  std::uint64_t next_seq = first_send_id;
  std::vector<InFlight> in_flight;
  std::vector<std::string> acks;
};

struct Traffic::Run {
  bool open = false;
  bool sending = true;  // closed loop: a completion triggers the next send
  Clock::time_point window_start, window_end;
  std::uint64_t completed_in_window = 0;
  std::uint64_t measured = 0, delivered = 0, errors = 0;
  std::string first_error;
  LatencyHistogram latency, commit_latency;

  [[nodiscard]] bool in_window(Clock::time_point t) const {
    return t >= window_start && t < window_end;
  }
};

Traffic::Traffic(EventLoop& loop, std::vector<std::unique_ptr<DeviceLink>>& links,
                 std::size_t pairs, std::size_t content_bytes, pid_t server_pid, int server_cpu)
    : loop_(loop), links_(links), pairs_(pairs), server_pid_(server_pid), server_cpu_(server_cpu) {
  crypto::SystemRng rng;
  for (std::size_t i = 0; i < pairs_; ++i) {
    auto pair = std::make_unique<Pair>();
    pair->frame = std::make_unique<SendFrameTemplate>(links_[pairs_ + i]->device(),
                                                      std::max(content_bytes, header_bytes), rng);
    pair_state_.push_back(std::move(pair));
    links_[i]->set_listener(this);
    links_[pairs_ + i]->set_listener(this);
  }
}

void Traffic::set_franking(bool on) {
  for (auto& pair : pair_state_) pair->frame->set_franking(on);
}

Traffic::~Traffic() {
  for (auto& link : links_) link->set_listener(nullptr);
}

void Traffic::send(std::size_t index, Clock::time_point intended) {
  Pair& pair = *pair_state_[index];
  DeviceLink& sender = *links_[index];
  if (sender.state() != DeviceLink::State::ready) return;
  const std::uint64_t seq = pair.next_seq++;
  write_header(*pair.frame->content(), {run_id_, static_cast<std::uint32_t>(index), seq,
                                        intended.time_since_epoch().count()});
  pair.frame->serialise(seq, wall_ms(), scratch_);
  pair.in_flight.push_back({seq, intended});
  sender.send(scratch_);
}

void Traffic::on_frame(DeviceLink& link, const api::Frame& frame, Clock::time_point at) {
  if (!run_) return;
  const std::size_t index = link.index() % pairs_;
  if (link.index() < pairs_) {
    if (frame.has_response()) on_response(index, frame.response(), at);
    return;
  }
  if (frame.has_push() && frame.push().has_envelope())
    on_envelope(index, frame.push().envelope(), at);
}

void Traffic::on_response(std::size_t index, const api::Response& response, Clock::time_point at) {
  Pair& pair = *pair_state_[index];
  auto found = std::find_if(pair.in_flight.begin(), pair.in_flight.end(),
                            [&](const InFlight& m) { return m.seq == response.id(); });
  if (found == pair.in_flight.end()) return;
  if (response.status() != api::OK) {
    ++run_->errors;
    if (run_->first_error.empty())
      run_->first_error = "status " + std::to_string(response.status()) + ": " + response.message();
    pair.in_flight.erase(found);
    if (!run_->open && run_->sending) send(index, Clock::now());
    return;
  }
  found->ok = true;
  if (run_->open && run_->in_window(found->intended))
    run_->commit_latency.record((at - found->intended).count());
  if (found->pushed) complete(index, static_cast<std::size_t>(found - pair.in_flight.begin()), at);
}

void Traffic::on_envelope(std::size_t index, const api::Envelope& envelope, Clock::time_point at) {
  Pair& pair = *pair_state_[index];
  if (pair.acks.empty()) dirty_acks_.push_back(index);
  pair.acks.push_back(envelope.id());
  if (envelope.content().size() < header_bytes) return;
  const ContentHeader header = read_header(envelope.content());
  if (header.run != run_id_ || header.pair != index) return;  // a late one from an earlier run
  auto found = std::find_if(pair.in_flight.begin(), pair.in_flight.end(),
                            [&](const InFlight& m) { return m.seq == header.seq; });
  if (found == pair.in_flight.end()) return;
  found->pushed = true;
  if (run_->open && run_->in_window(found->intended))
    run_->latency.record((at - found->intended).count());
  if (found->ok) complete(index, static_cast<std::size_t>(found - pair.in_flight.begin()), at);
}

void Traffic::complete(std::size_t index, std::size_t slot, Clock::time_point at) {
  Pair& pair = *pair_state_[index];
  const InFlight message = pair.in_flight[slot];
  pair.in_flight.erase(pair.in_flight.begin() + static_cast<std::ptrdiff_t>(slot));
  if (run_->open) {
    if (run_->in_window(message.intended)) ++run_->delivered;
    return;
  }
  if (run_->in_window(at)) {
    ++run_->completed_in_window;
    run_->latency.record((at - message.intended).count());
  }
  if (run_->sending) send(index, Clock::now());
}

void Traffic::flush_acks() {
  for (std::size_t index : dirty_acks_) {
    Pair& pair = *pair_state_[index];
    links_[pairs_ + index]->send(ack_frame(pair.acks));
    pair.acks.clear();
  }
  dirty_acks_.clear();
}

void Traffic::on_lost(DeviceLink&, std::string_view reason) {
  if (lost_links_++ == 0) lost_reason_ = std::string(reason);
}

std::uint64_t Traffic::in_flight() const {
  std::uint64_t total = 0;
  for (const auto& pair : pair_state_) total += pair->in_flight.size();
  return total;
}

void Traffic::drain(Clock::time_point deadline) {
  while (in_flight() > 0 && Clock::now() < deadline) {
    loop_.poll(std::chrono::milliseconds(5));
    flush_acks();
  }
  flush_acks();
  for (auto& pair : pair_state_) pair->in_flight.clear();
}

ClosedLoopResult Traffic::run_closed(std::size_t window, double warmup_seconds, double seconds) {
  ++run_id_;
  run_ = std::make_unique<Run>();
  const Clock::time_point begin = Clock::now();
  run_->window_start = begin + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(warmup_seconds));
  run_->window_end = run_->window_start + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(seconds));
  const std::size_t lost_before = lost_links_;
  for (std::size_t i = 0; i < pairs_; ++i)
    for (std::size_t w = 0; w < window; ++w) send(i, begin);
  std::optional<CostSnapshot> from;
  CostSnapshot to;
  for (;;) {
    loop_.poll(std::chrono::milliseconds(1));
    flush_acks();
    const Clock::time_point now = Clock::now();
    if (!from && now >= run_->window_start) from = snapshot(server_pid_, server_cpu_);
    if (now >= run_->window_end) {
      to = snapshot(server_pid_, server_cpu_);
      break;
    }
  }
  run_->sending = false;
  ClosedLoopResult result;
  result.cost = cost_between(*from, to);
  drain(Clock::now() + drain_time);
  result.unfinished = in_flight();
  result.completed = run_->completed_in_window;
  result.latency = run_->latency;
  result.errors = run_->errors;
  result.first_error = run_->first_error;
  result.lost_links = lost_links_ - lost_before;
  result.lost_reason = lost_reason_;
  return result;
}

OpenLoopResult Traffic::run_open(double rate, double warmup_seconds, double seconds) {
  ++run_id_;
  run_ = std::make_unique<Run>();
  run_->open = true;
  const double interval_ns = 1e9 / rate;
  const Clock::time_point t0 = Clock::now() + std::chrono::milliseconds(20);
  auto at = [&](double offset_ns) {
    return t0 + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double, std::nano>(offset_ns));
  };
  run_->window_start = at(warmup_seconds * 1e9);
  run_->window_end = at((warmup_seconds + seconds) * 1e9);
  const auto total = static_cast<std::uint64_t>(std::llround(rate * (warmup_seconds + seconds)));
  const std::size_t lost_before = lost_links_;
  OpenLoopResult result;
  result.rate = rate;
  std::optional<CostSnapshot> from;
  std::uint64_t k = 0;
  while (k < total) {
    Clock::time_point now = Clock::now();
    for (; k < total; ++k) {
      const Clock::time_point intended = at(static_cast<double>(k) * interval_ns);
      if (intended > now) break;
      if (run_->in_window(intended)) {
        ++run_->measured;
        result.send_lag.record((now - intended).count());
      }
      send(static_cast<std::size_t>(k % pairs_), intended);
    }
    flush_acks();
    if (!from && now >= run_->window_start) from = snapshot(server_pid_, server_cpu_);
    if (k >= total) break;
    const auto wait = at(static_cast<double>(k) * interval_ns) - Clock::now();
    loop_.poll(std::max<Clock::duration>(wait, Clock::duration::zero()), open_loop_events);
  }
  const CostSnapshot to = snapshot(server_pid_, server_cpu_);
  if (!from) from = to;
  result.cost = cost_between(*from, to);
  drain(Clock::now() + drain_time);
  result.measured = run_->measured;
  result.delivered = run_->delivered;
  result.latency = run_->latency;
  result.commit_latency = run_->commit_latency;
  result.errors = run_->errors;
  result.first_error = run_->first_error;
  result.lost_links = lost_links_ - lost_before;
  result.lost_reason = lost_reason_;
  return result;
}

}  // namespace bulwark::loadgen
