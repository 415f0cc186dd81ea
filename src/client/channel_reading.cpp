// Channels: reading a channel's log by cursor, and the entries the server pushes. Every entry
// is verified (client/channel_verify.h) before it is returned; the posts shown are reported
// as viewed, and the device's cursor moves past what it showed.
#include <algorithm>
#include <span>

#include "client/channels.h"
#include "client/detail/channel_ops.h"
#include "client/detail/proto_text.h"
#include "client/moderator_pins.h"

namespace bulwark::client {
namespace {

constexpr std::uint32_t max_read_limit = 1000;   // ChannelRead's bound (api.proto)
constexpr std::size_t max_viewed_per_request = 100;  // ChannelViewed's bound

Result<api::ChannelReadResult> read_after(Client::Impl& impl, const LoadedChannel& channel,
                                          std::uint64_t after, std::uint32_t limit) {
  api::Request request;
  api::ChannelRead* read = request.mutable_channel_read();
  read->set_channel_id(text_of(channel.id()));
  read->set_after(after);
  read->set_limit(limit);
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  return response.channel_read();
}

// The seq to read after: the one asked for, this device's cursor, or the latest page.
Result<std::uint64_t> start_of(const LoadedChannel& channel, const ChannelReadRequest& request) {
  const std::uint64_t last = channel.verified.last_seq;
  if (request.after) {
    if (*request.after > last)
      return fail(Errc::invalid_argument, "no entry #" + std::to_string(*request.after) + " in @" +
                                              channel.handle() + ": its last entry is #" +
                                              std::to_string(last));
    return *request.after;
  }
  if (request.from_cursor) return std::min(channel.pin ? channel.pin->cursor : 0, last);
  return last > request.limit ? last - request.limit : 0;
}

// Counting views is a courtesy to the channel: a failure does not fail the read.
void report_views(Client::Impl& impl, const LoadedChannel& channel,
                  const std::vector<ChannelItem>& items) {
  std::vector<std::uint64_t> seqs;
  for (const ChannelItem& item : items)
    if (item.verified && item.kind == "post") seqs.push_back(item.seq);
  for (std::size_t start = 0; start < seqs.size(); start += max_viewed_per_request) {
    api::Request request;
    api::ChannelViewed* viewed = request.mutable_channel_viewed();
    viewed->set_channel_id(text_of(channel.id()));
    const std::size_t end = std::min(seqs.size(), start + max_viewed_per_request);
    for (std::size_t i = start; i < end; ++i) viewed->add_seqs(seqs[i]);
    if (!impl.call(std::move(request))) return;
  }
}

ChannelItem unchecked(const api::ChannelPush& push, const std::string& problem) {
  ChannelItem item;
  item.seq = push.entry().seq();
  item.kind = "unknown";
  item.server_time_ms = static_cast<std::int64_t>(push.entry().server_time_ms());
  item.problem = problem;
  return item;
}

// Fills in the pinned moderators, first pinning any that a hold of `entries` names and this
// device has not pinned yet (moderator_pins.h). Entries without a moderator's hold need none,
// so most pages and pushes cost no read of the local store.
Result<void> attach_moderators(Client::Impl& impl, VerifiedChannel& channel,
                               std::span<const api::ChannelEntry> entries) {
  std::vector<std::string> names;
  for (const api::ChannelEntry& entry : entries)
    if (entry.has_moderation())
      if (auto name = action_moderator(as_bytes(entry.moderation().record())))
        names.push_back(std::move(*name));
  if (names.empty()) return {};
  channel.moderators = BULWARK_TRY(moderators_for(impl, names));
  return {};
}

}  // namespace

Result<std::optional<api::ChannelEntry>> read_entry(Client::Impl& impl, const LoadedChannel& channel,
                                                    std::uint64_t seq, std::uint64_t newest_known) {
  if (seq == 0 || seq > std::max(channel.verified.last_seq, newest_known))
    return std::optional<api::ChannelEntry>();
  api::ChannelReadResult result = BULWARK_TRY(read_after(impl, channel, seq - 1, 1));
  if (result.resynced() || result.entries_size() != 1 || result.entries(0).seq() != seq)
    return std::optional<api::ChannelEntry>();
  return std::optional<api::ChannelEntry>(result.entries(0));
}

Result<ChannelPage> Channels::read(std::string_view handle, const ChannelReadRequest& request) {
  Client::Impl& impl = impl_;
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  if (request.limit < 1 || request.limit > max_read_limit)
    return fail(Errc::invalid_argument, "the limit is 1 to " + std::to_string(max_read_limit));
  if (request.after && request.from_cursor)
    return fail(Errc::invalid_argument, "read after a seq or from the cursor, not both");
  LoadedChannel channel = BULWARK_TRY(load_channel(impl, canonical, PinMode::pin));
  const std::uint64_t after = BULWARK_TRY(start_of(channel, request));
  api::ChannelReadResult result = BULWARK_TRY(read_after(impl, channel, after, request.limit));
  const std::vector<api::ChannelEntry> page(result.entries().begin(), result.entries().end());
  std::vector<api::ChannelEntry> removers;
  // A remover may be newer than the ChannelInfo answer. The channel's last_seq stays that
  // answer's: it is what says whether an admin entry should have been in its admin list.
  for (std::uint64_t seq : missing_removers(page))
    if (auto remover = BULWARK_TRY(read_entry(impl, channel, seq, seq)))
      removers.push_back(std::move(*remover));
  BULWARK_TRY(attach_moderators(impl, channel.verified, page));
  CheckedPage checked = verify_entries(channel.verified, page, removers, after, result.resynced());

  ChannelPage out;
  out.handle = canonical;
  out.after = after;
  out.items = std::move(checked.items);
  const std::map<Bytes, std::string> names = BULWARK_TRY(contact_names(impl));
  for (ChannelItem& item : out.items) name_keys(item, names);
  out.last_seq = std::max(channel.verified.last_seq, result.last_seq());
  out.resynced = result.resynced();
  if (out.resynced && !out.items.empty() && out.items.front().seq > after + 1)
    out.skipped = out.items.front().seq - after - 1;
  out.problems = channel.verified.problems;
  out.problems.insert(out.problems.end(), checked.problems.begin(), checked.problems.end());
  out.cursor = channel.pin->cursor;
  out.more = out.items.empty() ? after < out.last_seq : out.items.back().seq < out.last_seq;
  if (!out.items.empty()) {
    out.cursor = std::max(out.cursor, out.items.back().seq);
    BULWARK_TRY(impl.store->advance_channel_cursor(channel.id(), out.cursor));
  }
  report_views(impl, channel, out.items);
  return out;
}

ReceiveEvent channel_push_event(Client::Impl& impl, const api::ChannelPush& push) {
  ReceiveEvent event;
  event.kind = ReceiveEvent::Kind::channel_entry;
  const Bytes id = to_bytes(as_bytes(push.channel_id()));
  auto cached = impl.pushed_channels.find(id);
  std::shared_ptr<LoadedChannel> channel;
  ChannelItem item;
  if (cached != impl.pushed_channels.end()) {
    channel = cached->second;
    // Unpinned, a hold's moderator fails the check below, and the hold is flagged.
    static_cast<void>(attach_moderators(impl, channel->verified, std::span(&push.entry(), 1)));
    item = verify_pushed_entry(channel->verified, push.entry());
  }
  // Not loaded yet, or the entry does not verify against what was loaded (an admin named
  // since, say): ask the server once more before calling it unverified.
  if (!channel || !item.verified) {
    impl.pushed_channels.erase(id);
    auto loaded = load_channel_by_id(impl, id);
    if (!loaded) {
      event.channel_entry = unchecked(push, "could not check it: " + loaded.error().context);
      event.detail = loaded.error().context;
      return event;
    }
    channel = std::make_shared<LoadedChannel>(std::move(*loaded));
    static_cast<void>(attach_moderators(impl, channel->verified, std::span(&push.entry(), 1)));
    item = verify_pushed_entry(channel->verified, push.entry());
    // Admin changes alter who may sign what follows: the next push loads the channel again.
    if (item.kind != "admin_add" && item.kind != "admin_remove")
      impl.pushed_channels.emplace(id, channel);
  } else if (item.kind == "admin_add" || item.kind == "admin_remove") {
    impl.pushed_channels.erase(id);
  }
  if (auto names = contact_names(impl)) name_keys(item, *names);
  // Shown to the caller; the cursor moves only when nothing before it is unread, so that
  // `read --new` still shows what this device missed while it was away.
  if (item.verified && channel->pin && item.seq == channel->pin->cursor + 1) {
    if (impl.store->advance_channel_cursor(channel->id(), item.seq)) channel->pin->cursor = item.seq;
  }
  event.channel_entry = std::move(item);
  return event;
}

}  // namespace bulwark::client
