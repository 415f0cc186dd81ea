// Channel writes (api.proto "channels"): creating a channel and appending entries. The server
// checks every entry's signature and signer before storing it, so that a forged post never
// reaches a subscriber; it still cannot forge one, since it holds no channel key. Once an entry
// is durable it is pushed to the channel's online subscribers, one shared frame for all.
#include <memory>

#include "api/proto/api.pb.h"
#include "channel/admin_set.h"
#include "channel/entry.h"
#include "server/bus/bus.h"
#include "server/device_session.h"
#include "server/handlers/channel_common.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/moderation_effects.h"
#include "moderation/rules.h"
#include "server/handlers/respond.h"
#include "store/limits.h"

namespace bulwark::server {
namespace {

constexpr std::size_t invite_hash_bytes = 32;

// Decodes and checks an entry's signature on the I/O thread, so the store thread only checks
// the signer and the order. Answers the request itself on failure.
std::optional<channel::Entry> decoded_entry(DeviceSession& session, std::uint64_t id,
                                            const std::string& bytes) {
  if (bytes.size() > channel::max_entry_bytes) {
    session.respond_status(id, api::TOO_LARGE, "channel entry is too large (a post holds at "
                                               "most 4096 characters)");
    return std::nullopt;
  }
  auto entry = channel::decode_entry(as_bytes(bytes));
  if (!entry) {
    session.context().metrics.channel_entries_refused++;
    session.respond_status(id, api::BAD_REQUEST, entry.error().context);
    return std::nullopt;
  }
  if (auto signed_ok = channel::verify_signature(*entry); !signed_ok) {
    session.context().metrics.channel_entries_refused++;
    session.respond_status(id, api::BAD_REQUEST, "channel entry signature does not verify");
    return std::nullopt;
  }
  return std::move(*entry);
}

struct AppendOutcome {
  enum class Check { stored, no_channel, wrong_seq, refused } check = Check::stored;
  std::uint64_t next_seq = 0;
  std::string problem;
  store::ChannelEntry stored;
  // A policy rule matched the post (public channels only): the case it opened, and the hold
  // when the rule hides at once.
  std::uint64_t rule_case = 0;
  std::optional<store::ModerationEffect> hold;
};

// What the store thread needs to apply the operator's policy rules to an entry.
struct RuleInput {
  const moderation::RuleSet* rules = nullptr;  // lives as long as the server
  std::string_view hide_reason;                // the server's config: lives as long too
  std::int64_t now_ms = 0;
};

// Matches a public channel's post or edit against the policy rules, once the channel is known
// to be public (a private channel's posts are never scanned), and opens the rule's case for
// the post (an edit's target), hiding it at once for a hide rule. The match is linear in the
// text (moderation/rules.h), so it holds the store thread for at most a few milliseconds.
Result<void> apply_rule(store::Store& store, const store::Channel& channel,
                        const channel::Entry& entry, const RuleInput& rules,
                        AppendOutcome& outcome) {
  if (rules.rules == nullptr || channel.is_private) return {};
  if (entry.kind != channel::EntryKind::post && entry.kind != channel::EntryKind::edit) return {};
  const std::optional<moderation::RuleMatch> found = rules.rules->match(entry.text);
  if (!found) return {};
  store::NewRuleMatch match;
  match.channel = channel.id;
  match.seq = entry.kind == channel::EntryKind::edit ? entry.target : entry.seq;
  match.owner = channel.owner;
  match.category = static_cast<std::uint8_t>(found->category);
  match.rule = found->rule;
  match.hide = found->effect == moderation::RuleEffect::hide;
  match.reason = std::string(rules.hide_reason);
  match.now_ms = rules.now_ms;
  outcome.rule_case = BULWARK_TRY(store.open_rule_case(match));
  if (match.hide) {
    // A rule's hold: no moderator has signed anything yet.
    store::ModerationEffect hold;
    hold.case_id = outcome.rule_case;
    hold.reason = match.reason;
    hold.since_ms = match.now_ms;
    outcome.hold = std::move(hold);
  }
  return {};
}

// The entry's effect on earlier ones must make sense: edits and removals name a live post.
Result<void> check_target(store::Store& store, const store::ChannelId& channel,
                          const channel::Entry& entry) {
  if (entry.kind != channel::EntryKind::edit && entry.kind != channel::EntryKind::remove) return {};
  auto target = BULWARK_TRY(store.channel_entry(channel, entry.target));
  if (!target || target->kind != store::ChannelEntryKind::post)
    return fail(Errc::invalid_argument, "seq " + std::to_string(entry.target) + " is not a post");
  if (target->deleted_by != 0)
    return fail(Errc::invalid_argument, "post " + std::to_string(entry.target) + " was removed");
  return {};
}

// On the store thread, in the batch's transaction: order, signer and target see one state.
Result<void> check_and_append(store::Store& store, const store::ChannelId& id,
                              const channel::Entry& entry, const store::AccountId& account,
                              const RuleInput& rules, AppendOutcome& outcome) {
  auto channel = BULWARK_TRY(store.channel(id));
  if (!channel) {
    outcome.check = AppendOutcome::Check::no_channel;
    return {};
  }
  auto moderated = BULWARK_TRY(channel_restricted(store, id));
  if (!moderated) moderated = BULWARK_TRY(account_suspended(store, account));
  if (moderated) {
    outcome.check = AppendOutcome::Check::refused;
    outcome.problem = std::move(*moderated);
    return {};
  }
  if (entry.seq != channel->last_seq + 1) {
    outcome.check = AppendOutcome::Check::wrong_seq;
    outcome.next_seq = channel->last_seq + 1;
    return {};
  }
  const channel::Authority authority = BULWARK_TRY(stored_authority(store, *channel));
  auto refused = [&](std::string problem) -> Result<void> {
    outcome.check = AppendOutcome::Check::refused;
    outcome.problem = std::move(problem);
    return {};
  };
  if (auto allowed = authority.may_sign(entry); !allowed) return refused(allowed.error().context);
  if (auto target = check_target(store, id, entry); !target) {
    if (target.error().code != Errc::invalid_argument) return tl::unexpected(target.error());
    return refused(target.error().context);
  }
  const bool admin_change = entry.kind == channel::EntryKind::admin_add ||
                            entry.kind == channel::EntryKind::admin_remove;
  if (admin_change && BULWARK_TRY(store.channel_admin_entries(id)).size() >=
                          store::max_channel_admin_entries)
    return refused("this channel has had too many admin changes");
  BULWARK_TRY(store.append_channel_entry(id, outcome.stored));
  BULWARK_TRY(apply_rule(store, *channel, entry, rules, outcome));
  if (!outcome.hold && entry.kind == channel::EntryKind::edit) {
    // An edit of a post moderation hid is held with it, pushes included.
    auto held = BULWARK_TRY(store.hidden_posts(id, entry.target, entry.target));
    if (!held.empty()) outcome.hold = std::move(held.front().effect);
  }
  outcome.check = AppendOutcome::Check::stored;
  return {};
}

std::shared_ptr<const std::string> push_frame(const store::ChannelId& channel,
                                              const store::ChannelEntry& entry,
                                              const store::ModerationEffect* hold) {
  api::Frame frame;
  api::ChannelPush* push = frame.mutable_push()->mutable_channel_entry();
  push->set_channel_id(channel.bytes.data(), channel.bytes.size());
  held_entry_to_api(entry, hold, *push->mutable_entry());
  auto out = std::make_shared<std::string>();
  frame.SerializeToString(out.get());
  return out;
}

}  // namespace

void handle_channel_create(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::ChannelCreate& create = request.channel_create();
  const store::AccountId owner = session.device()->account;
  auto decision = context.limiters.take(Limit::sends_per_account, account_text(owner));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  auto entry = decoded_entry(session, id, create.create_entry());
  if (!entry) return;
  auto authority = channel::Authority::from_create(*entry);
  if (!authority) {
    context.metrics.channel_entries_refused++;
    return session.respond_status(id, api::BAD_REQUEST, authority.error().context);
  }
  const bool is_private = entry->profile.is_private;
  if (is_private != (create.invite_hash().size() == invite_hash_bytes) ||
      (!is_private && !create.invite_hash().empty()))
    return session.respond_status(id, api::BAD_REQUEST,
                                  "a private channel needs a 32-byte invite hash, a public one none");

  auto channel = std::make_shared<store::Channel>();
  channel->id = store_channel_id(entry->channel);
  channel->handle = entry->profile.handle;
  channel->owner = owner;
  channel->channel_key = entry->profile.channel_key;
  channel->is_private = is_private;
  channel->invite_hash = to_bytes(as_bytes(create.invite_hash()));
  channel->create_entry = to_bytes(as_bytes(create.create_entry()));
  channel->created_ms = context.now_ms();
  auto suspended = std::make_shared<std::optional<std::string>>();
  session.with_store(id, [channel, suspended](store::Store& store) -> Result<void> {
    *suspended = BULWARK_TRY(account_suspended(store, channel->owner));
    if (*suspended) return {};
    return store.create_channel(*channel);
  }, [&session, id, channel, suspended](Result<void> result) {
    if (result && *suspended) return session.respond_status(id, api::BAD_REQUEST, **suspended);
    if (!result && result.error().code == Errc::conflict)
      return session.respond_status(id, api::CONFLICT,
                                    "the handle @" + channel->handle + " is taken");
    if (!result) return respond_error(session, id, result.error());
    api::Response response = ok_response(id);
    response.mutable_channel_create()->set_channel_id(channel->id.bytes.data(),
                                                      channel->id.bytes.size());
    session.respond(response);
  });
}

void handle_channel_append(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const store::AccountId account = session.device()->account;
  auto decision = context.limiters.take(Limit::sends_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  auto entry = decoded_entry(session, id, request.channel_append().entry());
  if (!entry) return;
  if (entry->kind == channel::EntryKind::create)
    return session.respond_status(id, api::BAD_REQUEST, "a channel is created with ChannelCreate");

  const std::int64_t now = context.now_ms();
  auto outcome = std::make_shared<AppendOutcome>();
  outcome->stored.seq = entry->seq;
  outcome->stored.kind = static_cast<store::ChannelEntryKind>(entry->kind);
  outcome->stored.target = entry->target;
  outcome->stored.entry = to_bytes(as_bytes(request.channel_append().entry()));
  outcome->stored.server_time_ms = now;
  const store::ChannelId channel = store_channel_id(entry->channel);
  RuleInput rules{context.moderation_rules, context.config.moderation_hide_reason, now};
  auto checked = std::make_shared<channel::Entry>(std::move(*entry));
  session.with_store(id, [channel, checked, outcome, account, rules](store::Store& store) {
    return check_and_append(store, channel, *checked, account, rules, *outcome);
  }, [&session, id, outcome, now](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    switch (outcome->check) {
      case AppendOutcome::Check::no_channel:
        return session.respond_status(id, api::NOT_FOUND, "no such channel");
      case AppendOutcome::Check::wrong_seq: {
        api::Response response = ok_response(id);
        response.set_status(api::CONFLICT);
        response.set_message("another entry took that seq; sign again with seq " +
                             std::to_string(outcome->next_seq));
        response.mutable_channel_append()->set_next_seq(outcome->next_seq);
        return session.respond(response);
      }
      case AppendOutcome::Check::refused:
        return session.respond_status(id, api::BAD_REQUEST, outcome->problem);
      case AppendOutcome::Check::stored: break;
    }
    api::Response response = ok_response(id);
    response.mutable_channel_append()->set_seq(outcome->stored.seq);
    response.mutable_channel_append()->set_server_time_ms(static_cast<std::uint64_t>(now));
    session.respond(response);
  }, [&context, channel, outcome](const Result<void>& result) {
    // On the store's sync thread, in commit order, once durable: subscribers see the log in
    // seq order and never an entry that a crash could still take back.
    if (result && outcome->check == AppendOutcome::Check::refused)
      context.metrics.channel_entries_refused++;
    if (!result || outcome->check != AppendOutcome::Check::stored) return;
    context.metrics.channel_entries_accepted++;
    if (outcome->rule_case != 0) context.metrics.moderation_cases++;
    if (outcome->hold) context.metrics.moderation_rule_hides++;
    if (context.bus == nullptr) return;
    const store::ModerationEffect* hold = outcome->hold ? &*outcome->hold : nullptr;
    context.metrics.channel_pushes +=
        context.bus->publish(channel, push_frame(channel, outcome->stored, hold));
  });
}

}  // namespace bulwark::server
