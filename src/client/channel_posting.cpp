// Channels: appending entries (posts, edits, removals, admin changes). Each is signed for the
// seq after the channel's last; when another entry takes that seq first the server answers
// CONFLICT with the seq to use, and the entry is signed again for it (a few times at most).
#include "channel/text.h"
#include "client/channels.h"
#include "client/detail/channel_ops.h"
#include "client/detail/proto_text.h"
#include "client/display_name.h"
#include "client/transparency.h"

namespace bulwark::client {
namespace {

// The key an entry is signed with: the channel key, or this account's admin identity key.
struct Signer {
  std::optional<crypto::Ed25519SecretKey> owner;
  std::optional<crypto::X25519SecretKey> admin;
};

Result<Signer> signer_for(Client::Impl& impl, const LoadedChannel& channel) {
  Signer signer;
  signer.owner = BULWARK_TRY(owner_key(impl, channel));
  if (!signer.owner) signer.admin = BULWARK_TRY(admin_key(impl, channel));
  if (!signer.owner && !signer.admin)
    return fail(Errc::invalid_argument, "you are not an owner or admin of @" + channel.handle());
  return signer;
}

Result<crypto::Ed25519SecretKey> owner_only(Client::Impl& impl, const LoadedChannel& channel) {
  auto key = BULWARK_TRY(owner_key(impl, channel));
  if (!key)
    return fail(Errc::invalid_argument, "only the owner of @" + channel.handle() +
                                            " (the device that created it, which holds its "
                                            "channel key) can change its admins");
  return std::move(*key);
}

Result<AppendReceipt> append(Client::Impl& impl, const LoadedChannel& channel,
                             channel::Entry entry, const Signer& signer) {
  entry.channel = channel.verified.authority.channel();
  std::uint64_t seq = channel.verified.last_seq + 1;
  for (int attempt = 1; attempt <= max_append_attempts; ++attempt) {
    entry.seq = seq;
    entry.time_ms = static_cast<std::uint64_t>(impl.now_ms());
    if (signer.owner) {
      BULWARK_TRY(channel::sign_with_channel_key(entry, *signer.owner));
    } else {
      BULWARK_TRY(channel::sign_with_admin_key(entry, *signer.admin, impl.rng));
    }
    const Bytes encoded = BULWARK_TRY(channel::encode_entry(entry));
    api::Request request;
    request.mutable_channel_append()->set_entry(text_of(encoded));
    auto response = BULWARK_TRY(impl.call(std::move(request), {api::CONFLICT}));
    const api::ChannelAppendResult& result = response.channel_append();
    if (response.status() == api::OK) {
      return AppendReceipt{channel.handle(), result.seq() != 0 ? result.seq() : seq,
                           static_cast<std::int64_t>(result.server_time_ms()),
                           signer.owner ? "owner" : "admin", attempt};
    }
    if (result.next_seq() <= seq)
      return fail(Errc::conflict, "@" + channel.handle() + " refused the entry: " +
                                      (response.message().empty() ? "conflict" : response.message()));
    seq = result.next_seq();
  }
  return fail(Errc::conflict, "other entries of @" + channel.handle() +
                                  " kept taking the next place in its log; try again");
}

// The post `seq` of the channel, which an edit or removal names: it must exist, be a post and
// not be removed already.
Result<void> check_target(Client::Impl& impl, const LoadedChannel& channel, std::uint64_t seq) {
  const std::string name = "#" + std::to_string(seq) + " of @" + channel.handle();
  auto served = BULWARK_TRY(read_entry(impl, channel, seq));
  if (!served)
    return fail(Errc::not_found, "no post " + name + " (its last entry is #" +
                                     std::to_string(channel.verified.last_seq) + ")");
  if (served->entry().empty()) return fail(Errc::invalid_argument, "post " + name + " was removed");
  auto entry = channel::decode_entry(as_bytes(served->entry()));
  if (!entry) return fail(Errc::invalid_argument, name + " is not a valid entry");
  if (entry->kind != channel::EntryKind::post)
    return fail(Errc::invalid_argument, name + " is not a post but an entry of kind " +
                                            std::string(channel::kind_name(entry->kind)));
  return {};
}

// A peer named as an admin: its identity key, checked against key transparency and the trust
// this device placed in it, like a recipient of a message.
struct AdminPeer {
  Bytes identity_key;
  std::string name;
};

Result<AdminPeer> admin_peer(Client::Impl& impl, std::string_view peer_text) {
  ResolvedPeer peer = BULWARK_TRY(resolve_peer(impl, peer_text));
  const std::string name = display_name(peer.phone, peer.username, peer.account_text);
  BULWARK_TRY(verify_contact_keys(impl, peer.account_id, name, peer.identity_key, peer.devices));
  BULWARK_TRY(refuse_changed_identity(impl, peer));
  // A key first met here is trusted on first use, as a first message would make it: a later
  // change is then noticed (and refused) like any other, and listings can name the admin.
  auto contact = BULWARK_TRY(impl.store->contact(peer.account_id));
  if (!contact || !contact->identity_key)
    BULWARK_TRY(impl.store->trust_identity(peer.account_id, peer.identity_key,
                                           TrustLevel::trusted_unverified));
  return AdminPeer{peer.identity_key, name};
}

Result<AppendReceipt> change_admin(Client::Impl& impl, std::string_view handle,
                                   std::string_view peer_text, bool add) {
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  LoadedChannel channel = BULWARK_TRY(load_channel(impl, canonical, PinMode::pin));
  Signer signer;
  signer.owner = BULWARK_TRY(owner_only(impl, channel));
  AdminPeer peer = BULWARK_TRY(admin_peer(impl, peer_text));
  const bool is_admin =
      channel.verified.authority.is_admin_at(peer.identity_key, channel.verified.last_seq + 1);
  if (add && is_admin) return fail(Errc::conflict, peer.name + " is already an admin of @" + canonical);
  if (!add && !is_admin) return fail(Errc::not_found, peer.name + " is not an admin of @" + canonical);
  channel::Entry entry;
  entry.kind = add ? channel::EntryKind::admin_add : channel::EntryKind::admin_remove;
  entry.admin_key = peer.identity_key;
  return append(impl, channel, std::move(entry), signer);
}

// EDIT and REMOVE: `entry` changes post `seq`, which must be a live post of the channel.
Result<AppendReceipt> change_post(Client::Impl& impl, std::string_view handle, std::uint64_t seq,
                                  channel::Entry entry) {
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  if (entry.kind == channel::EntryKind::edit)
    BULWARK_TRY(channel::check_text(entry.text, channel::max_post_chars, "the post"));
  if (seq < 2) return fail(Errc::invalid_argument, "#" + std::to_string(seq) + " is not a post (posts start at #2)");
  LoadedChannel channel = BULWARK_TRY(load_channel(impl, canonical, PinMode::pin));
  Signer signer = BULWARK_TRY(signer_for(impl, channel));
  BULWARK_TRY(check_target(impl, channel, seq));
  entry.target = seq;
  return append(impl, channel, std::move(entry), signer);
}

}  // namespace

Result<AppendReceipt> Channels::post(std::string_view handle, std::string_view text) {
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  BULWARK_TRY(channel::check_text(text, channel::max_post_chars, "the post"));
  LoadedChannel channel = BULWARK_TRY(load_channel(impl_, canonical, PinMode::pin));
  Signer signer = BULWARK_TRY(signer_for(impl_, channel));
  channel::Entry entry;
  entry.kind = channel::EntryKind::post;
  entry.text = std::string(text);
  return append(impl_, channel, std::move(entry), signer);
}

Result<AppendReceipt> Channels::edit(std::string_view handle, std::uint64_t seq,
                                     std::string_view text) {
  channel::Entry entry;
  entry.kind = channel::EntryKind::edit;
  entry.text = std::string(text);
  return change_post(impl_, handle, seq, std::move(entry));
}

Result<AppendReceipt> Channels::remove(std::string_view handle, std::uint64_t seq) {
  channel::Entry entry;
  entry.kind = channel::EntryKind::remove;
  return change_post(impl_, handle, seq, std::move(entry));
}

Result<std::vector<ChannelAdmin>> Channels::admins(std::string_view handle) {
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  LoadedChannel channel = BULWARK_TRY(load_channel(impl_, canonical, PinMode::check_only));
  ChannelDetails details = BULWARK_TRY(details_of(impl_, channel));
  return details.admins;
}

Result<AppendReceipt> Channels::add_admin(std::string_view handle, std::string_view peer) {
  return change_admin(impl_, handle, peer, /*add=*/true);
}

Result<AppendReceipt> Channels::remove_admin(std::string_view handle, std::string_view peer) {
  return change_admin(impl_, handle, peer, /*add=*/false);
}

}  // namespace bulwark::client
