// Channels: public channels (Telegram-style) whose entries are signed by the channel's key
// (DESIGN.md "Channels and moderation"; the entry format is channel/entry.h, the server
// contract the "channels" section of api.proto). Obtained from Client::channels(); valid while
// the Client is.
//
// Guarantees:
//  - a channel key is generated here and its seed never leaves the device's encrypted store;
//    a private channel's invite secret reaches the server only as SHA-256 at creation, and as
//    itself from those who subscribe with it;
//  - a channel is pinned (id, handle, channel key) the first time this device creates,
//    subscribes to, reads or posts to it; a server that later shows another key under the
//    handle is refused with Errc::untrusted_identity, whose message says so loudly;
//  - every entry shown is verified (client/channel_verify.h); one that does not verify is
//    returned flagged, with its reason, never as genuine;
//  - input is checked before anything is sent or stored: a bad handle, text or seq is
//    Errc::invalid_argument with a message saying what is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/channel_types.h"
#include "client/client.h"

namespace bulwark::client {

struct CreatedChannel {
  ChannelDetails channel;
  std::optional<std::string> invite_link;  // private channels: hand it to those you invite
};

class Channels {
 public:
  explicit Channels(Client::Impl& impl) noexcept : impl_(impl) {}

  // A new channel owned by this device. `title` defaults to the handle. Errc::conflict when
  // the handle is taken.
  [[nodiscard]] Result<CreatedChannel> create(std::string_view handle, std::string_view title,
                                              std::string_view description, bool is_private);
  [[nodiscard]] Result<ChannelDetails> info(std::string_view handle);
  // `invite`: a link or code, required for a private channel.
  [[nodiscard]] Result<ChannelDetails> subscribe(std::string_view handle,
                                                 std::optional<std::string_view> invite);
  [[nodiscard]] Result<void> unsubscribe(std::string_view handle);

  // Signed with the channel key when this device holds it, else with this account's identity
  // key when it is an admin; "you are not an owner or admin of @handle" otherwise.
  [[nodiscard]] Result<AppendReceipt> post(std::string_view handle, std::string_view text);
  [[nodiscard]] Result<AppendReceipt> edit(std::string_view handle, std::uint64_t seq,
                                           std::string_view text);
  [[nodiscard]] Result<AppendReceipt> remove(std::string_view handle, std::uint64_t seq);

  // A page of the channel's log, every entry verified. The posts shown are reported as viewed
  // and the device's cursor moves past them.
  [[nodiscard]] Result<ChannelPage> read(std::string_view handle, const ChannelReadRequest& request);

  [[nodiscard]] Result<std::vector<ChannelAdmin>> admins(std::string_view handle);
  // `peer` as for messages (+PHONE, @username, account id), its identity key checked against
  // key transparency. Only the owner (who holds the channel key) names admins.
  [[nodiscard]] Result<AppendReceipt> add_admin(std::string_view handle, std::string_view peer);
  [[nodiscard]] Result<AppendReceipt> remove_admin(std::string_view handle, std::string_view peer);

 private:
  Client::Impl& impl_;
};

}  // namespace bulwark::client
