#include "server/bus/nats_bus.h"

#include <spdlog/spdlog.h>

#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "common/overloaded.h"
#include "server/bus/bus_message.h"
#include "server/bus/bus_subjects.h"

namespace bulwark::server {
namespace {

// How long teardown waits for libnats to finish its callbacks before going on regardless.
constexpr std::chrono::seconds teardown_wait{5};

Error nats_error(std::string_view what, natsStatus status) {
  return Error{Errc::network, std::string(what) + ": " + natsStatus_GetText(status)};
}

struct OptionsGuard {
  natsOptions* options = nullptr;
  ~OptionsGuard() { natsOptions_Destroy(options); }
};

// Every setter is called; the first failure is the one reported.
natsStatus configure(natsOptions* out, const NatsBusOptions& options, void* closure,
                     natsErrHandler on_error, natsConnectionHandler on_reconnected,
                     natsConnectionHandler on_closed) {
  const std::string name = "bulwark-" + options.node_id;
  const natsStatus steps[] = {
      natsOptions_SetURL(out, options.url.c_str()),
      natsOptions_SetName(out, name.c_str()),
      natsOptions_SetNoEcho(out, true),
      natsOptions_UseGlobalMessageDelivery(out, true),
      // A push is one small publish on the store's sync thread, and someone waits for it: by
      // default libnats holds a publish up to 1 ms for company before its flusher thread writes
      // it, which was most of what crossing nodes added to delivery (issue 10). Written at once
      // it costs one send() on the sync thread, a few microseconds.
      natsOptions_SetSendAsap(out, true),
      natsOptions_SetAllowReconnect(out, true),
      natsOptions_SetMaxReconnect(out, -1),
      natsOptions_SetReconnectWait(out, options.reconnect_wait.count()),
      natsOptions_SetReconnectBufSize(out, options.reconnect_buffer_bytes),
      natsOptions_SetTimeout(out, options.connect_timeout.count()),
      natsOptions_SetErrorHandler(out, on_error, closure),
      natsOptions_SetReconnectedCB(out, on_reconnected, closure),
      natsOptions_SetClosedCB(out, on_closed, closure),
  };
  for (natsStatus status : steps)
    if (status != NATS_OK) return status;
  return NATS_OK;
}

}  // namespace

NatsBus::NatsBus(Token, LocalBus& local, NatsBusOptions options)
    : local_(local), options_(std::move(options)) {}

Result<std::unique_ptr<NatsBus>> NatsBus::connect(LocalBus& local, NatsBusOptions options) {
  if (options.node_id.empty() || options.node_id.size() > max_node_id_bytes)
    return fail(Errc::invalid_argument, "cluster: node_id must be 1-128 bytes");
  auto bus = std::make_unique<NatsBus>(Token{}, local, std::move(options));
  OptionsGuard guard;
  natsStatus status = natsOptions_Create(&guard.options);
  if (status == NATS_OK)
    status = configure(guard.options, bus->options_, bus.get(), &NatsBus::on_error,
                       &NatsBus::on_reconnected, &NatsBus::on_closed);
  if (status != NATS_OK) return tl::unexpected(nats_error("cluster: NATS options", status));
  status = natsConnection_Connect(&bus->connection_, guard.options);
  if (status != NATS_OK)
    return tl::unexpected(nats_error("cluster: cannot reach NATS at " + bus->options_.url, status));
  bus->confirmer_ = std::thread([raw = bus.get()] { raw->confirm_listening(); });
  return bus;
}

NatsBus::~NatsBus() {
  if (confirmer_.joinable()) {
    {
      std::lock_guard lock(listening_mutex_);
      stopping_ = true;
    }
    listening_wanted_.notify_all();
    confirmer_.join();
  }
  if (connection_ == nullptr) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& [device, subscription] : devices_) unsubscribe(subscription);
    for (auto& [channel, subscription] : channels_) unsubscribe(subscription);
    devices_.clear();
    channels_.clear();
  }
  natsConnection_Close(connection_);
  {
    std::unique_lock lock(done_mutex_);
    if (!done_.wait_for(lock, teardown_wait,
                        [this] { return closed_ && open_subscriptions_ == 0; }))
      spdlog::warn("cluster bus: NATS callbacks did not finish within 5 s of closing");
  }
  natsConnection_Destroy(connection_);
}

// ---- delivery ----

void NatsBus::deliver(store::Envelope&& envelope) {
  if (local_.registry().find(envelope.destination)) return local_.deliver(std::move(envelope));
  send(device_subject(envelope.destination), encode_bus_envelope(envelope),
       counters_.published_device);
}

void NatsBus::deliver_shared(const store::DeviceAddress& device,
                             std::shared_ptr<const SharedEnvelope> envelope, std::uint64_t seq) {
  if (local_.registry().find(device))
    return local_.deliver_shared(device, std::move(envelope), seq);
  send(device_subject(device), encode_bus_shared(device, seq, envelope->id, *envelope->frame),
       counters_.published_device);
}

