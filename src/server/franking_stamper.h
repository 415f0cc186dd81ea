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

namespace bulwark::server {

class FrankingKeys;

class FrankingStamper {
 public:
  // What a push gets back: its stamp (or why there is none; std::nullopt for a request without
  // a tag) and the server time of its batch.
  using Done = std::function<void(Result<std::optional<franking::Stamp>>, std::int64_t time_ms)>;
  // Runs a function on an I/O thread, after what is already queued there.
  using Post = std::function<void(std::function<void()>)>;

  // `inline_completion`: every connection runs on the thread the flush runs on (one I/O
  // thread), so `done` is called directly rather than posted to the connection.
  FrankingStamper(const FrankingKeys& keys, Clock& clock, Post post, bool inline_completion)
      : keys_(keys), clock_(clock), post_(std::move(post)), inline_completion_(inline_completion) {}

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

  const FrankingKeys& keys_;
  Clock& clock_;
  Post post_;
  const bool inline_completion_;
  std::mutex flush_mutex_;  // taken before mutex_, for a whole flush
  std::mutex mutex_;
  std::vector<Pending> pending_;
};

}  // namespace bulwark::server
