#include "server/device_session.h"

#include <cstring>

#include <spdlog/spdlog.h>

#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "franking/stamp.h"
#include "server/bus/bus.h"
#include "server/franking_stamper.h"
#include "server/handlers/handlers.h"

namespace bulwark::server {
namespace {

// Before authentication a connection may make only a few requests (asking for a code,
// registering, authenticating): enough for any client, too few to probe anything at scale.
constexpr std::uint32_t max_pre_auth_requests = 8;
// A client that keeps sending undecodable frames is broken or hostile.
constexpr std::uint32_t max_malformed_frames = 3;
// Queue reads: a page at a time, never more than the unacknowledged window allows.
constexpr std::uint32_t queue_page = 100;
// Live pushes held for an earlier position still on its way: a handful covers two nodes' race;
// more than that means the bus lost something, and the queue read delivers them all.
constexpr std::size_t max_held_live_pushes = 16;

std::shared_ptr<const std::string> serialise(const api::Frame& frame) {
  auto out = std::make_shared<std::string>();
  frame.SerializeToString(out.get());
  return out;
}

store::EnvelopeId envelope_id_from(std::string_view bytes) {
  store::EnvelopeId id;
  std::memcpy(id.bytes.data(), bytes.data(), id.bytes.size());
  return id;
}

}  // namespace

DeviceSession::DeviceSession(ServerContext& context, Connection& connection)
    : context_(context), connection_(connection), challenge_(api::challenge_nonce_bytes) {}

DeviceSession::~DeviceSession() = default;

void DeviceSession::start() {
  context_.rng.fill(challenge_);
  api::Frame frame;
  api::Challenge* challenge = frame.mutable_push()->mutable_challenge();
  challenge->set_nonce(challenge_.data(), challenge_.size());
  challenge->set_server_time_ms(static_cast<std::uint64_t>(context_.now_ms()));
  connection_.write(serialise(frame));
}

void DeviceSession::stop() {
  if (context_.bus == nullptr) return;
  if (device_) context_.bus->device_offline(*device_, &connection_);
  context_.bus->leave_all_channels(&connection_);
}

void DeviceSession::on_message(std::string_view bytes) {
  context_.metrics.frames_received++;
  api::Frame frame;
  if (!frame.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    context_.metrics.frames_malformed++;
    if (++malformed_frames_ >= max_malformed_frames) {
      connection_.close("too many malformed frames");
      return;
    }
    respond_status(0, api::BAD_REQUEST, "malformed frame");
    return;
  }
  if (frame.has_ack()) {
    std::vector<std::string> ids(frame.ack().envelope_ids().begin(),
                                 frame.ack().envelope_ids().end());
    on_ack(ids);
    return;
  }
  if (!frame.has_request()) {
    respond_status(0, api::BAD_REQUEST, "expected a request or an ack");
    return;
  }
  // Before authentication the address is all there is to limit by; after it, the account's
  // own limits apply (sends, lookups), so that many people behind one NAT are not throttled
  // together.
  if (!device_) {
    auto decision = context_.limiters.take(Limit::requests_per_ip, connection_.remote_ip());
    if (!decision.allowed) {
      context_.metrics.requests_rate_limited++;
      respond_status(frame.request().id(), api::RATE_LIMITED, "too many requests",
                     static_cast<std::uint64_t>(decision.retry_after.count()));
      return;
    }
  }
  on_request(frame.request());
}

void DeviceSession::on_request(const api::Request& request) {
  using Body = api::Request::BodyCase;
  if (context_.shutting_down) {
    respond_status(request.id(), api::UNAVAILABLE, "server is shutting down");
    return;
  }
  if (!device_) {
    if (++pre_auth_requests_ > max_pre_auth_requests) {
      connection_.close("too many requests before authentication");
      return;
    }
    switch (request.body_case()) {
      case Body::kRequestCode: return handle_request_code(*this, request);
      case Body::kRegister: return handle_register(*this, request);
      case Body::kAuthenticate: return handle_authenticate(*this, request);
      case Body::BODY_NOT_SET:
        return respond_status(request.id(), api::BAD_REQUEST, "empty request");
      default:
        return respond_status(request.id(), api::UNAUTHENTICATED, "authenticate first");
    }
  }
  switch (request.body_case()) {
    case Body::kSetUsername: return handle_set_username(*this, request);
    case Body::kSetDiscoverable: return handle_set_discoverable(*this, request);
    case Body::kLookup: return handle_lookup(*this, request);
    case Body::kUploadPreKeys: return handle_upload_pre_keys(*this, request);
    case Body::kGetPreKeyCounts: return handle_get_pre_key_counts(*this, request);
    case Body::kGetPreKeyBundles: return handle_get_pre_key_bundles(*this, request);
    case Body::kSend: return handle_send(*this, request);
    case Body::kWhoami: return handle_whoami(*this, request);
    case Body::kAddDevice: return handle_add_device(*this, request);
    case Body::kKtConfig: return handle_kt_config(*this, request);
    case Body::kKtSearch: return handle_kt_search(*this, request);
    case Body::kKtCheckpoint: return handle_kt_checkpoint(*this, request);
    case Body::kChannelCreate: return handle_channel_create(*this, request);
    case Body::kChannelAppend: return handle_channel_append(*this, request);
    case Body::kChannelInfo: return handle_channel_info(*this, request);
    case Body::kChannelSubscribe: return handle_channel_subscribe(*this, request);
    case Body::kChannelUnsubscribe: return handle_channel_unsubscribe(*this, request);
    case Body::kChannelRead: return handle_channel_read(*this, request);
    case Body::kChannelViewed: return handle_channel_viewed(*this, request);
    case Body::kChannelList: return handle_channel_list(*this, request);
    case Body::kReportMessage: return handle_report_message(*this, request);
    case Body::kModerationReport: return handle_moderation_report(*this, request);
    case Body::kModerationNotices: return handle_moderation_notices(*this, request);
    case Body::kModerationAppeal: return handle_moderation_appeal(*this, request);
    case Body::kLawfulNotices: return handle_lawful_notices(*this, request);
    case Body::kUploadKeyPackages: return handle_upload_key_packages(*this, request);
    case Body::kGetKeyPackageCounts: return handle_get_key_package_counts(*this, request);
    case Body::kTakeKeyPackages: return handle_take_key_packages(*this, request);
    case Body::kCreateGroup: return handle_create_group(*this, request);
    case Body::kSendGroupCommit: return handle_send_group_commit(*this, request);
    case Body::kSendGroupMessage: return handle_send_group_message(*this, request);
    case Body::kRequestCode:
    case Body::kRegister:
    case Body::kAuthenticate:
      return respond_status(request.id(), api::BAD_REQUEST, "already authenticated");
    case Body::BODY_NOT_SET:
      return respond_status(request.id(), api::BAD_REQUEST, "empty request");
  }
  respond_status(request.id(), api::BAD_REQUEST, "unknown request");
}

void DeviceSession::respond(const api::Response& response) {
  api::Frame frame;
  *frame.mutable_response() = response;
  connection_.write(serialise(frame));
}

void DeviceSession::respond(api::Response&& response) {
  api::Frame frame;
  frame.mutable_response()->Swap(&response);  // a read's answer is up to 512 KiB: no copy
  connection_.write(serialise(frame));
}

void DeviceSession::respond_status(std::uint64_t id, int status, std::string_view message,
                                   std::uint64_t retry_after_ms) {
  api::Response response;
  response.set_id(id);
  response.set_status(static_cast<api::Status>(status));
  response.set_message(std::string(message));
  response.set_retry_after_ms(retry_after_ms);
  respond(response);
}

void DeviceSession::read_store(std::uint64_t request_id, store::Store::Job job,
                               std::function<void(Result<void>)> then) {
  submit_store(request_id, std::move(job), std::move(then), {},
               StoreExecutor::Access::read_only);
}

void DeviceSession::with_store(std::uint64_t request_id, store::Store::Job job,
                               std::function<void(Result<void>)> then,
                               std::function<void(const Result<void>&)> in_commit_order,
                               store::Store::JobRerun rerun) {
  submit_store(request_id, std::move(job), std::move(then), std::move(in_commit_order),
               StoreExecutor::Access::write, rerun);
}

void DeviceSession::submit_store(std::uint64_t request_id, store::Store::Job job,
                                 std::function<void(Result<void>)> then,
                                 std::function<void(const Result<void>&)> in_commit_order,
                                 StoreExecutor::Access access, store::Store::JobRerun rerun) {
  auto self = connection_.shared_from_this();
  bool queued = context_.store.submit(std::move(job), [self, then = std::move(then),
                                                       first = std::move(in_commit_order)](
                                                          Result<void> result) mutable {
    // The answer is posted before `first` runs: `first` may queue work for thousands of other
    // connections (a channel post's fan-out), and on a busy I/O thread this answer would wait
    // behind all of it.
    const Result<void> copy = result;
    self->post([then = std::move(then), result = std::move(result)]() mutable {
      then(std::move(result));
    });
    if (first) first(copy);
  }, access, rerun);
  if (!queued) {
    context_.metrics.store_unavailable++;
    respond_status(request_id, api::UNAVAILABLE, "server busy, retry");
  }
}

void DeviceSession::authenticated(const store::DeviceAddress& device) {
  device_ = device;
  context_.metrics.connections_authenticated++;
  // Closes an older connection of the device, here or on another node.
  context_.bus->device_online(device, connection_.shared_from_this());
  join_channel_subscriptions(*this);
  // The queue is read once the bus listens for the device: every envelope is then either in
  // that read or pushed after it (in cluster mode, by whichever node committed it).
  auto self = connection_.shared_from_this();
  if (context_.bus->listening_now_or_later(
          [self] { self->post([self] { self->session().fetch_queue(); }); }))
    fetch_queue();
}

// ---- delivery ----

bool DeviceSession::can_push() const {
  // Delivery pauses at half the write-queue bound, so that pushes alone never make the
  // connection look like a slow reader.
  return unacked_.size() < context_.config.max_unacked_envelopes &&
         connection_.queued_write_bytes() + stamping_bytes_ <
             context_.config.max_outgoing_queue_bytes / 2;
}

void DeviceSession::push(const store::Envelope& envelope) {
  auto frame = std::make_shared<api::Frame>();
  api::Envelope* out = frame->mutable_push()->mutable_envelope();
  out->set_id(envelope.id.bytes.data(), envelope.id.bytes.size());
  out->set_source_account(envelope.source_account.bytes.data(),
                          envelope.source_account.bytes.size());
  out->set_source_device(envelope.source_device.value());
  out->set_type(static_cast<api::EnvelopeType>(envelope.type));
  out->set_content(envelope.content.data(), envelope.content.size());
  out->set_server_timestamp_ms(static_cast<std::uint64_t>(envelope.server_timestamp_ms));
  out->set_client_timestamp_ms(static_cast<std::uint64_t>(envelope.client_timestamp_ms));
  if (!envelope.group_id.empty()) {
    out->set_group_id(envelope.group_id.data(), envelope.group_id.size());
    out->set_group_epoch(envelope.group_epoch);
  }
  unacked_.emplace(envelope.id, envelope.seq);
  last_pushed_seq_ = envelope.seq;
  context_.metrics.envelopes_pushed++;
  // The stamp is made now, as the envelope leaves for its device (docs/FRANKING.md): the queue
  // keeps only the tag. Every push goes through the stamper, franked or not, so a device's
  // frames keep their order.
  FrankingStamper::Request request;
  if (envelope.franking_tag.size() == franking::tag_bytes) {
    out->set_franking_tag(envelope.franking_tag.data(), envelope.franking_tag.size());
    request.tag.emplace();
    std::copy(envelope.franking_tag.begin(), envelope.franking_tag.end(), request.tag->begin());
    request.sender = envelope.source_account.bytes;
    request.recipient = envelope.destination.account.bytes;
  }
  const std::size_t bytes = frame->ByteSizeLong();
  stamping_bytes_ += bytes;
  context_.stamper->stamp(connection_.shared_from_this(), std::move(request),
                          [this, frame, bytes](Result<std::optional<BatchedStamp>> stamp) {
    stamping_bytes_ -= bytes;
    if (!stamp) {
      // Unstamped, the device would drop the message as unreportable: it stays queued, and the
      // device takes it again once it reconnects.
      spdlog::error("message franking: stamping failed: {}", stamp.error().describe());
      return connection_.close("message franking is unavailable, reconnect");
    }
    if (*stamp) {
      const franking::StampBatch& batch = *(*stamp)->batch;
      std::string* field = frame->mutable_push()->mutable_envelope()->mutable_franking_stamp();
      field->resize(batch.encoded_bytes());
      batch.encode_into((*stamp)->index,
                        std::as_writable_bytes(std::span(field->data(), field->size())));
    }
    connection_.write(serialise(*frame));
  });
}

// A push without an envelope (QueueEmpty), in order behind the envelopes waiting for stamps.
void DeviceSession::push_in_order(std::shared_ptr<const std::string> frame) {
  const std::size_t bytes = frame->size();
  stamping_bytes_ += bytes;
  context_.stamper->stamp(connection_.shared_from_this(), {},
                          [this, frame, bytes](Result<std::optional<BatchedStamp>>) {
                            stamping_bytes_ -= bytes;
                            connection_.write(frame);
                          });
}

void DeviceSession::fetch_queue() {
  if (fetching_ || !device_) return;
  if (!can_push()) {
    more_pending_ = true;  // resumed by acknowledgements
    return;
  }
  fetching_ = true;
  more_pending_ = false;
  auto page = std::make_shared<std::vector<store::Envelope>>();
  auto limit = std::min<std::uint32_t>(
      queue_page, context_.config.max_unacked_envelopes - static_cast<std::uint32_t>(unacked_.size()));
  store::DeviceAddress device = *device_;
  std::uint64_t after = last_pushed_seq_;
  // Every push held now was committed before this read runs, and so are the positions before
  // it: a complete read either brings them or shows they are gone (expired).
  const std::uint64_t covers = held_.empty() ? 0 : held_.rbegin()->first;
  with_store(0, [page, device, after, limit](store::Store& store) -> Result<void> {
    *page = BULWARK_TRY(store.queued(device, after, limit));
    return {};
  }, [this, page, limit, covers](Result<void> result) {
    fetching_ = false;
    if (!result) {
      spdlog::warn("queue read failed: {}", result.error().describe());
      connection_.close("server error, reconnect");
      return;
    }
    for (const store::Envelope& envelope : *page) {
      if (!can_push()) {
        more_pending_ = true;  // the rest waits for acknowledgements
        return;
      }
      if (envelope.seq > last_pushed_seq_) push(envelope);
    }
    push_held();
    if (page->size() < limit) held_.erase(held_.begin(), held_.upper_bound(covers));
    // A position before a held push is still missing: it was committed after this read ran,
    // and its push may never come.
    if (!held_.empty()) more_pending_ = true;
    if (page->size() == limit || more_pending_) return fetch_queue();
    if (!queue_empty_sent_) {
      queue_empty_sent_ = true;
      api::Frame frame;
      frame.mutable_push()->mutable_queue_empty();
      push_in_order(serialise(frame));
    }
  }, {}, store::Store::JobRerun::allowed);  // it reads, and assigns what it read
}

void DeviceSession::on_live_push(std::uint64_t seq, LivePush live) {
  if (!device_ || seq <= last_pushed_seq_) return;  // pushed already, by a queue read
  if (!queue_empty_sent_ || !can_push()) {
    // Still draining, or paused for acknowledgements: the queue read that follows has it.
    more_pending_ = true;
    if (!fetching_ && can_push()) fetch_queue();
    return;
  }
  // Queue positions count up by one per device in commit order, but on a cluster a push from
  // another node (through the bus) and one committed here take different paths, so the later
  // commit can arrive first. Pushing it would make the earlier one look already pushed.
  if (seq != last_pushed_seq_ + 1) return hold_out_of_order(seq, std::move(live));
  // The next position: nothing before it is unpushed, whatever a queue read in flight brings.
  push_live(seq, live);
  push_held();
}

void DeviceSession::push_live(std::uint64_t seq, const LivePush& live) {
  if (live.envelope) return push(*live.envelope);
  unacked_.emplace(live.shared->id, seq);
  last_pushed_seq_ = seq;
  context_.metrics.envelopes_pushed++;
  // Group envelopes carry no franking tag: nothing to stamp, only the order to keep.
  push_in_order(live.shared->frame);
}

void DeviceSession::hold_out_of_order(std::uint64_t seq, LivePush live) {
  context_.metrics.live_pushes_out_of_order++;
  if (held_.size() < max_held_live_pushes)
    held_.emplace(seq, std::move(live));
  else
    more_pending_ = true;  // the queue read brings it
  if (fetching_) return;  // the read in flight, or the one after it, covers the gap
  context_.metrics.queue_reads_for_gap++;
  fetch_queue();
}

void DeviceSession::push_held() {
  while (!held_.empty()) {
    auto next = held_.begin();
    if (next->first > last_pushed_seq_ + 1) return;  // a gap: wait for it or for the read
    if (next->first == last_pushed_seq_ + 1) {
      if (!can_push()) {
        more_pending_ = true;  // read again once acknowledged; the read brings these
        held_.clear();
        return;
      }
      context_.metrics.live_pushes_reordered++;
      push_live(next->first, next->second);
    }
    held_.erase(next);
  }
}

void DeviceSession::on_envelope(std::shared_ptr<const store::Envelope> envelope) {
  const std::uint64_t seq = envelope->seq;
  on_live_push(seq, LivePush{std::move(envelope), nullptr});
}

void DeviceSession::on_shared_envelope(std::shared_ptr<const SharedEnvelope> envelope,
                                       std::uint64_t seq) {
  on_live_push(seq, LivePush{nullptr, std::move(envelope)});
}

void DeviceSession::on_ack(const std::vector<std::string>& ids) {
  if (!device_ || ids.size() > api::max_acks_per_frame) {
    respond_status(0, api::BAD_REQUEST, "ack before authentication or too many ids");
    return;
  }
  std::vector<std::uint64_t> acked;
  for (const std::string& id : ids) {
    if (id.size() != api::envelope_id_bytes) continue;
    const auto pushed = unacked_.find(envelope_id_from(id));
    if (pushed == unacked_.end()) continue;
    acked.push_back(pushed->second);
    unacked_.erase(pushed);
  }
  if (acked.empty()) return;
  context_.metrics.envelopes_acked += acked.size();
  if (!context_.store.submit_delete(*device_, std::move(acked))) {
    // Stopping or failed: delivered again on the next connection, dropped as a duplicate.
    context_.metrics.store_unavailable++;
  }
  if (more_pending_ && !fetching_) fetch_queue();
}

}  // namespace bulwark::server