std::size_t NatsBus::publish(const store::ChannelId& channel,
                             std::shared_ptr<const std::string> frame) {
  // Once per post, whatever the number of nodes: NATS fans it out to the nodes that listen.
  send(channel_subject(channel), encode_bus_channel_frame(channel, *frame),
       counters_.published_channel);
  return local_.publish(channel, std::move(frame));
}

void NatsBus::send(const std::string& subject, const Result<Bytes>& message,
                   std::atomic<std::uint64_t>& sent) {
  if (!message) {
    counters_.dropped_encode++;
    return;
  }
  const natsStatus status = natsConnection_Publish(connection_, subject.c_str(), message->data(),
                                                   static_cast<int>(message->size()));
  if (status != NATS_OK) {
    counters_.dropped_publish++;
    return;
  }
  sent++;
}

// ---- presence and interest ----

void NatsBus::device_online(const store::DeviceAddress& device,
                            const std::shared_ptr<Connection>& connection) {
  local_.device_online(device, connection);
  sync_device(device);
  // After subscribing: the other node's pushes for the device find this node listening.
  send(device_subject(device), encode_bus_displace(device, options_.node_id),
       counters_.published_displace);
}

bool NatsBus::listening_now_or_later(std::function<void()> on_listening) {
  std::lock_guard lock(listening_mutex_);
  if (stopping_ || listening_waiters_.size() >= max_listening_waiters) return true;
  listening_waiters_.push_back(std::move(on_listening));
  listening_wanted_.notify_one();
  return false;
}

void NatsBus::confirm_listening() {
  std::unique_lock lock(listening_mutex_);
  for (;;) {
    listening_wanted_.wait(lock, [this] { return stopping_ || !listening_waiters_.empty(); });
    if (stopping_) return;  // the waiters' connections are closing with the node
    std::vector<std::function<void()>> waiters = std::exchange(listening_waiters_, {});
    lock.unlock();
    // A PING answered by a PONG: NATS has processed every SUB sent before it. Disconnected, the
    // flush fails; libnats sends the subscriptions again on reconnect, and the sessions read
    // their queues now rather than wait for that.
    if (natsConnection_FlushTimeout(connection_, 2000) != NATS_OK) counters_.unconfirmed++;
    for (auto& waiter : waiters) waiter();
    lock.lock();
  }
}

void NatsBus::device_offline(const store::DeviceAddress& device, const Connection* connection) {
  local_.device_offline(device, connection);
  sync_device(device);
}

void NatsBus::close_replaced_device(const store::DeviceAddress& device) {
  if (local_.registry().find(device)) return local_.close_replaced_device(device);
  send(device_subject(device), encode_bus_control({device, BusControl::close_replaced, {}}),
       counters_.published_control);
}

void NatsBus::channel_interest_elsewhere(const store::DeviceAddress& device,
                                         const store::ChannelId& channel, bool join) {
  if (local_.registry().find(device)) return;  // here: the caller's
  const BusControl op = join ? BusControl::join_channel : BusControl::leave_channel;
  send(device_subject(device), encode_bus_control({device, op, channel}),
       counters_.published_control);
}

void NatsBus::on_control(const BusDeviceControl& control) {
  if (control.op == BusControl::close_replaced) return local_.close_replaced_device(control.device);
  auto connection = local_.registry().find(control.device);
  if (!connection) return;
  // On the connection's strand, which drops the work once it has closed, so that a closed
  // connection never stays listed (as join_channel_subscriptions does). The node's bus
  // outlives every connection's strand work: it leaves only after the I/O threads stopped.
  connection->post([this, connection, channel = control.channel, op = control.op] {
    if (op == BusControl::join_channel) return join_channel(channel, connection);
    leave_channel(channel, connection.get());
  });
}

void NatsBus::join_channel(const store::ChannelId& channel,
                           const std::shared_ptr<Connection>& connection) {
  local_.join_channel(channel, connection);
  sync_channel(channel);
}

void NatsBus::leave_channel(const store::ChannelId& channel, const Connection* connection) {
  local_.leave_channel(channel, connection);
  sync_channel(channel);
}

void NatsBus::leave_all_channels(const Connection* connection) {
  for (const store::ChannelId& channel : local_.hub().leave_all(connection)) sync_channel(channel);
}

void NatsBus::sync_device(const store::DeviceAddress& device) {
  std::lock_guard lock(mutex_);
  const bool wanted = local_.registry().find(device) != nullptr;
  auto held = devices_.find(device);
  if (wanted && held == devices_.end()) {
    if (natsSubscription* subscription = subscribe(device_subject(device)))
      devices_.emplace(device, subscription);
  } else if (!wanted && held != devices_.end()) {
    unsubscribe(held->second);
    devices_.erase(held);
  }
}

void NatsBus::sync_channel(const store::ChannelId& channel) {
  std::lock_guard lock(mutex_);
  const bool wanted = local_.hub().online_subscribers(channel) > 0;
  auto held = channels_.find(channel);
  if (wanted && held == channels_.end()) {
    if (natsSubscription* subscription = subscribe(channel_subject(channel)))
      channels_.emplace(channel, subscription);
  } else if (!wanted && held != channels_.end()) {
    unsubscribe(held->second);
    channels_.erase(held);
  }
}

