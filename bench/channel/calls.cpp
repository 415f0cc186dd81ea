#include "calls.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace bulwark::bench_channel {
namespace {

using loadgen::DeviceLink;

class CallPump final : public loadgen::LinkListener {
 public:
  CallPump(const std::function<std::string(std::size_t, const api::Response&)>& check,
           CallsOutcome& outcome)
      : check_(check), outcome_(outcome) {}

  ~CallPump() override {
    for (DeviceLink* link : links_) link->set_listener(nullptr);
  }

  void issue(std::size_t index, Call call) {
    if (links_.insert(call.link).second) call.link->set_listener(this);
    if (call.link->state() != DeviceLink::State::ready) {
      fail("connection not ready: " + call.link->failure());
      return;
    }
    pending_.emplace(key(*call.link, call.id), index);
    call.link->send(call.frame);
  }

  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }

  void on_frame(DeviceLink& link, const api::Frame& frame, Clock::time_point) override {
    if (!frame.has_response()) return;
    const auto found = pending_.find(key(link, frame.response().id()));
    if (found == pending_.end()) return;
    const std::size_t index = found->second;
    pending_.erase(found);
    const api::Response& response = frame.response();
    std::string problem;
    if (response.status() != api::OK) {
      problem = "status " + std::to_string(response.status()) + ": " + response.message();
    } else {
      problem = check_(index, response);
    }
    if (problem.empty()) {
      ++outcome_.answered;
    } else {
      fail("call " + std::to_string(index) + ": " + problem);
    }
  }

  void on_lost(DeviceLink& link, std::string_view reason) override {
    for (auto it = pending_.begin(); it != pending_.end();) {
      if ((it->first >> id_bits) == link.index()) {
        fail("connection lost: " + std::string(reason));
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void fail(std::string reason) {
    if (outcome_.failed++ == 0) outcome_.first_failure = std::move(reason);
  }

 private:
  static constexpr int id_bits = 40;  // request ids stay below 2^40; link indexes above
  static std::uint64_t key(const DeviceLink& link, std::uint64_t id) {
    return (static_cast<std::uint64_t>(link.index()) << id_bits) | id;
  }

  const std::function<std::string(std::size_t, const api::Response&)>& check_;
  CallsOutcome& outcome_;
  std::unordered_map<std::uint64_t, std::size_t> pending_;
  std::unordered_set<DeviceLink*> links_;
};

}  // namespace

CallsOutcome pump_calls(loadgen::EventLoop& loop, std::size_t count, std::size_t window,
                        const std::function<Call(std::size_t)>& make,
                        const std::function<std::string(std::size_t, const api::Response&)>& check,
                        Clock::time_point deadline, Clock::time_point stop_making) {
  CallsOutcome outcome;
  const Clock::time_point started = Clock::now();
  {
    CallPump pump(check, outcome);
    std::size_t next = 0;
    while (Clock::now() < deadline) {
      if (Clock::now() >= stop_making && next < count) {
        outcome.not_made = count - next;
        count = next;
      }
      for (; next < count && pump.pending() < window; ++next) pump.issue(next, make(next));
      if (next == count && pump.pending() == 0) break;
      loop.poll(std::chrono::milliseconds(2));
    }
    if (const std::size_t left = pump.pending() + (count - next); left > 0) {
      pump.fail(std::to_string(left) + " calls not answered before the deadline");
      outcome.failed += left - 1;
    }
  }
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

std::optional<api::Response> call_once(loadgen::EventLoop& loop, Call call, Clock::duration timeout,
                                       std::string& failure) {
  std::optional<api::Response> answer;
  const auto keep = [&](std::size_t, const api::Response& response) {
    answer = response;
    return std::string();
  };
  const CallsOutcome outcome = pump_calls(
      loop, 1, 1, [&](std::size_t) { return std::move(call); }, keep, Clock::now() + timeout);
  if (outcome.failed > 0) {
    failure = outcome.first_failure;
    return std::nullopt;
  }
  return answer;
}

}  // namespace bulwark::bench_channel
