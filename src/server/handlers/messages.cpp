// Sends: one envelope per recipient device, checked against the recipient's device list,
// made durable before the sender hears OK, then pushed to the devices that are online.
#include <algorithm>
#include <set>

#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "franking/tag.h"
#include "server/bus/bus.h"
#include "server/device_session.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/moderation_effects.h"
#include "server/handlers/respond.h"

namespace bulwark::server {
namespace {

enum class SendCheck { stored, no_account, mismatched, stale, suspended };

struct SendOutcome {
  SendCheck check = SendCheck::stored;
  std::vector<std::uint32_t> missing, extra, stale;
  std::vector<store::Envelope> envelopes;
  std::string problem;  // SendCheck::suspended: why
};

// Runs on the store thread, inside the batch's transaction: the device-list check and the
// enqueue see the same state.
Result<void> check_and_enqueue(store::Store& store, const store::DeviceAddress& sender,
                               const store::AccountId& recipient,
                               const std::map<std::uint32_t, std::uint32_t>& registration_ids,
                               SendOutcome& outcome) {
  // Runs again from the start when its group of jobs is rolled back (Store::JobRerun): nothing
  // of an earlier run may remain.
  outcome.check = SendCheck::stored;
  outcome.missing.clear();
  outcome.extra.clear();
  outcome.stale.clear();
  outcome.problem.clear();
  // A suspended account reads and appeals but sends nothing (docs/MODERATION.md).
  if (auto suspended = BULWARK_TRY(account_suspended(store, sender.account))) {
    outcome.check = SendCheck::suspended;
    outcome.problem = std::move(*suspended);
    return {};
  }
  // device_registrations() answers not_found for an account that does not exist: one narrow
  // query instead of reading the account first (this runs for every message).
  auto devices = store.device_registrations(recipient);
  if (!devices && devices.error().code == Errc::not_found) {
    outcome.check = SendCheck::no_account;
    return {};
  }
  if (!devices) return tl::unexpected(std::move(devices).error());
  std::set<std::uint32_t> required;
  for (const store::DeviceRegistration& device : *devices) {
    // A device never sends to itself; its own account's other devices it does address.
    if (recipient == sender.account && device.id == sender.device) continue;
    required.insert(device.id.value());
    auto given = registration_ids.find(device.id.value());
    if (given != registration_ids.end() && given->second != device.registration_id.value())
      outcome.stale.push_back(device.id.value());
  }
  for (std::uint32_t id : required)
    if (!registration_ids.contains(id)) outcome.missing.push_back(id);
  for (const auto& [id, registration] : registration_ids)
    if (!required.contains(id)) outcome.extra.push_back(id);
  if (!outcome.missing.empty() || !outcome.extra.empty()) {
    outcome.check = SendCheck::mismatched;
    return {};
  }
  if (!outcome.stale.empty()) {
    outcome.check = SendCheck::stale;
    return {};
  }
  BULWARK_TRY(store.enqueue(outcome.envelopes));
  outcome.check = SendCheck::stored;
  return {};
}

void answer(DeviceSession& session, std::uint64_t id, const SendOutcome& outcome,
            std::int64_t server_time) {
  api::Response response = ok_response(id);
  switch (outcome.check) {
    case SendCheck::no_account:
      return session.respond_status(id, api::NOT_FOUND, "no such recipient");
    case SendCheck::suspended:
      return session.respond_status(id, api::BAD_REQUEST, outcome.problem);
    case SendCheck::mismatched: {
      response.set_status(api::MISMATCHED_DEVICES);
      response.set_message("the recipient's devices differ from the envelopes");
      auto* out = response.mutable_mismatched_devices();
      for (auto device : outcome.missing) out->add_missing_devices(device);
      for (auto device : outcome.extra) out->add_extra_devices(device);
      return session.respond(response);
    }
    case SendCheck::stale: {
      response.set_status(api::STALE_DEVICES);
      response.set_message("some devices were re-registered");
      for (auto device : outcome.stale) response.mutable_stale_devices()->add_stale_devices(device);
      return session.respond(response);
    }
    case SendCheck::stored: break;
  }
  response.mutable_send()->set_server_timestamp_ms(static_cast<std::uint64_t>(server_time));
  session.respond(response);
}

// Checks the device list and stores the envelopes in the store's batch; the sender hears OK
// once they are durable.
void store_send(DeviceSession& session, std::uint64_t id, const store::DeviceAddress& sender,
                const store::AccountId& target,
                std::map<std::uint32_t, std::uint32_t> registration_ids,
                const std::shared_ptr<SendOutcome>& outcome, std::int64_t now) {
  session.with_store(id, [sender, target, registration_ids = std::move(registration_ids), outcome](
                             store::Store& store) {
    return check_and_enqueue(store, sender, target, registration_ids, *outcome);
  }, [&session, id, outcome, now](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    answer(session, id, *outcome, now);
  }, [bus = session.context().bus, &metrics = session.context().metrics, outcome](const Result<void>& result) {
    // On the store's sync thread, in commit order, once durable, so that each device sees its
    // queue in seq order (and counted here, so that a sender gone before its answer is still
    // counted).
    if (result && (outcome->check == SendCheck::mismatched || outcome->check == SendCheck::stale))
      metrics.sends_refused_device_list++;
    if (!result || outcome->check != SendCheck::stored) return;
    metrics.messages_accepted++;
    metrics.envelopes_stored += outcome->envelopes.size();
    // The sender's answer needs only the check, so the envelopes move to their devices.
    for (store::Envelope& envelope : outcome->envelopes) bus->deliver(std::move(envelope));
  }, store::Store::JobRerun::allowed);
}

}  // namespace

void handle_send(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::SendMessage& send = request.send();
  auto recipient = account_id_from(send.recipient());
  if (!recipient) return respond_error(session, id, recipient.error());
  if (send.envelopes_size() == 0 ||
      static_cast<std::size_t>(send.envelopes_size()) > api::max_devices_per_account)
    return session.respond_status(id, api::BAD_REQUEST, "a send carries 1-16 envelopes");
  store::DeviceAddress sender = *session.device();
  auto decision = context.limiters.take(Limit::sends_per_account, account_text(sender.account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);

  if (!send.franking_tag().empty() && send.franking_tag().size() != franking::tag_bytes)
    return session.respond_status(id, api::BAD_REQUEST, "a franking tag is 32 bytes");

  auto outcome = std::make_shared<SendOutcome>();
  std::map<std::uint32_t, std::uint32_t> registration_ids;
  const std::int64_t now = context.now_ms();
  const std::int64_t expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(
                                         context.config.queue_retention).count();
  for (const api::OutgoingEnvelope& in : send.envelopes()) {
    if (in.content().empty() || in.content().size() > api::max_envelope_content_bytes)
      return session.respond_status(id, api::TOO_LARGE, "envelope content must be 1 byte to 256 KiB");
    if (in.type() != api::CIPHERTEXT && in.type() != api::PREKEY_MESSAGE)
      return session.respond_status(id, api::BAD_REQUEST, "unknown envelope type");
    if (!registration_ids.emplace(in.device_id(), in.registration_id()).second)
      return session.respond_status(id, api::BAD_REQUEST, "two envelopes for one device");
    store::Envelope envelope;
    context.envelope_ids.fill(context.rng, envelope.id.bytes);
    envelope.destination = {*recipient, DeviceId(in.device_id())};
    envelope.source_account = sender.account;
    envelope.source_device = sender.device;
    envelope.type = static_cast<std::uint32_t>(in.type());
    envelope.content.assign(reinterpret_cast<const std::byte*>(in.content().data()),
                            reinterpret_cast<const std::byte*>(in.content().data()) +
                                in.content().size());
    envelope.server_timestamp_ms = now;
    envelope.client_timestamp_ms = static_cast<std::int64_t>(send.client_timestamp_ms());
    envelope.expires_at_ms = expires;
    // Only the tag waits in the queue: the stamp is made as the envelope leaves for its device
    // (DeviceSession::push).
    envelope.franking_tag = to_bytes(as_bytes(send.franking_tag()));
    outcome->envelopes.push_back(std::move(envelope));
  }
  store_send(session, id, sender, *recipient, std::move(registration_ids), outcome, now);
}

}  // namespace bulwark::server
