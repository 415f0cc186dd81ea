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
  batch_.clear();  // empty already, unless an earlier flush was cut short
  {
    std::lock_guard lock(mutex_);
    batch_.swap(pending_);
  }
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               clock_.now().time_since_epoch()).count();
  sign_franked(now);
  for (std::size_t i = 0; i < batch_.size(); ++i) {
    auto connection = batch_[i].connection.lock();
    if (!connection) continue;  // closed while waiting: its send is dropped unanswered
    if (inline_completion_) {
      batch_[i].done(std::move(stamps_[i]));
      continue;
    }
    connection->post([done = std::move(batch_[i].done), stamp = std::move(stamps_[i])]() mutable {
      done(std::move(stamp));
    });
  }
  batch_.clear();
  stamps_.clear();  // lets the signed batch go once its pushes are done with it
}

void FrankingStamper::sign_franked(std::int64_t now_ms) {
  requests_.clear();
  franked_.clear();
  for (std::size_t i = 0; i < batch_.size(); ++i) {
    const Request& request = batch_[i].request;
    if (!request.tag) continue;
    requests_.push_back({*request.tag, view_of(request.sender), view_of(request.recipient)});
    franked_.push_back(i);
  }
  stamps_.assign(batch_.size(), std::nullopt);
  for (std::size_t start = 0; start < requests_.size(); start += franking::max_stamp_batch) {
    const std::size_t count = std::min(franking::max_stamp_batch, requests_.size() - start);
    auto signed_batch = keys_.sign_batch(std::span(requests_).subspan(start, count), now_ms);
    if (!signed_batch) {
      for (std::size_t k = 0; k < count; ++k)
        stamps_[franked_[start + k]] = tl::unexpected(signed_batch.error());
      continue;
    }
    metrics_.franking_stamp_batches++;
    metrics_.franking_stamps += count;
    auto shared = std::make_shared<const franking::StampBatch>(std::move(*signed_batch));
    for (std::size_t k = 0; k < count; ++k)
      stamps_[franked_[start + k]] = std::optional<BatchedStamp>(BatchedStamp{shared, k});
  }
}

}  // namespace bulwark::server
