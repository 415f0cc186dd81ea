// Receiving: drain the device's queue and wait for more. Each envelope is decrypted and
// committed (session, inbox, envelope id) in one local transaction before it is acknowledged.
#include "client/content.h"
#include "client/detail/channel_ops.h"
#include "client/detail/client_impl.h"
#include "client/detail/franking_ops.h"
#include "client/detail/group_ops.h"
#include "client/display_name.h"
#include "client/uuid.h"
#include "common/bytes.h"
#include "common/secret_bytes.h"
#include "protocol/message.h"
#include "protocol/session/session_cipher.h"

namespace bulwark::client {
namespace {

// After this many prekey messages in one run, top up the server's one-time keys.
constexpr int replenish_every = 50;

enum class Outcome { delivered, duplicate, untrusted, undecryptable };

struct Handled {
  Outcome outcome = Outcome::delivered;
  InboxMessage message;
  std::string detail;
};

std::optional<protocol::CiphertextType> type_of(api::EnvelopeType type) {
  if (type == api::PREKEY_MESSAGE) return protocol::CiphertextType::prekey;
  if (type == api::CIPHERTEXT) return protocol::CiphertextType::whisper;
  return std::nullopt;
}

// For an untrusted identity: remember the key that was offered, so `trust` can accept it.
void note_offered_key(Client::Impl& impl, const protocol::ProtocolAddress& address,
                      const api::Envelope& envelope) {
  if (envelope.type() != api::PREKEY_MESSAGE) return;
  auto message = protocol::PreKeySignalMessage::parse(as_bytes(envelope.content()));
  if (message) (void)impl.store->note_untrusted_identity(address, message->fields().identity_key);
}

Result<Handled> handle(Client::Impl& impl, const api::Envelope& envelope) {
  Handled handled;
  ByteView id = as_bytes(envelope.id());
  if (BULWARK_TRY(impl.store->envelope_seen(id))) {
    handled.outcome = Outcome::duplicate;
    return handled;
  }
  auto type = type_of(envelope.type());
  auto address = protocol_address(as_bytes(envelope.source_account()), DeviceId(envelope.source_device()));
  if (!type || !address) {
    handled.outcome = Outcome::undecryptable;
    handled.detail = "malformed envelope";
    return handled;
  }
  // Outside the transaction: on a device registered before franking it asks the server.
  const crypto::Ed25519PublicKey server_key = BULWARK_TRY(detail::franking_server_key(impl));
  const Bytes self = impl.account->account_id;
  Result<void> committed = impl.store->transaction([&]() -> Result<void> {
    Bytes plaintext = BULWARK_TRY(protocol::decrypt_message(*type, as_bytes(envelope.content()),
                                                            *address, impl.stores(), impl.rng));
    Content content = BULWARK_TRY(decode_content(plaintext));
    secure_wipe(plaintext);
    // A message that does not open its franking tag, or whose stamp is not the server's, is
    // dropped: what the user reads must be what they can report.
    InboxFranking franking = BULWARK_TRY(detail::check_incoming(server_key, envelope, content, self));
    Bytes sender = to_bytes(as_bytes(envelope.source_account()));
    auto known = BULWARK_TRY(impl.store->contact(sender));
    // A claim fills in a missing name; it never replaces one this client looked up itself.
    std::optional<std::string> phone = known && known->phone ? known->phone : std::nullopt;
    std::optional<std::string> username = known && known->username ? known->username : std::nullopt;
    if (!phone && !content.sender_phone.empty()) phone = content.sender_phone;
    if (!username && !content.sender_username.empty()) username = content.sender_username;
    BULWARK_TRY(impl.store->upsert_contact_names(sender, phone, username));
    InboxMessage& message = handled.message;
    message.envelope_id = to_bytes(id);
    message.sender_account = sender;
    message.sender_device = envelope.source_device();
    message.body = std::move(content.body);
    message.sent_at_ms = content.sent_at_ms;
    message.received_at_ms = static_cast<std::int64_t>(envelope.server_timestamp_ms());
    message.seq = BULWARK_TRY(impl.store->add_to_inbox(message));
    franking.seq = message.seq;
    BULWARK_TRY(impl.store->add_inbox_franking(franking));
    return impl.store->mark_envelope_seen(id, impl.now_ms());
  });
  if (committed) return handled;
  switch (committed.error().code) {
    case Errc::storage: return tl::unexpected(committed.error());  // keep it on the server
    case Errc::untrusted_identity:
      note_offered_key(impl, *address, envelope);
      handled.outcome = Outcome::untrusted;
      break;
    case Errc::duplicate_message: handled.outcome = Outcome::duplicate; break;
    default: handled.outcome = Outcome::undecryptable; break;
  }
  handled.detail = committed.error().describe();
  return handled;
}

Result<ReceivedMessage> to_received(Client::Impl& impl, const InboxMessage& message) {
  ReceivedMessage out;
  out.envelope_id = to_hex(message.envelope_id);
  out.sender_account = BULWARK_TRY(format_uuid(message.sender_account));
  out.sender_device = message.sender_device;
  auto contact = BULWARK_TRY(impl.store->contact(message.sender_account));
  if (contact) {
    out.sender_phone = contact->phone;
    out.sender_username = contact->username;
  }
  out.body = message.body;
  out.sent_at_ms = message.sent_at_ms;
  out.received_at_ms = message.received_at_ms;
  return out;
}

// Shows a committed message and marks it shown; false when the caller wants to stop.
Result<bool> show(Client::Impl& impl, const InboxMessage& message,
                  const std::function<bool(const ReceiveEvent&)>& on_event) {
  ReceiveEvent event;
  event.kind = ReceiveEvent::Kind::message;
  event.message = BULWARK_TRY(to_received(impl, message));
  event.sender_account = event.message->sender_account;
  bool more = on_event(event);
  BULWARK_TRY(impl.store->mark_shown(message.seq));
  return more;
}

// A group envelope: handled and committed, acknowledged, then its events shown. Proposals
// that ask for a commit (a member left) are committed here, at once, so that a member who left
// does not linger; a failure to do so is shown, not fatal (the next member's commit will do).
Result<bool> receive_group_envelope(Client::Impl& impl, ServerConnection& server,
                                    const api::Envelope& envelope,
                                    const std::function<bool(const ReceiveEvent&)>& on_event) {
  auto commit_for = BULWARK_TRY(detail::handle_group_envelope(impl, envelope));
  std::string id = envelope.id();
  BULWARK_TRY(server.ack(std::span<const std::string>(&id, 1)));
  // A join used one of this device's KeyPackages: top up now (best effort, as on connect).
  if (envelope.type() == api::MLS_WELCOME) (void)detail::replenish_key_packages(impl);
  if (commit_for) {
    auto committed = detail::commit_pending_proposals(impl, *commit_for);
    if (!committed) {
      if (committed.error().code == Errc::storage) return tl::unexpected(committed.error());
      ReceiveEvent event;
      event.kind = ReceiveEvent::Kind::group_event;
      event.group_event = GroupEvent{};
      event.group_event->kind = GroupEvent::Kind::problem;
      event.group_event->group_id = to_hex(*commit_for);
      event.group_event->detail = "could not commit a member's leaving: " + committed.error().describe();
      event.detail = event.group_event->detail;
      if (!on_event(event)) return false;
    }
  }
  return detail::show_group_events(impl, on_event);
}

}  // namespace

std::string ReceivedMessage::from() const {
  return display_name(sender_phone, sender_username, sender_account);
}

Result<void> Client::receive(std::chrono::milliseconds idle_timeout,
                             const std::function<bool(const ReceiveEvent&)>& on_event) {
  Impl& impl = *impl_;
  BULWARK_TRY(impl.require_account());
  for (const InboxMessage& message : BULWARK_TRY(impl.store->unshown_messages(1000))) {
    if (!BULWARK_TRY(show(impl, message, on_event))) return {};
  }
  if (!BULWARK_TRY(detail::show_group_events(impl, on_event))) return {};
  ServerConnection* server = BULWARK_TRY(impl.connected());
  int prekey_messages = 0;
  for (;;) {
    // What a group operation set aside while it caught up comes first (detail/group_ops.h).
    std::optional<api::Push> push;
    if (!impl.deferred_pushes.empty()) {
      push = std::move(impl.deferred_pushes.front());
      impl.deferred_pushes.pop_front();
    } else {
      push = BULWARK_TRY(server->next_push(idle_timeout));
    }
    if (!push) return {};  // quiet for idle_timeout
    if (push->has_queue_empty()) {
      impl.queue_flushed = true;
      ReceiveEvent event;
      event.kind = ReceiveEvent::Kind::queue_empty;
      if (!on_event(event)) return {};
      continue;
    }
    if (push->has_channel_entry()) {
      if (!on_event(channel_push_event(impl, push->channel_entry()))) return {};
      continue;
    }
    if (!push->has_envelope()) continue;
    const api::Envelope& envelope = push->envelope();
    if (detail::is_group_envelope(envelope)) {
      if (!BULWARK_TRY(receive_group_envelope(impl, *server, envelope, on_event))) return {};
      continue;
    }
    Handled handled = BULWARK_TRY(handle(impl, envelope));
    if (handled.outcome != Outcome::untrusted) {
      std::string id = envelope.id();
      BULWARK_TRY(server->ack(std::span<const std::string>(&id, 1)));
    }
    if (envelope.type() == api::PREKEY_MESSAGE && ++prekey_messages % replenish_every == 0)
      BULWARK_TRY(impl.replenish_pre_keys());
    if (handled.outcome == Outcome::delivered) {
      if (!BULWARK_TRY(show(impl, handled.message, on_event))) return {};
      continue;
    }
    if (handled.outcome == Outcome::duplicate) continue;
    ReceiveEvent event;
    event.kind = handled.outcome == Outcome::untrusted ? ReceiveEvent::Kind::untrusted_identity
                                                       : ReceiveEvent::Kind::undecryptable;
    event.sender_account = format_uuid(as_bytes(envelope.source_account())).value_or("unknown");
    event.detail = handled.detail;
    if (!on_event(event)) return {};
  }
}

}  // namespace bulwark::client
