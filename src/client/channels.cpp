// Channels: creating, describing and subscribing; and how every operation finds a channel on
// the server and checks it against this device's pin (client/detail/channel_ops.h).
#include "client/channels.h"

#include "channel/handle.h"
#include "channel/text.h"
#include "client/channel_invite.h"
#include "client/detail/channel_ops.h"
#include "client/detail/proto_text.h"

namespace bulwark::client {
namespace {

// The server's NOT_FOUND for a channel, said for people: a private channel is found only
// with its invite, so "not found" may mean "not for you".
Error channel_error(Error error, std::string_view handle, bool had_invite) {
  if (error.code != Errc::not_found) return error;
  error.context = "no channel @" + std::string(handle) + " on this server" +
                  (had_invite ? " (or the invite is not valid for it)"
                              : " (a private channel needs its invite: --invite)");
  return error;
}

// Pins a channel seen for the first time; returns the pin in force.
Result<PinnedChannel> pin_new(Client::Impl& impl, const VerifiedChannel& verified) {
  PinnedChannel pin = pin_for(verified, impl.now_ms());
  BULWARK_TRY(impl.store->pin_channel(pin));
  return pin;
}

// A server that shows fewer entries than this device has already seen cut its log short.
void check_not_rolled_back(VerifiedChannel& verified, const PinnedChannel& pin) {
  if (verified.last_seq >= pin.cursor) return;
  verified.problems.push_back("the server shows @" + pin.handle + " with " +
                              std::to_string(verified.last_seq) +
                              " entries, but this device has already seen #" +
                              std::to_string(pin.cursor) + ": its log was cut short");
}

bool same_key(ByteView a, ByteView b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

// A new channel's CREATE entry, unsigned, its title defaulting to the handle.
Result<channel::Entry> create_entry(const std::string& handle, std::string_view title,
                                    std::string_view description, bool is_private) {
  channel::Entry entry;
  entry.kind = channel::EntryKind::create;
  entry.seq = 1;
  entry.profile.handle = handle;
  entry.profile.title = title.empty() ? handle : std::string(title);
  entry.profile.description = std::string(description);
  entry.profile.is_private = is_private;
  BULWARK_TRY(channel::check_text(entry.profile.title, channel::max_title_chars, "title"));
  BULWARK_TRY(channel::check_text(entry.profile.description, channel::max_description_chars,
                                  "description", /*may_be_empty=*/true));
  return entry;
}

// The owner's pin of the channel it just created: the CREATE entry is the whole log so far.
PinnedChannel own_pin(const channel::Entry& create, std::int64_t now_ms) {
  PinnedChannel pin;
  pin.channel_id = to_bytes(create.channel);
  pin.handle = create.profile.handle;
  pin.channel_key = create.profile.channel_key;
  pin.is_private = create.profile.is_private;
  pin.cursor = 1;
  pin.pinned_at_ms = now_ms;
  return pin;
}

// What the owner knows of a channel just created, when the server could not be asked.
ChannelDetails details_unread(const channel::Entry& create,
                              const std::optional<std::string>& invite) {
  ChannelDetails out;
  out.handle = create.profile.handle;
  out.channel_id = to_hex(create.channel);
  out.title = create.profile.title;
  out.description = create.profile.description;
  out.is_private = create.profile.is_private;
  out.last_seq = 1;
  out.owner = true;
  out.cursor = 1;
  out.invite_link = invite;
  return out;
}

}  // namespace

Result<std::string> handle_argument(std::string_view handle) {
  auto canonical = channel::canonical_handle(handle);
  if (!canonical) return fail(Errc::invalid_argument, "bad channel handle: " + canonical.error().context);
  return canonical;
}

Result<LoadedChannel> load_channel(Client::Impl& impl, std::string_view handle, PinMode mode,
                                   const SecretBytes* invite) {
  BULWARK_TRY(impl.require_account());
  auto pin = BULWARK_TRY(impl.store->pinned_channel(handle));
  const SecretBytes* secret = invite != nullptr ? invite : pin && pin->invite ? &*pin->invite : nullptr;
  api::Request request;
  request.mutable_channel_info()->set_handle(std::string(handle));
  if (secret != nullptr) request.mutable_channel_info()->set_invite(text_of(secret->view()));
  auto response = impl.call(std::move(request));
  if (!response) return tl::unexpected(channel_error(response.error(), handle, secret != nullptr));
  VerifiedChannel verified = BULWARK_TRY(verify_channel_info(response->channel_info(), handle));
  if (pin) {
    BULWARK_TRY(check_pinned(verified, *pin));
    check_not_rolled_back(verified, *pin);
  } else if (mode == PinMode::pin) {
    pin = BULWARK_TRY(pin_new(impl, verified));
  }
  return LoadedChannel{std::move(verified), std::move(pin)};
}

Result<LoadedChannel> load_channel_by_id(Client::Impl& impl, ByteView id) {
  BULWARK_TRY(impl.require_account());
  auto pin = BULWARK_TRY(impl.store->pinned_channel_by_id(id));
  api::Request request;
  request.mutable_channel_info()->set_channel_id(text_of(id));
  if (pin && pin->invite) request.mutable_channel_info()->set_invite(text_of(pin->invite->view()));
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  VerifiedChannel verified = BULWARK_TRY(verify_channel_info(response.channel_info(), "", id));
  // A pin under the same handle with another id is the same attack as another key.
  auto by_handle = BULWARK_TRY(impl.store->pinned_channel(verified.authority.profile().handle));
  if (by_handle) BULWARK_TRY(check_pinned(verified, *by_handle));
  if (pin) {
    check_not_rolled_back(verified, *pin);
  } else if (!by_handle) {
    pin = BULWARK_TRY(pin_new(impl, verified));
  }
  return LoadedChannel{std::move(verified), std::move(pin)};
}

Result<std::optional<crypto::Ed25519SecretKey>> owner_key(Client::Impl& impl,
                                                          const LoadedChannel& channel) {
  auto seed = BULWARK_TRY(impl.store->channel_key_seed(channel.id()));
  if (!seed) return std::optional<crypto::Ed25519SecretKey>();
  auto key = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(seed->view()));
  // A seed for another key (never expected) must not sign for this channel.
  if (!same_key(key.public_key().bytes(), channel.verified.authority.channel_key()))
    return std::optional<crypto::Ed25519SecretKey>();
  return std::optional<crypto::Ed25519SecretKey>(std::move(key));
}

Result<std::optional<crypto::X25519SecretKey>> admin_key(Client::Impl& impl,
                                                         const LoadedChannel& channel) {
  const LocalAccount* account = BULWARK_TRY(impl.require_account());
  if (!channel.verified.authority.is_admin_at(account->identity_public, channel.verified.last_seq + 1))
    return std::optional<crypto::X25519SecretKey>();
  auto key = BULWARK_TRY(crypto::X25519SecretKey::from_bytes(account->identity_private.view()));
  return std::optional<crypto::X25519SecretKey>(std::move(key));
}

Result<std::map<Bytes, std::string>> contact_names(Client::Impl& impl) {
  std::map<Bytes, std::string> names;
  for (const Contact& contact : BULWARK_TRY(impl.store->contacts())) {
    if (!contact.identity_key) continue;
    if (contact.phone) {
      names.emplace(*contact.identity_key, *contact.phone);
    } else if (contact.username) {
      names.emplace(*contact.identity_key, "@" + *contact.username);
    }
  }
  return names;
}

void name_keys(ChannelItem& item, const std::map<Bytes, std::string>& names) {
  if (auto found = names.find(item.signer_key); found != names.end()) item.signer_name = found->second;
  if (auto found = names.find(item.admin_key); found != names.end()) item.admin_name = found->second;
}

Result<ChannelDetails> details_of(Client::Impl& impl, const LoadedChannel& channel) {
  const LocalAccount* account = BULWARK_TRY(impl.require_account());
  const VerifiedChannel& verified = channel.verified;
  const channel::Profile& profile = verified.authority.profile();
  ChannelDetails out;
  out.handle = profile.handle;
  out.channel_id = to_hex(verified.channel_id);
  out.title = profile.title;
  out.description = profile.description;
  out.is_private = profile.is_private;  // the signed flag, not the server's
  out.last_seq = verified.last_seq;
  out.subscribers = verified.subscribers;
  out.subscribed = verified.subscribed;
  out.owner = BULWARK_TRY(owner_key(impl, channel)).has_value();
  out.admin = verified.authority.is_admin_at(account->identity_public, verified.last_seq + 1);
  const std::map<Bytes, std::string> names = BULWARK_TRY(contact_names(impl));
  for (const Bytes& key : verified.authority.current_admins()) {
    const auto name = names.find(key);
    out.admins.push_back(ChannelAdmin{
        key, name == names.end() ? std::nullopt : std::optional<std::string>(name->second),
        same_key(key, account->identity_public)});
  }
  if (channel.pin) {
    out.cursor = channel.pin->cursor;
    if (out.owner && channel.pin->invite) out.invite_link = invite_link(out.handle, *channel.pin->invite);
  }
  out.problems = verified.problems;
  return out;
}

Result<CreatedChannel> Channels::create(std::string_view handle, std::string_view title,
                                        std::string_view description, bool is_private) {
  Client::Impl& impl = impl_;
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  channel::Entry entry = BULWARK_TRY(create_entry(canonical, title, description, is_private));
  entry.time_ms = static_cast<std::uint64_t>(impl.now_ms());
  BULWARK_TRY(impl.require_account());
  if (BULWARK_TRY(impl.store->pinned_channel(canonical)))
    return fail(Errc::conflict, "@" + canonical + " is taken");
  crypto::Ed25519KeyPair keys = crypto::ed25519_keypair(impl.rng);
  entry.profile.channel_key = to_bytes(keys.public_key.bytes());
  entry.channel = channel::channel_id_for_key(entry.profile.channel_key);
  BULWARK_TRY(channel::sign_with_channel_key(entry, keys.secret_key));
  const Bytes encoded = BULWARK_TRY(channel::encode_entry(entry));
  std::optional<SecretBytes> invite;
  if (is_private) invite = new_invite_secret(impl.rng);

  // The seed is saved before the server sees the channel: were the answer lost, the channel
  // would exist with nobody able to sign for it.
  BULWARK_TRY(impl.store->save_channel_key(entry.channel, keys.secret_key.seed()));
  api::Request request;
  request.mutable_channel_create()->set_create_entry(text_of(encoded));
  if (invite) request.mutable_channel_create()->set_invite_hash(text_of(invite_hash(*invite)));
  auto created = impl.call(std::move(request));
  if (!created) {
    const Errc code = created.error().code;
    // Refused for sure: nothing of it stays. Unsure (the network): the key stays, harmless.
    if (code != Errc::network && code != Errc::unavailable)
      BULWARK_TRY(impl.store->delete_channel_key(entry.channel));
    if (code == Errc::conflict) return fail(Errc::conflict, "@" + canonical + " is taken");
    return tl::unexpected(created.error());
  }
  PinnedChannel pin = own_pin(entry, impl.now_ms());
  if (invite) pin.invite = invite->clone();
  BULWARK_TRY(impl.store->pin_channel(pin));
  CreatedChannel out;
  if (invite) out.invite_link = invite_link(canonical, *invite);
  // The channel exists now: reading it back is for the report, and its failure must not
  // make the creation look failed.
  if (auto loaded = load_channel(impl, canonical, PinMode::pin); loaded) {
    out.channel = BULWARK_TRY(details_of(impl, *loaded));
  } else {
    out.channel = details_unread(entry, out.invite_link);
  }
  return out;
}

Result<ChannelDetails> Channels::info(std::string_view handle) {
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  LoadedChannel loaded = BULWARK_TRY(load_channel(impl_, canonical, PinMode::check_only));
  return details_of(impl_, loaded);
}

Result<ChannelDetails> Channels::subscribe(std::string_view handle,
                                           std::optional<std::string_view> invite_text) {
  Client::Impl& impl = impl_;
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  std::optional<SecretBytes> invite;
  if (invite_text) invite = BULWARK_TRY(parse_invite(*invite_text, canonical));
  LoadedChannel loaded = BULWARK_TRY(
      load_channel(impl, canonical, PinMode::pin, invite ? &*invite : nullptr));
  api::Request request;
  request.mutable_channel_subscribe()->set_handle(canonical);
  const SecretBytes* secret = invite ? &*invite : loaded.pin->invite ? &*loaded.pin->invite : nullptr;
  if (secret != nullptr) request.mutable_channel_subscribe()->set_invite(text_of(secret->view()));
  auto subscribed = impl.call(std::move(request));
  if (!subscribed) return tl::unexpected(channel_error(subscribed.error(), canonical, secret != nullptr));
  if (invite) BULWARK_TRY(impl.store->set_channel_invite(loaded.id(), *invite));
  BULWARK_TRY(impl.store->set_channel_subscribed(loaded.id(), true));
  loaded.pin->subscribed = true;
  ChannelDetails out = BULWARK_TRY(details_of(impl, loaded));
  if (!out.subscribed) {
    out.subscribed = true;
    ++out.subscribers;
  }
  return out;
}

Result<void> Channels::unsubscribe(std::string_view handle) {
  Client::Impl& impl = impl_;
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  BULWARK_TRY(impl.require_account());
  api::Request request;
  request.mutable_channel_unsubscribe()->set_handle(canonical);
  auto done = impl.call(std::move(request));
  if (!done) return tl::unexpected(channel_error(done.error(), canonical, false));
  auto pin = BULWARK_TRY(impl.store->pinned_channel(canonical));
  if (pin) BULWARK_TRY(impl.store->set_channel_subscribed(pin->channel_id, false));
  return {};
}

Channels Client::channels() { return Channels(*impl_); }

}  // namespace bulwark::client
