// Requests over already authenticated device links, many at once, each answered by its
// Response (api.proto: a Response echoes its Request's id). For the set-up steps and the
// catch-up fill, where what matters is that every call is answered, not when.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "api/proto/api.pb.h"
#include "device_link.h"

namespace bulwark::bench_channel {

using loadgen::Clock;

struct Call {
  loadgen::DeviceLink* link = nullptr;
  std::uint64_t id = 0;  // the request id inside `frame`; unique on its link while unanswered
  std::string frame;
};

struct CallsOutcome {
  std::size_t answered = 0;  // answered as `check` wanted
  std::size_t failed = 0;    // refused, judged wrong by `check`, lost, or not answered in time
  std::size_t not_made = 0;  // left when `stop_making` came
  std::string first_failure;
  double seconds = 0;
};

// Makes call i (i = 0 .. count-1) with `make(i)` when its turn comes and keeps at most `window`
// unanswered; hands each response to `check(i, response)`, which returns "" when it is the
// answer wanted and otherwise what is wrong. Makes no call after `stop_making` (those not made
// count as `not_made`, not as failed) and returns when every call made is answered or failed,
// or at `deadline`. The links' listeners are borrowed and cleared at the end.
CallsOutcome pump_calls(loadgen::EventLoop& loop, std::size_t count, std::size_t window,
                        const std::function<Call(std::size_t)>& make,
                        const std::function<std::string(std::size_t, const api::Response&)>& check,
                        Clock::time_point deadline,
                        Clock::time_point stop_making = Clock::time_point::max());

// One call; the response, or nullopt with `failure` set.
[[nodiscard]] std::optional<api::Response> call_once(loadgen::EventLoop& loop, Call call,
                                                     Clock::duration timeout, std::string& failure);

}  // namespace bulwark::bench_channel
