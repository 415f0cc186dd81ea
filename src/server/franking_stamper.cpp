#include "server/franking_stamper.h"

#include <algorithm>
#include <chrono>

#include "server/franking_keys.h"

namespace bulwark::server {

void FrankingStamper::stamp(const std::shared_ptr<Connection>& connection, Request request,
                            Done done) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = pending_.empty();
    pending_.push_back(Pending{connection, std::move(request), std::move(done)});
  }
  if (first) post_([this] { flush(); });
}

void FrankingStamper::flush() {
  // With several I/O threads two flushes may run at once; the later batch's sends must not be
  // handed back before the earlier one's (one connection's sends keep their order), so the
  // later flush waits here until the earlier has posted every completion.
  std::lock_guard flushing(flush_mutex_);
  std::vector<Pending> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
  }
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               clock_.now().time_since_epoch()).count();
  std::vector<franking::StampRequest> requests;
  std::vector<std::size_t> franked;  // batch positions of the requests
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Request& request = batch[i].request;
    if (!request.tag) continue;
    requests.push_back({*request.tag, view_of(request.sender), view_of(request.recipient)});
    franked.push_back(i);
  }
  std::vector<Result<std::optional<franking::Stamp>>> stamps(batch.size(), std::nullopt);
  // A batch holds at most max_stamp_batch stamps; more take several signatures.
  for (std::size_t start = 0; start < requests.size(); start += franking::max_stamp_batch) {
    const std::size_t count = std::min(franking::max_stamp_batch, requests.size() - start);
    auto made = keys_.stamp_batch(std::span(requests).subspan(start, count), now);
    for (std::size_t k = 0; k < count; ++k) {
      auto& slot = stamps[franked[start + k]];
      if (made) slot = std::optional<franking::Stamp>(std::move((*made)[k]));
      else slot = tl::unexpected(made.error());
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto connection = batch[i].connection.lock();
    if (!connection) continue;  // closed while waiting: its send is dropped unanswered
    if (inline_completion_) {
      batch[i].done(std::move(stamps[i]), now);
      continue;
    }
    connection->post([done = std::move(batch[i].done), stamp = std::move(stamps[i]),
                      now]() mutable { done(std::move(stamp), now); });
  }
}

}  // namespace bulwark::server
