#include "server/handlers/group_fanout.h"

#include <memory>
#include <string>

#include "api/proto/api.pb.h"
#include "server/device_session.h"

namespace bulwark::server {
namespace {

std::shared_ptr<const SharedEnvelope> shared_push(const store::GroupSend& send,
                                                  const store::GroupDelivery& delivery) {
  api::Frame frame;
  api::Envelope* out = frame.mutable_push()->mutable_envelope();
  out->set_id(delivery.id.bytes.data(), delivery.id.bytes.size());
  out->set_source_account(send.source_account.bytes.data(), send.source_account.bytes.size());
  out->set_source_device(send.source_device.value());
  out->set_type(static_cast<api::EnvelopeType>(delivery.type));
  out->set_content(delivery.content.data(), delivery.content.size());
  out->set_server_timestamp_ms(static_cast<std::uint64_t>(send.server_timestamp_ms));
  out->set_client_timestamp_ms(static_cast<std::uint64_t>(send.client_timestamp_ms));
  out->set_group_id(send.group_id.data(), send.group_id.size());
  out->set_group_epoch(send.epoch);
  auto serialised = std::make_shared<std::string>();
  frame.SerializeToString(serialised.get());
  return std::make_shared<const SharedEnvelope>(SharedEnvelope{delivery.id, std::move(serialised)});
}

}  // namespace

void push_group_copies(Bus& bus, const store::GroupSend& send,
                       const store::GroupSendOutcome& outcome) {
  for (std::size_t i = 0; i < outcome.queued.size() && i < send.deliveries.size(); ++i) {
    // Serialised once, when the first device may be reachable.
    std::shared_ptr<const SharedEnvelope> shared;
    for (const store::QueuedCopy& copy : outcome.queued[i]) {
      if (!bus.may_reach(copy.device)) continue;
      if (!shared) shared = shared_push(send, send.deliveries[i]);
      bus.deliver_shared(copy.device, shared, copy.seq);
    }
  }
}

}  // namespace bulwark::server
