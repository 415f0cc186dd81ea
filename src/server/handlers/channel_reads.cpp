// Channel reads and subscriptions (api.proto "channels"): a channel's description, subscribing,
// reading the log by cursor, view counts, and the subscriptions a device joins when it
// connects. Private channels answer NOT_FOUND to anyone who may not see them, exactly as an
// unknown handle does, so their existence does not leak.
#include <memory>

#include "api/proto/api.pb.h"
#include "channel/handle.h"
#include "channel/view_sketch.h"
#include "server/bus/bus.h"
#include "server/device_session.h"
#include "server/handlers/channel_common.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/moderation_effects.h"
#include "server/handlers/respond.h"
#include "server/registry.h"
#include "store/limits.h"

namespace bulwark::server {
namespace {

constexpr std::uint32_t max_read_limit = store::max_channel_page;
constexpr int max_viewed_per_request = 100;
// A read's answer stops adding entries beyond this many bytes (the reader continues from the
// last seq it got): 1,000 long posts would not fit in one frame (api::max_frame_bytes), nor
// under the connection's write bound.
constexpr std::size_t max_read_bytes = 512 * 1024;
constexpr std::uint32_t read_chunk = 128;

// Finds the channel named by handle or id, visible to `account`; nullopt when there is none it
// may see.
Result<std::optional<store::Channel>> visible_channel(store::Store& store,
                                                      const std::string& handle,
                                                      const std::optional<store::ChannelId>& id,
                                                      const store::AccountId& account,
                                                      const std::string& invite) {
  std::optional<store::Channel> channel;
  if (id) {
    channel = BULWARK_TRY(store.channel(*id));
  } else {
    auto canonical = channel::canonical_handle(handle);
    if (!canonical) return tl::unexpected(canonical.error());
    channel = BULWARK_TRY(store.channel_by_handle(*canonical));
  }
  if (!channel || !BULWARK_TRY(may_see(store, *channel, account, invite)))
    return std::optional<store::Channel>{};
  return channel;
}

// Joins every online device of `account` to the channel's pushes, or removes them. This
// connection (`session`'s, on whose strand this runs) joins at once; the account's other
// connections join on their own strands, which drop the work once they have closed, so that a
// connection closing meanwhile never stays listed (as in join_channel_subscriptions). Devices
// connected to other nodes (cluster mode) are told through the bus.
void update_hub(DeviceSession& session, const store::AccountId& account,
                const std::vector<store::Device>& devices, const store::ChannelId& channel,
                bool join) {
  ServerContext& context = session.context();
  Bus* bus = context.bus;
  if (bus == nullptr) return;
  for (const store::Device& device : devices) {
    auto connection = context.registry.find({account, device.id});
    if (!connection) {
      bus->channel_interest_elsewhere({account, device.id}, channel, join);
      continue;
    }
    if (!join) {
      bus->leave_channel(channel, connection.get());
    } else if (connection.get() == &session.connection()) {
      bus->join_channel(channel, connection);
    } else {
      connection->post([connection, channel, bus] { bus->join_channel(channel, connection); });
    }
  }
}

void respond_not_found(DeviceSession& session, std::uint64_t id) {
  session.respond_status(id, api::NOT_FOUND, "no such channel");
}

}  // namespace

void handle_channel_info(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::ChannelInfo& info = request.channel_info();
  const store::AccountId account = session.device()->account;
  auto decision = session.context().limiters.take(Limit::lookups_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  std::optional<store::ChannelId> by_id;
  if (!info.channel_id().empty()) {
    auto parsed = channel_id_from(info.channel_id());
    if (!parsed) return respond_error(session, id, parsed.error());
    by_id = *parsed;
  }
  auto response = std::make_shared<api::Response>(ok_response(id));
  auto found = std::make_shared<bool>(false);
  session.read_store(id, [info, by_id, account, response, found](store::Store& store) -> Result<void> {
    auto channel = BULWARK_TRY(visible_channel(store, info.handle(), by_id, account, info.invite()));
    if (!channel) return {};
    *found = true;
    api::ChannelInfoResult* out = response->mutable_channel_info();
    out->set_channel_id(channel->id.bytes.data(), channel->id.bytes.size());
    out->set_handle(channel->handle);
    out->set_create_entry(channel->create_entry.data(), channel->create_entry.size());
    for (const store::ChannelEntry& admin : BULWARK_TRY(store.channel_admin_entries(channel->id)))
      out->add_admin_entries(admin.entry.data(), admin.entry.size());
    out->set_last_seq(channel->last_seq);
    out->set_subscribers(channel->subscribers);
    out->set_subscribed(BULWARK_TRY(store.is_subscribed(account, channel->id)));
    out->set_is_private(channel->is_private);
    return {};
  }, [&session, id, response, found](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (!*found) return respond_not_found(session, id);
    session.respond(std::move(*response));
  });
}

void handle_channel_subscribe(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::ChannelSubscribe& subscribe = request.channel_subscribe();
  const store::AccountId account = session.device()->account;
  auto decision = context.limiters.take(Limit::lookups_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  struct Outcome {
    std::optional<store::ChannelId> channel;
    bool too_many = false;
    std::optional<std::string> refused;  // moderation: restricted channel, suspended account
    std::vector<store::Device> devices;
  };
  auto outcome = std::make_shared<Outcome>();
  const std::int64_t now = context.now_ms();
  session.with_store(id, [subscribe, account, outcome, now](store::Store& store) -> Result<void> {
    auto channel = BULWARK_TRY(visible_channel(store, subscribe.handle(), std::nullopt, account,
                                               subscribe.invite()));
    if (!channel) return {};
    auto restricted = BULWARK_TRY(channel_restricted(store, channel->id));
    if (!restricted) restricted = BULWARK_TRY(account_suspended(store, account));
    if (restricted) {
      outcome->refused = std::move(*restricted);
      return {};
    }
    if (!BULWARK_TRY(store.is_subscribed(account, channel->id)) &&
        BULWARK_TRY(store.subscriptions(account, store::max_subscriptions)).size() >=
            store::max_subscriptions) {
      outcome->too_many = true;
      return {};
    }
    BULWARK_TRY(store.subscribe(account, channel->id, now));
    outcome->channel = channel->id;
    outcome->devices = BULWARK_TRY(store.devices(account));
    return {};
  }, [&session, id, outcome, account](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (outcome->refused) return session.respond_status(id, api::BAD_REQUEST, *outcome->refused);
    if (outcome->too_many)
      return session.respond_status(id, api::BAD_REQUEST,
                                    "subscribed to too many channels (at most " +
                                        std::to_string(store::max_subscriptions) + ")");
    if (!outcome->channel) return respond_not_found(session, id);
    update_hub(session, account, outcome->devices, *outcome->channel, true);
    session.respond(ok_response(id));
  });
}

void handle_channel_unsubscribe(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const std::string handle = request.channel_unsubscribe().handle();
  const store::AccountId account = session.device()->account;
  struct Outcome {
    std::optional<store::ChannelId> channel;
    std::vector<store::Device> devices;
  };
  auto outcome = std::make_shared<Outcome>();
  session.with_store(id, [handle, account, outcome](store::Store& store) -> Result<void> {
    auto channel = BULWARK_TRY(visible_channel(store, handle, std::nullopt, account, {}));
    if (!channel) return {};
    BULWARK_TRY(store.unsubscribe(account, channel->id));
    outcome->channel = channel->id;
    outcome->devices = BULWARK_TRY(store.devices(account));
    return {};
  }, [&session, id, outcome, account](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (!outcome->channel) return respond_not_found(session, id);
    update_hub(session, account, outcome->devices, *outcome->channel, false);
    session.respond(ok_response(id));
  });
}

void handle_channel_read(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::ChannelRead& read = request.channel_read();
  auto channel_id = channel_id_from(read.channel_id());
  if (!channel_id) return respond_error(session, id, channel_id.error());
  if (read.limit() == 0 || read.limit() > max_read_limit)
    return session.respond_status(id, api::BAD_REQUEST, "limit must be 1-1000");
  const store::AccountId account = session.device()->account;
  // Reads are cheap but not free (up to 512 KiB each, on the store thread): they count like
  // sends, whose bucket (600 at once, 100 a second by default) a catch-up never exhausts.
  auto decision = session.context().limiters.take(Limit::sends_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  const std::uint64_t window = session.context().config.channel_resync_window;
  auto response = std::make_shared<api::Response>(ok_response(id));
  auto problem = std::make_shared<std::optional<std::pair<int, std::string>>>();
  const std::uint64_t after = read.after();
  const std::uint32_t limit = read.limit();
  session.read_store(id, [cid = *channel_id, account, after, limit, window, response,
                          problem](store::Store& store) -> Result<void> {
    auto channel = BULWARK_TRY(visible_channel(store, {}, cid, account, {}));
    if (!channel) {
      *problem = std::pair{static_cast<int>(api::NOT_FOUND), std::string("no such channel")};
      return {};
    }
    if (after > channel->last_seq) {
      *problem = std::pair{static_cast<int>(api::BAD_REQUEST),
                           "unknown cursor: the channel's last entry is " +
                               std::to_string(channel->last_seq)};
      return {};
    }
    api::ChannelReadResult* out = response->mutable_channel_read();
    std::uint64_t from = after;
    if (channel->last_seq - after > window) {
      // "Resync from here": the newest page, not the whole gap.
      from = channel->last_seq > limit ? channel->last_seq - limit : 0;
      out->set_resynced(true);
    }
    // In chunks, so that rows past the byte bound are never read (long posts fill it early).
    std::size_t bytes = 0;
    std::uint32_t taken = 0;
    bool full = false;
    std::vector<store::ChannelEntry> page;
    while (!full && taken < limit) {
      const std::uint32_t chunk = std::min<std::uint32_t>(limit - taken, read_chunk);
      auto rows = BULWARK_TRY(store.channel_entries(cid, from, chunk));
      const bool last_chunk = rows.size() < chunk;
      for (store::ChannelEntry& entry : rows) {
        if (bytes > 0 && bytes + entry.entry.size() > max_read_bytes) {
          full = true;
          break;
        }
        bytes += entry.entry.size() + 32;  // the entry's other fields, generously
        from = entry.seq;
        ++taken;
        page.push_back(std::move(entry));
      }
      if (last_chunk) break;
    }
    // Posts moderation hid come as entries with the hold instead of their bytes: visible.
    const ModerationHolds holds = BULWARK_TRY(load_holds(store, cid, page));
    for (const store::ChannelEntry& entry : page)
      held_entry_to_api(entry, hold_for(holds, entry), *out->add_entries());
    out->set_last_seq(channel->last_seq);
    return {};
  }, [&session, id, response, problem](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (*problem) return session.respond_status(id, (*problem)->first, (*problem)->second);
    session.respond(std::move(*response));
  });
}

void handle_channel_viewed(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::ChannelViewed& viewed = request.channel_viewed();
  auto channel_id = channel_id_from(viewed.channel_id());
  if (!channel_id) return respond_error(session, id, channel_id.error());
  if (viewed.seqs_size() > max_viewed_per_request)
    return session.respond_status(id, api::BAD_REQUEST, "at most 100 views per request");
  if (context.channel_view_key == nullptr)
    return session.respond_status(id, api::UNAVAILABLE, "view counting is off");
  const store::AccountId account = session.device()->account;
  auto decision = context.limiters.take(Limit::lookups_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  std::vector<std::uint64_t> seqs(viewed.seqs().begin(), viewed.seqs().end());
  // The key itself, not a copy: it lives as long as the server, and a copy would not be wiped.
  const SecretBytes* key = context.channel_view_key;
  session.with_store(id, [cid = *channel_id, account, seqs, key](store::Store& store) -> Result<void> {
    auto channel = BULWARK_TRY(visible_channel(store, {}, cid, account, {}));
    if (!channel) return {};  // nothing to count; not worth an error to the client
    for (std::uint64_t seq : seqs) {
      auto entry = BULWARK_TRY(store.channel_entry(cid, seq));
      if (!entry || entry->kind != store::ChannelEntryKind::post || entry->deleted_by != 0) continue;
      channel::ViewSketch sketch;
      if (!entry->views.empty()) sketch = BULWARK_TRY(channel::ViewSketch::from_bytes(entry->views));
      if (sketch.add(channel::viewer_hash(key->view(), cid.bytes, seq, account.bytes)))
        BULWARK_TRY(store.set_channel_views(cid, seq, sketch.bytes()));
    }
    return {};
  }, [&session, id](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    session.respond(ok_response(id));
  });
}

void handle_channel_list(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const store::AccountId account = session.device()->account;
  auto response = std::make_shared<api::Response>(ok_response(id));
  session.read_store(id, [account, response](store::Store& store) -> Result<void> {
    for (const store::Channel& channel :
         BULWARK_TRY(store.subscriptions(account, store::max_subscriptions))) {
      api::ChannelSummary* out = response->mutable_channel_list()->add_channels();
      out->set_channel_id(channel.id.bytes.data(), channel.id.bytes.size());
      out->set_handle(channel.handle);
      out->set_last_seq(channel.last_seq);
    }
    return {};
  }, [&session, id, response](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    session.respond(std::move(*response));
  });
}

void join_channel_subscriptions(DeviceSession& session) {
  ServerContext& context = session.context();
  if (context.bus == nullptr || !session.device()) return;
  const store::AccountId account = session.device()->account;
  auto channels = std::make_shared<std::vector<store::ChannelId>>();
  auto connection = session.connection().shared_from_this();
  const bool queued = context.store.submit([account, channels](store::Store& store) -> Result<void> {
    for (const store::Channel& channel :
         BULWARK_TRY(store.subscriptions(account, store::max_subscriptions)))
      channels->push_back(channel.id);
    return {};
  }, [connection, channels, bus = context.bus](Result<void> result) {
    // A device that could not join still catches up by cursor when it reads. Joined on the
    // connection's strand, which drops the work once the connection has closed, so that a
    // closed connection never stays listed.
    if (!result) return;
    connection->post([connection, channels, bus] {
      for (const store::ChannelId& channel : *channels) bus->join_channel(channel, connection);
    });
  }, StoreExecutor::Access::read_only);
  if (!queued) context.metrics.store_unavailable++;
}

}  // namespace bulwark::server
