#include "fanout.h"

#include <algorithm>
#include <optional>

#include "proc_stats.h"

namespace bulwark::bench_channel {
namespace {

using loadgen::DeviceLink;

std::int64_t nanoseconds(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

}  // namespace

struct FanOut::Post {
  std::uint64_t seq = 0;
  std::uint64_t request_id = 0;
  std::string entry;  // the signed entry bytes every push must carry
  Clock::time_point sent;
  std::optional<Clock::time_point> accepted;  // kernel receive time of the owner's OK
  bool refused = false;
  bool closed = false;  // recorded: a push from now on is late
  std::size_t received = 0;
};

FanOut::FanOut(Setup& setup, const OwnedChannel& channel, pid_t server_pid, int server_cpu)
    : setup_(setup),
      channel_(channel),
      channel_id_(text_of(view_of(channel.id()))),
      server_pid_(server_pid),
      server_cpu_(server_cpu) {
  setup_.owner().set_listener(this);
  for (std::size_t i = first_subscriber; i < setup_.links.size(); ++i)
    setup_.links[i]->set_listener(this);
  got_.resize(setup_.subscribers());
  arrived_.resize(setup_.subscribers());
  parsed_.resize(setup_.subscribers());
}

FanOut::~FanOut() {
  setup_.owner().set_listener(nullptr);
  for (std::size_t i = first_subscriber; i < setup_.links.size(); ++i)
    setup_.links[i]->set_listener(nullptr);
}

void FanOut::on_frame(DeviceLink& link, const api::Frame& frame, Clock::time_point at) {
  if (link.index() == owner_index) {
    if (frame.has_response()) on_answer(frame.response(), at);
    return;
  }
  if (frame.has_push() && frame.push().has_channel_entry())
    on_push(link.index() - first_subscriber, frame.push().channel_entry(), at);
}

void FanOut::on_answer(const api::Response& response, Clock::time_point at) {
  if (!post_ || response.id() != post_->request_id) return;
  if (response.status() != api::OK || response.channel_append().seq() != post_->seq) {
    post_->refused = true;
    if (result_.refused++ == 0)
      result_.first_error = "seq " + std::to_string(post_->seq) + ": status " +
                            std::to_string(response.status()) + " " + response.message();
    return;
  }
  post_->accepted = at;
}

void FanOut::on_push(std::size_t subscriber, const api::ChannelPush& push, Clock::time_point at) {
  const std::uint64_t seq = push.entry().seq();
  if (!post_ || post_->closed || push.channel_id() != channel_id_ || seq < post_->seq) {
    ++result_.late;  // a post whose timeout had passed (or another channel's entry)
    return;
  }
  if (seq != post_->seq || push.entry().entry() != post_->entry) {
    ++result_.altered;
    return;
  }
  if (got_[subscriber]++ > 0) {
    ++result_.duplicates;
    return;
  }
  arrived_[subscriber] = at;
  parsed_[subscriber] = Clock::now();
  ++post_->received;
}

void FanOut::on_lost(DeviceLink& link, std::string_view reason) {
  if (result_.lost_links++ == 0) result_.lost_reason = std::string(reason);
  if (link.index() != owner_index) {
    ++lost_subscribers_;
  } else if (post_ && !post_->closed) {
    post_->refused = true;  // no answer can come now
  }
}

void FanOut::post_one(std::uint64_t seq, std::size_t post_bytes, Clock::duration timeout) {
  post_ = std::make_unique<Post>();
  post_->seq = seq;
  post_->request_id = setup_.request_id();
  const Bytes entry = channel_.post_entry(seq, post_text(seq, post_bytes));
  post_->entry = std::string(text_of(entry));
  result_.entry_bytes = entry.size();
  const std::string frame = append_frame(post_->request_id, entry);
  std::fill(got_.begin(), got_.end(), std::uint8_t{0});
  // Subscribers whose connection was lost cannot get it: waiting for them only adds the timeout.
  const std::size_t reachable = setup_.subscribers() - lost_subscribers_;
  const double cpu_before = loadgen::process_on_cpu_seconds(server_pid_);
  post_->sent = Clock::now();
  setup_.owner().send(frame);
  const Clock::time_point deadline = post_->sent + timeout;
  while (Clock::now() < deadline && !post_->refused &&
         !(post_->accepted && post_->received >= reachable)) {
    setup_.loop.poll(std::chrono::milliseconds(1));
  }
  const Clock::time_point done = Clock::now();
  result_.server_fanout_cpu_seconds += loadgen::process_on_cpu_seconds(server_pid_) - cpu_before;
  result_.fanout_wall_seconds += std::chrono::duration<double>(done - post_->sent).count();
  if (!post_->accepted && !post_->refused) {
    post_->refused = true;
    if (result_.refused++ == 0)
      result_.first_error = "seq " + std::to_string(seq) + ": no answer before the timeout";
  }
  record_post(*post_);
  post_->closed = true;
}

void FanOut::record_post(const Post& post) {
  const std::size_t everyone = setup_.subscribers();
  result_.missed += everyone - post.received;
  result_.deliveries += post.received;
  if (post.received == 0) return;
  std::vector<std::int64_t> delays;
  delays.reserve(post.received);
  Clock::time_point last_parsed = post.sent;
  for (std::size_t i = 0; i < everyone; ++i) {
    if (got_[i] == 0) continue;
    const std::int64_t delay = nanoseconds(arrived_[i] - post.sent);
    if (post.accepted && arrived_[i] < *post.accepted) ++result_.before_ok;
    delays.push_back(delay);
    result_.every.record(delay);
    last_parsed = std::max(last_parsed, parsed_[i]);
  }
  const auto middle = delays.begin() + static_cast<std::ptrdiff_t>(delays.size() / 2);
  std::nth_element(delays.begin(), middle, delays.end());
  result_.median.record(*middle);
  const auto [lowest, highest] = std::minmax_element(delays.begin(), delays.end());
  result_.first.record(*lowest);
  result_.last.record(*highest);
  result_.spread.record(*highest - *lowest);
  result_.last_parsed.record(nanoseconds(last_parsed - post.sent));
  if (!post.accepted) return;
  const std::int64_t ok = nanoseconds(*post.accepted - post.sent);
  result_.ok.record(ok);
  result_.last_after_ok.record(*highest - ok);  // negative values count as 0
  result_.ok_after_last.record(ok - *highest);
}

// Lets the gap pass on the loop, so that a late or duplicate push is still seen and counted.
void FanOut::settle(Clock::duration gap) {
  const Clock::time_point until = Clock::now() + gap;
  while (Clock::now() < until) setup_.loop.poll(std::chrono::milliseconds(1));
}

FanOutResult FanOut::run(std::uint64_t first_seq, std::size_t posts, std::size_t post_bytes,
                         Clock::duration gap, Clock::duration timeout) {
  result_ = FanOutResult{};
  result_.subscribers = setup_.subscribers();
  result_.post_bytes = post_bytes;
  const loadgen::CostSnapshot from = loadgen::snapshot(server_pid_, server_cpu_);
  for (std::size_t k = 0; k < posts; ++k) {
    post_one(first_seq + k, post_bytes, timeout);
    ++result_.posts;
    if (post_->refused) break;  // the channel's next seq is unknown now
    if (k + 1 < posts) settle(gap);
  }
  const loadgen::CostSnapshot to = loadgen::snapshot(server_pid_, server_cpu_);
  settle(gap);  // late pushes of the last post, outside the window
  post_.reset();
  result_.cost = loadgen::cost_between(from, to);
  return result_;
}

}  // namespace bulwark::bench_channel
