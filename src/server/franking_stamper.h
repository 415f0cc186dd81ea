// FrankingStamper: stamps the franking tags of 1:1 messages in batches as they leave for their
// devices (docs/FRANKING.md), so that one Ed25519 signature covers every envelope pushed
// together instead of one each (15 us of signing against about 30 us for the whole relay of a
// message). Stamping on the way out, not on the way in, means the queue keeps only the 32-byte
// tag: a stored stamp (its Merkle path and signature, 300 bytes and more) made SQLite's rows
// twice as large and cost about 15% of relay throughput.
//
// A push queues its request; the first request of a batch posts one flush to the I/O
// executor, which runs after the handlers already waiting there - under load, the other pushes
// of the same pass of the event loop. The flush stamps them all at one server time and hands
// each its stamp, in the order they came. Frames without a tag pass through the same queue, so
// one connection's pushes keep their order.
//
// Thread-safe. Holds connections weakly: a push whose connection closed is dropped (its
// envelope stays queued until acknowledged).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/result.h"
#include "franking/stamp.h"
#include "server/connection.h"
#include "server/metrics.h"

namespace bulwark::server {

class FrankingKeys;

// One push's stamp: its place in a signed batch, which every push of the batch shares. The
// push writes the stamp's wire form straight into its frame (StampBatch::encode_into).
struct BatchedStamp {
  std::shared_ptr<const franking::StampBatch> batch;
  std::size_t index = 0;
};

class FrankingStamper {
 public:
  // What a push gets back: its stamp, std::nullopt for a request without a tag, or why there
  // is none.
  using Done = std::function<void(Result<std::optional<BatchedStamp>>)>;
  // Runs a function on an I/O thread, after what is already queued there.
  using Post = std::function<void(std::function<void()>)>;

  // `inline_completion`: every connection runs on the thread the flush runs on (one I/O
  // thread), so `done` is called directly rather than posted to the connection.
  // `metrics` counts stamps and signed batches.
  FrankingStamper(const FrankingKeys& keys, Clock& clock, Post post, bool inline_completion,
                  Metrics& metrics)
      : keys_(keys),
        clock_(clock),
        post_(std::move(post)),
        inline_completion_(inline_completion),
        metrics_(metrics) {}

  struct Request {
    std::optional<franking::FrankingTag> tag;  // none: not franked
    // Account ids, held inline: a push makes no allocation for them.
    std::array<std::byte, 16> sender{};
    std::array<std::byte, 16> recipient{};
  };
  void stamp(const std::shared_ptr<Connection>& connection, Request request, Done done);

 private:
  struct Pending {
    std::weak_ptr<Connection> connection;
    Request request;
    Done done;
  };
  void flush();
  // Signs the franked requests of batch_ (at most max_stamp_batch each time) into stamps_.
  void sign_franked(std::int64_t now_ms);

  const FrankingKeys& keys_;
  Clock& clock_;
  Post post_;
  const bool inline_completion_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::vector<Pending> pending_;  // under mutex_
  // Under flush_mutex_, which a flush holds throughout (taken before mutex_). Kept between
  // flushes so that their buffers are reused.
  std::mutex flush_mutex_;
  std::vector<Pending> batch_;
  std::vector<franking::StampRequest> requests_;
  std::vector<std::size_t> franked_;  // batch_ positions of requests_
  std::vector<Result<std::optional<BatchedStamp>>> stamps_;
};

}  // namespace bulwark::server
