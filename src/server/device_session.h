// DeviceSession: the protocol of one WebSocket connection (api.proto), independent of Beast.
//
// States: a new connection gets a Challenge; until it authenticates (Authenticate, or a
// successful Register, which proves the code) only RequestCode, Register and Authenticate are
// served. Once authenticated as a device, it serves the account requests and delivers the
// device's queue: in seq order, at most `max_unacked_envelopes` unacknowledged at a time,
// deleting an envelope only when the device acknowledges it; then a QueueEmpty push; then
// new envelopes as they are committed.
//
// Threading: every method runs on the connection's strand. Store work goes through the
// StoreExecutor and comes back by Connection::post.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <map>
#include <string>
#include <unordered_map>

#include "server/connection.h"
#include "server/context.h"
#include "server/shared_envelope.h"
#include "server/store_executor.h"
#include "store/records.h"

namespace bulwark::api {
class Request;
class Response;
class Envelope;
}  // namespace bulwark::api

namespace bulwark::server {

class DeviceSession {
 public:
  DeviceSession(ServerContext& context, Connection& connection);
  ~DeviceSession();

  // The connection is open: sends the Challenge.
  void start();
  // One binary WebSocket message.
  void on_message(std::string_view bytes);
  // The connection is ending: leaves the registry.
  void stop();

  // A committed envelope for this device (from Registry, via post()).
  void on_envelope(std::shared_ptr<const store::Envelope> envelope);
  // A committed copy of a shared envelope, at queue position `seq` of this device.
  void on_shared_envelope(std::shared_ptr<const SharedEnvelope> envelope, std::uint64_t seq);

  // ---- for the handlers (handlers/*.cpp) ----
  [[nodiscard]] ServerContext& context() noexcept { return context_; }
  [[nodiscard]] Connection& connection() noexcept { return connection_; }
  [[nodiscard]] const std::optional<store::DeviceAddress>& device() const noexcept {
    return device_;
  }
  [[nodiscard]] ByteView challenge() const noexcept { return challenge_; }
  void respond(const api::Response& response);
  void respond(api::Response&& response);
  // Responds with a status and message, no body.
  void respond_status(std::uint64_t id, int status, std::string_view message,
                      std::uint64_t retry_after_ms = 0);
  // The device authenticated (or registered): joins the registry and starts delivery.
  void authenticated(const store::DeviceAddress& device);
  // Submits a store job whose completion `then` runs on this connection's strand. Answers
  // UNAVAILABLE for `request_id` itself when the store queue is full. `in_commit_order`, when
  // given, runs on the store's sync thread, in commit order, once the job is durable (right
  // after `then` is posted): where pushes to other connections must keep the queue's order,
  // they are posted from there.
  // `rerun`: store::Store::JobRerun::allowed for a job that may run twice (cheaper).
  void with_store(std::uint64_t request_id, store::Store::Job job,
                  std::function<void(Result<void>)> then,
                  std::function<void(const Result<void>&)> in_commit_order = {},
                  store::Store::JobRerun rerun = store::Store::JobRerun::never);
  // with_store for a job that only reads: it skips the store's commit window and, when
  // nothing committed is waiting for the disk, the sync thread (StoreExecutor::Access).
  void read_store(std::uint64_t request_id, store::Store::Job job,
                  std::function<void(Result<void>)> then);

 private:
  void submit_store(std::uint64_t request_id, store::Store::Job job,
                    std::function<void(Result<void>)> then,
                    std::function<void(const Result<void>&)> in_commit_order,
                    StoreExecutor::Access access,
                    store::Store::JobRerun rerun = store::Store::JobRerun::never);
  void on_request(const api::Request& request);
  void on_ack(const std::vector<std::string>& ids);
  void fetch_queue();
  void push(const store::Envelope& envelope);
  // Writes `frame` once the pushes before it are written (they wait for franking stamps).
  void push_in_order(std::shared_ptr<const std::string> frame);
  // A committed envelope (one of the two) at queue position `seq`, live from the bus.
  struct LivePush {
    std::shared_ptr<const store::Envelope> envelope;
    std::shared_ptr<const SharedEnvelope> shared;
  };
  void on_live_push(std::uint64_t seq, LivePush live);
  void push_live(std::uint64_t seq, const LivePush& live);
  // Keeps a push that arrived ahead of an earlier position until that one arrives too.
  void hold_out_of_order(std::uint64_t seq, LivePush live);
  // Pushes the held envelopes that are next in the queue, and forgets those already pushed.
  void push_held();
  [[nodiscard]] bool can_push() const;

  ServerContext& context_;
  Connection& connection_;
  Bytes challenge_;
  std::optional<store::DeviceAddress> device_;
  std::uint32_t pre_auth_requests_ = 0;
  std::uint32_t malformed_frames_ = 0;

  // Delivery state.
  std::uint64_t last_pushed_seq_ = 0;
  // Pushed and not yet acknowledged: id -> queue position, which is what the delete needs.
  std::unordered_map<store::EnvelopeId, std::uint64_t, store::EnvelopeIdHash> unacked_;
  bool fetching_ = false;       // a queue read is in flight
  bool more_pending_ = false;   // an envelope was committed while fetching or paused
  bool queue_empty_sent_ = false;
  // Live pushes that overtook an earlier queue position, by position (at most
  // max_held_live_pushes). On a cluster the other node's push (through NATS) and one committed
  // here race; the earlier one is usually a fraction of a millisecond behind, far sooner than a
  // queue read answers. A queue read starts anyway, in case it never comes (a bus drops pushes):
  // whichever is first delivers the missing position, in order.
  std::map<std::uint64_t, LivePush> held_;
  // Bytes of pushes handed to the franking stamper and not written yet: they count against the
  // write queue's bound as if written, so that a page of large envelopes never overruns it.
  std::size_t stamping_bytes_ = 0;
};

}  // namespace bulwark::server
