#include "catchup.h"

#include <cstdio>
#include <ctime>

#include "channel/admin_set.h"
#include "proc_stats.h"

namespace bulwark::bench_channel {
namespace {

constexpr auto probe_timeout = std::chrono::seconds(30);
constexpr std::size_t progress_every = 5000;

double thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Checks and counts one page of a catch-up read.
class PageCheck {
 public:
  PageCheck(CatchupResult& result, std::vector<std::string>& kept, std::size_t keep_count)
      : result_(result),
        seen_(result.last_seq - result.after, false),
        kept_(kept),
        keep_count_(keep_count) {}

  // "" when the page is as it must be.
  std::string check(const api::ChannelReadResult& page) {
    ++result_.pages;
    if (page.resynced()) {
      ++result_.resynced_pages;
      return "resynced: the server found the cursor too far behind";
    }
    for (const api::ChannelEntry& entry : page.entries()) {
      const std::uint64_t seq = entry.seq();
      if (seq <= result_.after || seq > result_.last_seq) {
        ++result_.out_of_range;
        continue;
      }
      if (seen_[seq - result_.after - 1]) {
        ++result_.duplicates;
        continue;
      }
      seen_[seq - result_.after - 1] = true;
      ++result_.entries;
      if (entry.entry().empty()) ++result_.deleted;
      result_.entry_bytes += entry.entry().size();
      if (kept_.size() < keep_count_) kept_.push_back(entry.entry());
    }
    return page.entries().empty() ? "an empty page before the end of the log" : "";
  }

 private:
  CatchupResult& result_;
  std::vector<bool> seen_;
  std::vector<std::string>& kept_;
  std::size_t keep_count_;
};

// Reads (after, last_seq] with `window` cursors, each following its own slice of the range
// read by read: one cursor is a client following the log; more are one reading ahead.
class SliceReader final : public loadgen::LinkListener {
 public:
  SliceReader(Setup& setup, loadgen::DeviceLink& reader, const OwnedChannel& channel,
              std::size_t page, PageCheck& pages)
      : setup_(setup), reader_(reader), channel_(channel), page_(page), pages_(pages) {
    reader_.set_listener(this);
  }
  ~SliceReader() override { reader_.set_listener(nullptr); }

  // Returns the failure, "" when every slice was read to its end.
  std::string run(std::uint64_t after, std::uint64_t last_seq, std::size_t window,
                  Clock::time_point deadline) {
    const std::uint64_t span = (last_seq - after + window - 1) / window;
    for (std::uint64_t from = after; from < last_seq; from += span)
      slices_.push_back({from, std::min(last_seq, from + span), 0});
    for (std::size_t k = 0; k < slices_.size(); ++k) request(k);
    while (busy_ > 0 && failure_.empty() && Clock::now() < deadline)
      setup_.loop.poll(std::chrono::milliseconds(5));
    if (failure_.empty() && busy_ > 0) failure_ = "not finished before the deadline";
    return failure_;
  }

  void on_frame(loadgen::DeviceLink&, const api::Frame& frame, Clock::time_point) override {
    if (!frame.has_response()) return;
    for (std::size_t k = 0; k < slices_.size(); ++k) {
      if (slices_[k].request_id != frame.response().id()) continue;
      slices_[k].request_id = 0;
      --busy_;
      return on_answer(k, frame.response());
    }
  }
  void on_lost(loadgen::DeviceLink&, std::string_view reason) override {
    failure_ = "connection lost: " + std::string(reason);
  }

 private:
  struct Slice {
    std::uint64_t cursor;  // read up to here
    std::uint64_t end;     // last seq of the slice
    std::uint64_t request_id;
  };

  void request(std::size_t k) {
    Slice& slice = slices_[k];
    const auto limit =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(page_, slice.end - slice.cursor));
    slice.request_id = setup_.request_id();
    ++busy_;
    reader_.send(read_frame(slice.request_id, channel_.id(), slice.cursor, limit));
  }

  void on_answer(std::size_t k, const api::Response& response) {
    if (response.status() != api::OK) {
      failure_ = "status " + std::to_string(response.status()) + ": " + response.message();
      return;
    }
    const api::ChannelReadResult& page = response.channel_read();
    if (std::string problem = pages_.check(page); !problem.empty()) {
      failure_ = std::move(problem);
      return;
    }
    Slice& slice = slices_[k];
    slice.cursor = std::max(slice.cursor, page.entries(page.entries_size() - 1).seq());
    if (slice.cursor < slice.end) request(k);
  }

