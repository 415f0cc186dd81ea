// Sending: resolve the peer, make sure there is a session with each of its devices (fetching
// prekey bundles for new ones), encrypt once per device and send, following the server's
// answers when the device list changed (missing / extra / re-registered devices).
#include <algorithm>

#include "api/limits.h"
#include "client/content.h"
#include "client/detail/client_impl.h"
#include "client/detail/franking_ops.h"
#include "client/detail/proto_text.h"
#include "client/display_name.h"
#include "client/transparency.h"
#include "client/uuid.h"
#include "protocol/session/session_builder.h"
#include "protocol/session/session_cipher.h"

namespace bulwark::client {
namespace {

// A device list can change while we send; after this many rounds something is wrong.
constexpr int max_send_rounds = 4;

bool is_uuid_text(std::string_view text) { return parse_uuid(text).has_value(); }

Result<protocol::PreKeyBundle> bundle_from(const api::PreKeyBundle& in, ByteView identity) {
  // Each field is decoded on its own: BULWARK_TRY must not run inside a braced initializer.
  auto signed_key = BULWARK_TRY(protocol::PublicKey::deserialize(as_bytes(in.signed_pre_key().public_key())));
  auto identity_key = BULWARK_TRY(protocol::PublicKey::deserialize(identity));
  auto kyber_key = BULWARK_TRY(protocol::KyberPublicKey::deserialize(as_bytes(in.kyber_pre_key().public_key())));
  protocol::PreKeyBundle bundle{RegistrationId(in.registration_id()),
                                DeviceId(in.device_id()),
                                std::nullopt,
                                std::nullopt,
                                SignedPreKeyId(in.signed_pre_key().id()),
                                signed_key,
                                to_bytes(as_bytes(in.signed_pre_key().signature())),
                                identity_key,
                                KyberPreKeyId(in.kyber_pre_key().id()),
                                std::move(kyber_key),
                                to_bytes(as_bytes(in.kyber_pre_key().signature()))};
  if (in.has_pre_key()) {
    auto key = BULWARK_TRY(protocol::PublicKey::deserialize(as_bytes(in.pre_key().public_key())));
    bundle.pre_key_id = PreKeyId(in.pre_key().id());
    bundle.pre_key = key;
  }
  return bundle;
}

}  // namespace

Result<PeerRef> parse_peer(std::string_view peer) {
  if (peer.starts_with("+") || peer.starts_with("00")) return PeerRef{PeerRef::Kind::phone, std::string(peer)};
  if (peer.starts_with("@") && peer.size() > 1)
    return PeerRef{PeerRef::Kind::username, api::canonical_username(peer)};
  if (is_uuid_text(peer)) {
    std::string text(peer);
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return PeerRef{PeerRef::Kind::account, text};
  }
  return fail(Errc::invalid_argument, "a peer is +PHONE (international form), @username or an account id");
}

Result<ResolvedPeer> resolve_peer(Client::Impl& impl, std::string_view peer) {
  PeerRef ref = BULWARK_TRY(parse_peer(peer));
  api::Request request;
  switch (ref.kind) {
    case PeerRef::Kind::phone: request.mutable_lookup()->set_phone(ref.value); break;
    case PeerRef::Kind::username: request.mutable_lookup()->set_username(ref.value); break;
    case PeerRef::Kind::account: {
      Bytes id = BULWARK_TRY(parse_uuid(ref.value));
      request.mutable_lookup()->set_account_id(text_of(id));
      break;
    }
  }
  auto response = impl.call(std::move(request));
  if (!response) {
    if (response.error().code == Errc::not_found)
      return fail(Errc::not_found, std::string(peer) + " is not on this server (or does not allow discovery by phone)");
    return tl::unexpected(response.error());
  }
  const api::LookupResult& found = response->lookup();
  ResolvedPeer out;
  out.account_id = to_bytes(as_bytes(found.account_id()));
  out.account_text = BULWARK_TRY(format_uuid(out.account_id));
  out.identity_key = to_bytes(as_bytes(found.identity_key()));
  out.devices.assign(found.device_ids().begin(), found.device_ids().end());
  if (!found.username().empty()) out.username = found.username();
  auto known = BULWARK_TRY(impl.store->contact(out.account_id));
  if (ref.kind == PeerRef::Kind::phone) {
    // The server answers in E.164 only implicitly (it matched): keep what the contact had, or
    // the typed number, which the server accepted.
    out.phone = known && known->phone ? *known->phone : ref.value;
  } else if (known) {
    out.phone = known->phone;
  }
  BULWARK_TRY(impl.store->upsert_contact_names(out.account_id, out.phone, out.username));
  return out;
}

Result<void> refuse_changed_identity(Client::Impl& impl, const ResolvedPeer& peer) {
  auto contact = BULWARK_TRY(impl.store->contact(peer.account_id));
  if (!contact || !contact->identity_key || *contact->identity_key == peer.identity_key) return {};
  auto address = BULWARK_TRY(protocol_address(peer.account_id, DeviceId(1)));
  auto key = BULWARK_TRY(protocol::PublicKey::deserialize(peer.identity_key));
  BULWARK_TRY(impl.store->note_untrusted_identity(address, key));
  std::string name = display_name(peer.phone, peer.username, peer.account_text);
  return fail(Errc::untrusted_identity,
              "the safety number with " + name + " changed: compare it, then run `bulwark trust " + name + "`");
}

namespace {

// Makes sure a session with the device exists; returns the device's registration id, which
// the envelope carries (read here so that sending loads the record once more, not twice).
Result<std::uint32_t> ensure_session(Client::Impl& impl, const ResolvedPeer& peer,
                                     const kt::AccountRecord& signed_list, std::uint32_t device) {
  auto address = BULWARK_TRY(protocol_address(peer.account_id, DeviceId(device)));
  auto record = BULWARK_TRY(impl.store->load_session(address));
  if (record && record->has_current_state())
    return record->current().remote_registration_id().value();
  api::Request request;
  request.mutable_get_pre_key_bundles()->set_account_id(text_of(peer.account_id));
  request.mutable_get_pre_key_bundles()->set_device_id(device);
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  const auto& bundles = response.pre_key_bundles();
  if (bundles.bundles_size() != 1) return fail(Errc::invalid_message, "server sent no bundle for the device");
  if (!std::ranges::equal(as_bytes(bundles.identity_key()), peer.identity_key))
    return fail(Errc::untrusted_identity, "the identity key changed while sending; look it up again");
  auto bundle = BULWARK_TRY(bundle_from(bundles.bundles(0), peer.identity_key));
  // The device's keys must be the ones its account's identity key signed into the log.
  const kt::DeviceEntry* listed = signed_list.device(device);
  if (listed == nullptr || listed->registration_id != bundle.registration_id.value()) {
    return fail(Errc::untrusted_identity,
                "device " + std::to_string(device) + " of " + peer.account_text +
                    " is not the one in its signed device list: refusing to encrypt to it");
  }
  BULWARK_TRY(impl.store->transaction([&]() -> Result<void> {
    return protocol::process_pre_key_bundle(address, bundle, impl.stores(),
                                            static_cast<std::uint64_t>(impl.now_ms()), impl.rng);
  }));
  return bundle.registration_id.value();  // what the new session records as the remote's
}

Result<api::OutgoingEnvelope> encrypt_for(Client::Impl& impl, const ResolvedPeer& peer,
                                          const kt::AccountRecord& record, std::uint32_t device,
                                          ByteView plaintext) {
  const std::uint32_t registration_id = BULWARK_TRY(ensure_session(impl, peer, record, device));
  auto address = BULWARK_TRY(protocol_address(peer.account_id, DeviceId(device)));
  protocol::CiphertextMessage message{};
  Result<void> encrypted = impl.store->transaction([&]() -> Result<void> {
    message = BULWARK_TRY(protocol::encrypt_message(plaintext, address, impl.stores(),
                                                    static_cast<std::uint64_t>(impl.now_ms()), impl.rng));
    return {};
  });
  if (!encrypted) return tl::unexpected(encrypted.error());
  api::OutgoingEnvelope envelope;
  envelope.set_device_id(device);
  envelope.set_registration_id(registration_id);
  envelope.set_type(message.type == protocol::CiphertextType::prekey ? api::PREKEY_MESSAGE
                                                                     : api::CIPHERTEXT);
  envelope.set_content(text_of(message.body));
  return envelope;
}

}  // namespace

Result<SendReceipt> Client::send(std::string_view peer_text, std::string_view body) {
  Impl& impl = *impl_;
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  ResolvedPeer peer = BULWARK_TRY(resolve_peer(impl, peer_text));
  // Nothing is encrypted to keys the transparency log does not show (client/transparency.h).
  const std::string name = display_name(peer.phone, peer.username, peer.account_text);
  VerifiedKeys keys = BULWARK_TRY(
      verify_contact_keys(impl, peer.account_id, name, peer.identity_key, peer.devices));
  BULWARK_TRY(refuse_changed_identity(impl, peer));
  Content content{std::string(body), impl.now_ms(), self->phone, self->username.value_or(""), {}, {}, {}};
  // Checked before franking, so that a body refused here does not move the franking chain.
  if (body.size() > max_body_bytes) return fail(Errc::invalid_argument, "message body is over 64 KiB");
  if (!is_valid_utf8(body)) return fail(Errc::invalid_argument, "message body is not UTF-8");
  const franking::FrankingTag tag = BULWARK_TRY(detail::frank_outgoing(impl, peer.account_id, content));
  Bytes plaintext = BULWARK_TRY(encode_content(content));

  std::vector<std::uint32_t> devices;
  for (std::uint32_t device : peer.devices)
    if (!(peer.account_id == self->account_id && device == self->device_id)) devices.push_back(device);
  if (devices.empty()) return fail(Errc::invalid_argument, "no device to send to");

  for (int round = 0; round < max_send_rounds; ++round) {
    api::Request request;
    api::SendMessage* send = request.mutable_send();
    send->set_recipient(text_of(peer.account_id));
    send->set_client_timestamp_ms(static_cast<std::uint64_t>(content.sent_at_ms));
    send->set_franking_tag(tag.data(), tag.size());
    for (std::uint32_t device : devices) {
      auto envelope = BULWARK_TRY(encrypt_for(impl, peer, keys.record, device, plaintext));
      *send->add_envelopes() = std::move(envelope);
    }
    auto response = BULWARK_TRY(impl.call(std::move(request), {api::MISMATCHED_DEVICES, api::STALE_DEVICES}));
    if (response.status() == api::OK) {
      return SendReceipt{peer.account_text, devices,
                         static_cast<std::int64_t>(response.send().server_timestamp_ms())};
    }
    if (response.status() == api::MISMATCHED_DEVICES) {
      for (std::uint32_t extra : response.mismatched_devices().extra_devices()) {
        auto address = BULWARK_TRY(protocol_address(peer.account_id, DeviceId(extra)));
        BULWARK_TRY(impl.store->delete_session(address));
        std::erase(devices, extra);
      }
      for (std::uint32_t missing : response.mismatched_devices().missing_devices()) devices.push_back(missing);
      if (response.mismatched_devices().missing_devices_size() > 0) {
        // A device we did not know of: it must be in the log's signed list before we use it.
        keys = BULWARK_TRY(verify_contact_keys(impl, peer.account_id, name, peer.identity_key, devices));
      }
    } else {
      for (std::uint32_t stale : response.stale_devices().stale_devices()) {
        auto address = BULWARK_TRY(protocol_address(peer.account_id, DeviceId(stale)));
        BULWARK_TRY(impl.store->delete_session(address));
      }
    }
  }
  return fail(Errc::unavailable, "the recipient's devices kept changing; try again");
}

}  // namespace bulwark::client