natsSubscription* NatsBus::subscribe(const std::string& subject) {
  natsSubscription* subscription = nullptr;
  natsStatus status = natsConnection_Subscribe(&subscription, connection_, subject.c_str(),
                                               &NatsBus::on_message, this);
  if (status == NATS_OK)
    status = natsSubscription_SetPendingLimits(subscription, options_.pending_messages,
                                               options_.pending_bytes);
  if (status == NATS_OK)
    status = natsSubscription_SetOnCompleteCB(subscription, &NatsBus::on_subscription_done, this);
  if (status != NATS_OK) {
    // Without the subscription the device or channel gets no pushes from other nodes; it still
    // drains from the store (or reads by cursor) on its next connection.
    spdlog::warn("cluster bus: cannot subscribe: {}", natsStatus_GetText(status));
    if (subscription != nullptr) {
      natsSubscription_Unsubscribe(subscription);
      natsSubscription_Destroy(subscription);
    }
    return nullptr;
  }
  {
    std::lock_guard lock(done_mutex_);
    ++open_subscriptions_;
  }
  counters_.subscriptions++;
  return subscription;
}

void NatsBus::unsubscribe(natsSubscription* subscription) {
  // The completion callback runs once the last message callback has returned.
  natsSubscription_Unsubscribe(subscription);
  natsSubscription_Destroy(subscription);
  counters_.subscriptions--;
}

// ---- from NATS (libnats threads) ----

void NatsBus::receive(std::string_view subject, ByteView bytes) {
  auto decoded = decode_bus_message(bytes);
  if (!decoded) {
    counters_.dropped_malformed++;
    return;
  }
  // The subject is what NATS routed by; a body for another address is not trusted.
  const auto from_subject = [&](const std::string& expected) {
    if (expected == subject) return true;
    counters_.dropped_malformed++;
    return false;
  };
  std::visit(Overloaded{
                 [&](store::Envelope& envelope) {
                   if (!from_subject(device_subject(envelope.destination))) return;
                   counters_.received_device++;
                   local_.deliver(std::move(envelope));
                 },
                 [&](BusSharedEnvelope& copy) {
                   if (!from_subject(device_subject(copy.device))) return;
                   counters_.received_device++;
                   auto frame = std::make_shared<const std::string>(std::move(copy.frame));
                   local_.deliver_shared(
                       copy.device,
                       std::make_shared<const SharedEnvelope>(SharedEnvelope{copy.id, frame}),
                       copy.seq);
                 },
                 [&](BusChannelFrame& post) {
                   if (!from_subject(channel_subject(post.channel))) return;
                   counters_.received_channel++;
                   local_.publish(post.channel,
                                  std::make_shared<const std::string>(std::move(post.frame)));
                 },
                 [&](BusDeviceControl& control) {
                   if (!from_subject(device_subject(control.device))) return;
                   counters_.received_control++;
                   on_control(control);
                 },
                 [&](BusDisplace& displace) {
                   if (!from_subject(device_subject(displace.device))) return;
                   counters_.received_displace++;
                   if (displace.node_id != options_.node_id && local_.displace(displace.device))
                     counters_.displaced_here++;
                 },
             },
             *decoded);
}

void NatsBus::on_message(natsConnection*, natsSubscription*, natsMsg* message, void* closure) {
  auto* bus = static_cast<NatsBus*>(closure);
  const int length = natsMsg_GetDataLength(message);
  const char* data = natsMsg_GetData(message);
  bus->receive(natsMsg_GetSubject(message),
               ByteView(reinterpret_cast<const std::byte*>(data),
                        length > 0 && data != nullptr ? static_cast<std::size_t>(length) : 0));
  natsMsg_Destroy(message);
}

void NatsBus::on_error(natsConnection*, natsSubscription*, natsStatus status, void* closure) {
  auto* bus = static_cast<NatsBus*>(closure);
  if (status == NATS_SLOW_CONSUMER) {
    bus->counters_.dropped_slow++;
    return;
  }
  spdlog::warn("cluster bus: NATS: {}", natsStatus_GetText(status));
}

void NatsBus::on_reconnected(natsConnection*, void* closure) {
  static_cast<NatsBus*>(closure)->counters_.reconnects++;
}

void NatsBus::on_closed(natsConnection*, void* closure) {
  auto* bus = static_cast<NatsBus*>(closure);
  std::lock_guard lock(bus->done_mutex_);
  bus->closed_ = true;
  bus->done_.notify_all();
}

void NatsBus::on_subscription_done(void* closure) {
  auto* bus = static_cast<NatsBus*>(closure);
  std::lock_guard lock(bus->done_mutex_);
  --bus->open_subscriptions_;
  bus->done_.notify_all();
}

bool NatsBus::connected() const {
  return natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED;
}

Result<void> NatsBus::flush(std::chrono::milliseconds timeout) {
  const natsStatus status = natsConnection_FlushTimeout(connection_, timeout.count());
  if (status != NATS_OK) return tl::unexpected(nats_error("cluster: NATS flush", status));
  return {};
}

}  // namespace bulwark::server
