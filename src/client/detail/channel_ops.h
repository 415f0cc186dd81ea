// Internal: what the channel operation files share (channels.cpp, channel_posting.cpp,
// channel_reading.cpp): finding a channel on the server, verifying it and checking it against
// this device's pin, and the keys this device may sign its entries with.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "channel/entry.h"
#include "client/channel_verify.h"
#include "client/detail/client_impl.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"

namespace bulwark::client {

// At most this many attempts to append when other entries keep taking the seq first.
inline constexpr int max_append_attempts = 5;

// The canonical form of a handle the user typed, or Errc::invalid_argument saying why not.
[[nodiscard]] Result<std::string> handle_argument(std::string_view handle);

struct LoadedChannel {
  VerifiedChannel verified;
  std::optional<PinnedChannel> pin;  // none only when loaded without pinning, never seen before
  [[nodiscard]] const std::string& handle() const { return verified.authority.profile().handle; }
  [[nodiscard]] ByteView id() const { return verified.channel_id; }
};

enum class PinMode { check_only, pin };

// ChannelInfo for the canonical `handle` (with the invite held here, or `invite`), verified
// (client/channel_verify.h) and checked against the pin: a channel whose key changed is
// Errc::untrusted_identity. With PinMode::pin a channel seen for the first time is pinned.
[[nodiscard]] Result<LoadedChannel> load_channel(Client::Impl& impl, std::string_view handle,
                                                 PinMode mode,
                                                 const SecretBytes* invite = nullptr);
// The same by channel id (a push): a channel seen for the first time is pinned.
[[nodiscard]] Result<LoadedChannel> load_channel_by_id(Client::Impl& impl, ByteView id);

// The channel key, when this device created the channel.
[[nodiscard]] Result<std::optional<crypto::Ed25519SecretKey>> owner_key(Client::Impl& impl,
                                                                        const LoadedChannel& channel);
// This account's identity key when it is an admin of the channel for its next entry.
[[nodiscard]] Result<std::optional<crypto::X25519SecretKey>> admin_key(Client::Impl& impl,
                                                                       const LoadedChannel& channel);

// The entry `seq` as the server serves it (not verified yet), or nullopt when it has none.
// Entries past the channel's last_seq are asked for only up to `newest_known` (a newer seq the
// server has named since, e.g. in a ChannelRead answer).
[[nodiscard]] Result<std::optional<api::ChannelEntry>> read_entry(Client::Impl& impl,
                                                                  const LoadedChannel& channel,
                                                                  std::uint64_t seq,
                                                                  std::uint64_t newest_known = 0);
// A ChannelPush as a receive event: the entry verified against the channel as the server
// describes it now. A push that cannot be checked comes out flagged, with the reason.
[[nodiscard]] ReceiveEvent channel_push_event(Client::Impl& impl, const api::ChannelPush& push);

// The channel as reported to the user.
[[nodiscard]] Result<ChannelDetails> details_of(Client::Impl& impl, const LoadedChannel& channel);
// Contacts' names (+phone, else @username) by their trusted identity keys, to name signers.
[[nodiscard]] Result<std::map<Bytes, std::string>> contact_names(Client::Impl& impl);
// Fills in the names of an item's signer and admin key from `names`.
void name_keys(ChannelItem& item, const std::map<Bytes, std::string>& names);

}  // namespace bulwark::client
