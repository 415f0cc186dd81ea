#include "client/channel_verify.h"

#include <algorithm>
#include <map>
#include <optional>

#include "client/moderator_pins.h"

namespace bulwark::client {
namespace {

std::string short_key(ByteView key) { return to_hex(key.first(std::min<std::size_t>(key.size(), 8))); }

std::string seq_text(std::uint64_t seq) { return "#" + std::to_string(seq); }

// Decodes an admin entry and applies it, or says why it was left out.
std::optional<std::string> apply_admin(channel::Authority& authority, ByteView bytes,
                                       std::uint64_t previous_seq) {
  auto entry = channel::decode_entry(bytes);
  if (!entry) return "an admin entry does not decode (" + entry.error().context + ")";
  if (entry->seq <= previous_seq)
    return "admin entry " + seq_text(entry->seq) + " is out of seq order";
  auto applied = authority.apply_admin_entry(*entry);
  if (!applied)
    return "admin entry " + seq_text(entry->seq) + " is not signed by the channel key (" +
           applied.error().context + "): ignored";
  return std::nullopt;
}

void fill_from(ChannelItem& item, const channel::Entry& entry, const channel::Authority& authority) {
  item.kind = std::string(channel::kind_name(entry.kind));
  item.target = entry.target;
  item.signer_key = entry.signer;
  item.signed_by = entry.signer == to_bytes(authority.channel_key()) ? "owner" : "admin";
  item.admin_key = entry.admin_key;
  item.time_ms = static_cast<std::int64_t>(entry.time_ms);
  const std::string& text = entry.kind == channel::EntryKind::create ? entry.profile.title : entry.text;
  if (item.verified) {
    item.text = text;
  } else {
    item.claimed_text = text;
  }
}

void flag(ChannelItem& item, const std::string& problem) {
  if (item.verified) {
    item.verified = false;
    item.claimed_text = std::move(item.text);
    item.text.clear();
  }
  item.problem = item.problem.empty() ? problem : item.problem + "; " + problem;
}

// Whether `seq` is the CREATE entry or one of the admin entries this client verified.
bool is_admin_seq(const VerifiedChannel& channel, std::uint64_t seq) {
  if (seq <= 1) return true;
  return std::ranges::any_of(channel.admin_entries, [seq](const Bytes& encoded) {
    auto entry = channel::decode_entry(encoded);
    return entry && entry->seq == seq;
  });
}

// Checks an entry the server erased: a genuine REMOVE at deleted_by must name it (or, for an
// erased edit, the post it edited, which comes before it). A removal erases posts and their
// edits only, so an erased CREATE entry or admin entry this client knows is flagged, whatever
// the removal names. (An erased entry claimed as an edit of the removed post cannot be told
// from one otherwise: its bytes are gone. docs/CHANNELS.md.)
void check_erased(ChannelItem& item, const VerifiedChannel& channel,
                  const channel::Authority& authority,
                  const std::map<std::uint64_t, const api::ChannelEntry*>& by_seq) {
  item.kind = "removed";
  if (item.deleted_by == 0)
    return flag(item, "the server sent it empty without saying which entry removed it");
  if (item.deleted_by <= item.seq)
    return flag(item, "the server says it was removed by an earlier entry " + seq_text(item.deleted_by));
  auto found = by_seq.find(item.deleted_by);
  if (found == by_seq.end() || found->second->entry().empty())
    return flag(item, "the server did not show the removal " + seq_text(item.deleted_by));
  auto remover = channel::decode_entry(as_bytes(found->second->entry()));
  if (!remover || remover->kind != channel::EntryKind::remove || remover->seq != item.deleted_by)
    return flag(item, "entry " + seq_text(item.deleted_by) + " is not a removal");
  if (remover->target > item.seq)
    return flag(item, "removal " + seq_text(item.deleted_by) + " names " +
                          seq_text(remover->target) + ", not this entry");
  if (is_admin_seq(channel, item.seq))
    return flag(item, "the server erased an admin entry, which a removal never erases");
  if (auto verified = authority.verify(*remover); !verified)
    return flag(item, "removal " + seq_text(item.deleted_by) + " is not genuine (" +
                          verified.error().context + ")");
  item.target = remover->target;
  item.signed_by = remover->signer == to_bytes(authority.channel_key()) ? "owner" : "admin";
  item.signer_key = remover->signer;
  item.verified = true;
}

// Checks a hold's signed action: a pinned moderator's remove-post of a post of this channel,
// on the case the hold names, for this entry or (an edit of a removed post) an earlier one.
std::optional<std::string> hold_problem(ChannelItem& item, const VerifiedChannel& channel,
                                        const api::ModerationHold& hold) {
  auto record = check_pinned_action(channel.moderators, as_bytes(hold.record()),
                                    as_bytes(hold.signature()));
  if (!record) return "its moderation hold " + record.error().context;
  if (record->action != moderation::Action::remove_post ||
      record->target != moderation::TargetKind::post)
    return std::string("its moderation hold is signed for another action than removing a post");
  if (!std::ranges::equal(ByteView(record->channel), ByteView(channel.channel_id)))
    return std::string("its moderation hold is signed for another channel");
  if (record->case_id != hold.case_id())
    return std::string("its moderation hold names another case than the signed action");
  if (record->seq < 2 || record->seq > item.seq)
    return "its moderation hold is signed for post " + std::to_string(record->seq) +
           ", which cannot be this entry or the post it edits";
  item.moderated_by = record->moderator;
  item.moderated_post = record->seq;
  return std::nullopt;
}

// An entry the operator's moderation hid, saying so (case and reason): shown as "removed by
// moderation (case N)", an open act of the operator rather than tampering, so not flagged. It
// carries no signed content, so nothing of it is shown as the channel's.
//  - A moderator's removal carries the moderator's signed action, checked against the key
//    pinned for them: a hold that does not verify is flagged.
//  - A policy rule's hold (no moderator has decided yet) carries none: it is the server's word,
//    shown as such.
// Moderation removes posts only: a hold on the CREATE entry or on an admin entry this client
// knows would hide an admin change, and is flagged. (An admin entry the server also leaves out
// of ChannelInfo, held as a rule's hold or as an edit of a removed post, cannot be told from one
// here: docs/MODERATION.md, "What clients can check".)
void moderated(ChannelItem& item, const VerifiedChannel& channel, const api::ChannelEntry& served) {
  item.kind = "moderated";
  item.moderation_case = served.moderation().case_id();
  item.moderation_reason = served.moderation().reason();
  item.verified = item.moderation_case != 0;
  if (!item.verified) item.problem = "the server hid it without naming a moderation case";
  if (item.verified && !served.moderation().record().empty()) {
    if (auto problem = hold_problem(item, channel, served.moderation())) {
      item.verified = false;
      item.problem = std::move(*problem);
    }
  }
  if (is_admin_seq(channel, served.seq())) {
    item.verified = false;
    item.problem = "the server hid an admin entry, which moderation never removes";
  }
}

ChannelItem base_item(const VerifiedChannel& channel, const api::ChannelEntry& entry) {
  ChannelItem item;
  item.handle = channel.authority.profile().handle;
  item.seq = entry.seq();
  item.server_time_ms = static_cast<std::int64_t>(entry.server_time_ms());
  item.views = entry.views();
  item.deleted_by = entry.deleted_by();
  return item;
}

// The authority to check a page with: the server's admin entries plus those the page holds
// (newer than its ChannelInfo answer, or left out of it), replayed in seq order. An admin
// entry left out of ChannelInfo still counts here, so that a removal the server hides cannot
// keep a removed admin's later posts valid; check_entry flags the omission itself.
channel::Authority page_authority(const VerifiedChannel& channel,
                                  std::span<const api::ChannelEntry> page) {
  std::map<std::uint64_t, channel::Entry> admin;
  auto consider = [&](ByteView bytes) {
    auto entry = channel::decode_entry(bytes);
    if (!entry || (entry->kind != channel::EntryKind::admin_add &&
                   entry->kind != channel::EntryKind::admin_remove))
      return;
    admin.emplace(entry->seq, std::move(*entry));
  };
  for (const Bytes& bytes : channel.admin_entries) consider(bytes);
  for (const api::ChannelEntry& served : page)
    if (!served.entry().empty()) consider(as_bytes(served.entry()));
  // The CREATE entry verified when the channel was loaded, so this cannot fail.
  auto create = channel::decode_entry(channel.create_entry);
  if (!create) return channel.authority;
  auto authority = channel::Authority::from_create(*create);
  if (!authority) return channel.authority;
  for (const auto& [seq, entry] : admin) (void)authority->apply_admin_entry(entry);  // forged: skipped
  return std::move(*authority);
}

// Checks one entry with its bytes against the page's authority.
ChannelItem check_entry(const VerifiedChannel& channel, const channel::Authority& authority,
                        const api::ChannelEntry& served) {
  ChannelItem item = base_item(channel, served);
  auto entry = channel::decode_entry(as_bytes(served.entry()));
  if (!entry) {
    item.kind = "unknown";
    flag(item, "it does not decode as a channel entry (" + entry.error().context + ")");
    return item;
  }
  item.verified = true;
  Result<void> verified;
  if (entry->kind == channel::EntryKind::create) {
    if (!std::ranges::equal(ByteView(channel.create_entry), as_bytes(served.entry())))
      verified = fail(Errc::auth_failed, "it is not the channel's CREATE entry");
  } else {
    verified = authority.verify(*entry);
  }
  fill_from(item, *entry, authority);
  if (!verified) flag(item, "its signature does not verify for this channel (" + verified.error().context + ")");
  if (entry->seq != item.seq)
    flag(item, "the server numbers it " + seq_text(item.seq) + " but it was signed as " + seq_text(entry->seq));
  const bool is_admin = entry->kind == channel::EntryKind::admin_add ||
                        entry->kind == channel::EntryKind::admin_remove;
  if (is_admin && item.verified && entry->seq <= channel.last_seq &&
      !channel.admin_entries.contains(to_bytes(as_bytes(served.entry()))))
    flag(item, "the server's list of this channel's admin entries leaves it out");
  return item;
}

}  // namespace

Result<VerifiedChannel> verify_channel_info(const api::ChannelInfoResult& info,
                                            std::string_view handle, ByteView channel_id) {
  const std::string name = handle.empty() ? "the channel" : "@" + std::string(handle);
  auto create = channel::decode_entry(as_bytes(info.create_entry()));
  if (!create)
    return fail(Errc::auth_failed, "the server's description of " + name +
                                       " does not decode (" + create.error().context + ")");
  auto authority = channel::Authority::from_create(*create);
  if (!authority)
    return fail(Errc::auth_failed, "the server's description of " + name +
                                       " is not signed by its channel key (" +
                                       authority.error().context + ")");
  const Bytes id = to_bytes(authority->channel());
  if (!handle.empty() && authority->profile().handle != handle)
    return fail(Errc::auth_failed, "the server answered for @" + std::string(handle) +
                                       " with the channel @" + authority->profile().handle);
  if (!channel_id.empty() && !std::ranges::equal(ByteView(id), channel_id))
    return fail(Errc::auth_failed, "the server answered with another channel than the one asked for");
  if (!std::ranges::equal(ByteView(id), as_bytes(info.channel_id())))
    return fail(Errc::auth_failed, "the server's channel id for " + name + " is not its key's");
  VerifiedChannel out{std::move(*authority), id, to_bytes(as_bytes(info.create_entry())), {},
                      info.last_seq(), info.subscribers(), info.subscribed(), {}, {}};
  std::uint64_t previous = 1;
  for (const std::string& admin : info.admin_entries()) {
    if (auto problem = apply_admin(out.authority, as_bytes(admin), previous)) {
      out.problems.push_back(*problem);
      continue;
    }
    previous = out.authority.last_admin_seq();
    out.admin_entries.insert(to_bytes(as_bytes(admin)));
  }
  return out;
}

Result<void> check_pinned(const VerifiedChannel& channel, const PinnedChannel& pin) {
  const Bytes key = to_bytes(channel.authority.channel_key());
  if (key == pin.channel_key && channel.channel_id == pin.channel_id) return {};
  return fail(Errc::untrusted_identity,
              "CHANNEL KEY CHANGED: the server now shows @" + pin.handle + " with the channel key " +
                  short_key(key) + "..., but this device pinned " + short_key(pin.channel_key) +
                  "... when it first saw the channel. Someone may be impersonating @" +
                  pin.handle + ": nothing from it is shown or sent until this is resolved");
}

PinnedChannel pin_for(const VerifiedChannel& channel, std::int64_t now_ms) {
  PinnedChannel pin;
  pin.channel_id = channel.channel_id;
  pin.handle = channel.authority.profile().handle;
  pin.channel_key = to_bytes(channel.authority.channel_key());
  pin.is_private = channel.authority.profile().is_private;
  pin.pinned_at_ms = now_ms;
  return pin;
}

std::vector<std::uint64_t> missing_removers(std::span<const api::ChannelEntry> page) {
  std::set<std::uint64_t> present;
  for (const api::ChannelEntry& entry : page) present.insert(entry.seq());
  std::set<std::uint64_t> missing;
  for (const api::ChannelEntry& entry : page)
    if (entry.entry().empty() && entry.deleted_by() > entry.seq() && !present.contains(entry.deleted_by()))
      missing.insert(entry.deleted_by());
  return {missing.begin(), missing.end()};
}

CheckedPage verify_entries(const VerifiedChannel& channel, std::span<const api::ChannelEntry> page,
                           std::span<const api::ChannelEntry> removers, std::uint64_t after,
                           bool resynced) {
  std::map<std::uint64_t, const api::ChannelEntry*> by_seq;
  for (const api::ChannelEntry& entry : removers) by_seq.emplace(entry.seq(), &entry);
  for (const api::ChannelEntry& entry : page) by_seq[entry.seq()] = &entry;
  const channel::Authority authority = page_authority(channel, page);
  CheckedPage out;
  std::uint64_t previous = after;
  bool first = true;
  for (const api::ChannelEntry& served : page) {
    ChannelItem item = served.entry().empty() ? base_item(channel, served)
                                              : check_entry(channel, authority, served);
    if (served.has_moderation() && served.entry().empty()) {
      moderated(item, channel, served);
    } else if (served.entry().empty()) {
      check_erased(item, channel, authority, by_seq);
    }
    if (served.seq() <= previous) {
      flag(item, "the server sent it out of order (after " + seq_text(previous) + ")");
    } else if (served.seq() != previous + 1 && !(first && resynced)) {
      const std::string gap = "the server left out " + seq_text(previous + 1) +
                              (served.seq() - previous > 2 ? "-" + seq_text(served.seq() - 1) : "") +
                              " before this entry";
      flag(item, gap);
      out.problems.push_back(gap);
    }
    previous = std::max(previous, served.seq());
    first = false;
    out.items.push_back(std::move(item));
  }
  return out;
}

ChannelItem verify_pushed_entry(const VerifiedChannel& channel, const api::ChannelEntry& entry) {
  const channel::Authority authority = page_authority(channel, std::span(&entry, 1));
  if (entry.entry().empty() && entry.has_moderation()) {
    ChannelItem item = base_item(channel, entry);
    moderated(item, channel, entry);
    return item;
  }
  if (entry.entry().empty()) {
    ChannelItem item = base_item(channel, entry);
    item.kind = "removed";
    flag(item, "the server pushed an empty entry");
    return item;
  }
  return check_entry(channel, authority, entry);
}

}  // namespace bulwark::client