  Setup& setup_;
  loadgen::DeviceLink& reader_;
  const OwnedChannel& channel_;
  std::size_t page_;
  PageCheck& pages_;
  std::vector<Slice> slices_;
  std::size_t busy_ = 0;
  std::string failure_;
};

}  // namespace

FillResult fill_log(Setup& setup, const OwnedChannel& channel, std::uint64_t first_seq,
                    std::size_t posts, std::size_t post_bytes, std::size_t window,
                    Clock::time_point stop_sending) {
  const std::uint64_t first_id = setup.next_request_id;
  setup.next_request_id += posts;
  const auto make = [&](std::size_t i) {
    const std::uint64_t seq = first_seq + i;
    const Bytes entry = channel.post_entry(seq, post_text(seq, post_bytes));
    return Call{&setup.owner(), first_id + i, append_frame(first_id + i, entry)};
  };
  // Progress every `progress_every` posts: the rate of the last ones shows whether appending
  // gets slower as the log grows.
  std::size_t stored = 0;
  Clock::time_point last_mark = Clock::now();
  const auto check = [&](std::size_t i, const api::Response& response) {
    if (response.channel_append().seq() != first_seq + i)
      return std::string("stored under another seq");
    if (++stored % progress_every == 0) {
      const Clock::time_point now = Clock::now();
      std::printf("    fill: %zu posts stored, the last %zu at %.0f posts/s\n", stored,
                  progress_every,
                  static_cast<double>(progress_every) /
                      std::chrono::duration<double>(now - last_mark).count());
      last_mark = now;
    }
    return std::string();
  };
  // Appends in flight at `stop_sending` may each take long (the store's own time): up to 10 min.
  const CallsOutcome outcome = pump_calls(setup.loop, posts, window, make, check,
                                          stop_sending + std::chrono::minutes(10), stop_sending);
  return {outcome.answered, outcome.failed, outcome.not_made, outcome.first_failure,
          outcome.seconds};
}

CatchupResult catch_up(Setup& setup, loadgen::DeviceLink& reader, const OwnedChannel& channel,
                       std::uint64_t after, std::uint64_t last_seq, std::size_t page,
                       std::size_t window, pid_t server_pid, std::vector<std::string>& kept,
                       std::size_t keep_count) {
  CatchupResult result;
  result.window = window;
  result.after = after;
  result.last_seq = last_seq;
  PageCheck pages(result, kept, keep_count);
  SliceReader slices(setup, reader, channel, page, pages);
  const double server_before = loadgen::process_on_cpu_seconds(server_pid);
  const double generator_before = loadgen::self_cpu_seconds();
  const Clock::time_point started = Clock::now();
  result.first_failure = slices.run(after, last_seq, window, started + std::chrono::seconds(300));
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  result.server_cpu_seconds = loadgen::process_on_cpu_seconds(server_pid) - server_before;
  result.generator_cpu_seconds = loadgen::self_cpu_seconds() - generator_before;
  result.failed_reads = result.first_failure.empty() ? 0 : 1;
  return result;
}

ResyncProbe probe_resync(Setup& setup, loadgen::DeviceLink& reader, const OwnedChannel& channel,
                         std::size_t page) {
  ResyncProbe probe;
  const std::uint64_t id = setup.request_id();
  const auto answer = call_once(
      setup.loop, {&reader, id, read_frame(id, channel.id(), 0, static_cast<std::uint32_t>(page))},
      probe_timeout, probe.failure);
  if (!answer) return probe;
  const api::ChannelReadResult& read = answer->channel_read();
  probe.answered = true;
  probe.resynced = read.resynced();
  probe.entries = static_cast<std::size_t>(read.entries_size());
  if (!read.entries().empty()) {
    probe.first_seq = read.entries(0).seq();
    probe.last_seq = read.entries(read.entries_size() - 1).seq();
  }
  return probe;
}

VerifyRate verify_rate(ByteView create_entry, const std::vector<std::string>& entries) {
  VerifyRate rate;
  const auto create = channel::decode_entry(create_entry);
  const auto authority =
      create ? channel::Authority::from_create(*create) : tl::unexpected(create.error());
  if (!authority) {
    rate.failed = entries.size();
    return rate;
  }
  const double start = thread_cpu_seconds();
  for (const std::string& bytes : entries) {
    const auto entry = channel::decode_entry(as_bytes(bytes));
    if (!entry || !authority->verify(*entry)) ++rate.failed;
    ++rate.entries;
  }
  rate.seconds = thread_cpu_seconds() - start;
  return rate;
}

}  // namespace bulwark::bench_channel
