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
  void with_store(std::uint64_t request_id, store::Store::Job job,
                  std::function<void(Result<void>)> then,
                  std::function<void(const Result<void>&)> in_commit_order = {});
  // with_store for a job that only reads: it skips the store's commit window and, when
  // nothing committed is waiting for the disk, the sync thread (StoreExecutor::Access).
  void read_store(std::uint64_t request_id, store::Store::Job job,
                  std::function<void(Result<void>)> then);

 private:
  void submit_store(std::uint64_t request_id, store::Store::Job job,
                    std::function<void(Result<void>)> then,
                    std::function<void(const Result<void>&)> in_commit_order,
                    StoreExecutor::Access access);
  void on_request(const api::Request& request);
  void on_ack(const std::vector<std::string>& ids);
  void fetch_queue();
  void push(const store::Envelope& envelope);
  // Writes `frame` once the pushes before it are written (they wait for franking stamps).
  void push_in_order(std::shared_ptr<const std::string> frame);
  // Whether a committed envelope (`id` at `seq`) must not be pushed now: it waits for a queue
  // read (started here), or it was pushed already.
  [[nodiscard]] bool defer_live_push(const store::EnvelopeId& id, std::uint64_t seq);
  [[nodiscard]] bool can_push() const;

  ServerContext& context_;
  Connection& connection_;
  Bytes challenge_;
  std::optional<store::DeviceAddress> device_;
  std::uint32_t pre_auth_requests_ = 0;
  std::uint32_t malformed_frames_ = 0;

  // Delivery state.
  std::uint64_t last_pushed_seq_ = 0;
  // In a cluster, nodes publish pushes for one device on separate NATS connections, so a push
  // can arrive after one with a higher seq. Such a late push that cannot go out at once makes
  // the next queue read start after this seq instead of last_pushed_seq_; no_rewind otherwise.
  static constexpr std::uint64_t no_rewind = UINT64_MAX;
  std::uint64_t rewind_after_ = no_rewind;
  // Pushed and not yet acknowledged: id -> queue position, which is what the delete needs.
  std::map<store::EnvelopeId, std::uint64_t> unacked_;
  bool fetching_ = false;       // a queue read is in flight
  bool more_pending_ = false;   // an envelope was committed while fetching or paused
  bool queue_empty_sent_ = false;
  // Bytes of pushes handed to the franking stamper and not written yet: they count against the
  // write queue's bound as if written, so that a page of large envelopes never overruns it.
  std::size_t stamping_bytes_ = 0;
};

}  // namespace bulwark::server
