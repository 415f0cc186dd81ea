#include "server/handlers/moderation_effects.h"

#include <algorithm>
#include <set>

#include "server/handlers/channel_common.h"
#include "store/limits.h"

namespace bulwark::server {

Result<ModerationHolds> load_holds(store::Store& store, const store::ChannelId& channel,
                                   std::span<const store::ChannelEntry> entries) {
  ModerationHolds holds;
  std::set<std::uint64_t> posts;  // the page's posts and the posts its edits change
  for (const store::ChannelEntry& entry : entries) {
    if (entry.kind == store::ChannelEntryKind::post) posts.insert(entry.seq);
    if (entry.kind == store::ChannelEntryKind::edit) posts.insert(entry.target);
  }
  posts.erase(0);
  if (posts.empty()) return holds;
  auto keep = [&holds](std::vector<store::HiddenPost> found) {
    for (store::HiddenPost& hidden : found) holds.emplace(hidden.seq, std::move(hidden.effect));
  };
  // One range query while the range fits the store's bound; beyond it (an edit of a post far
  // back) each post on its own, so that no hidden post past the bound is served whole.
  if (*posts.rbegin() - *posts.begin() < store::max_hidden_posts_page) {
    keep(BULWARK_TRY(store.hidden_posts(channel, *posts.begin(), *posts.rbegin())));
    return holds;
  }
  for (const std::uint64_t post : posts) keep(BULWARK_TRY(store.hidden_posts(channel, post, post)));
  return holds;
}

const store::ModerationEffect* hold_for(const ModerationHolds& holds,
                                        const store::ChannelEntry& entry) {
  std::uint64_t post = 0;
  if (entry.kind == store::ChannelEntryKind::post) post = entry.seq;
  if (entry.kind == store::ChannelEntryKind::edit) post = entry.target;
  if (post == 0) return nullptr;
  auto found = holds.find(post);
  return found == holds.end() ? nullptr : &found->second;
}

void held_entry_to_api(const store::ChannelEntry& entry, const store::ModerationEffect* hold,
                       api::ChannelEntry& out) {
  entry_to_api(entry, out);
  // A post its author removed is gone already: the author's genuine REMOVE says so.
  if (hold == nullptr || entry.deleted_by != 0) return;
  out.clear_entry();
  out.mutable_moderation()->set_case_id(hold->case_id);
  out.mutable_moderation()->set_reason(hold->reason);
  if (!hold->record.empty()) {
    out.mutable_moderation()->set_record(hold->record.data(), hold->record.size());
    out.mutable_moderation()->set_signature(hold->signature.data(), hold->signature.size());
  }
}

Result<std::optional<std::string>> channel_restricted(store::Store& store,
                                                      const store::ChannelId& channel) {
  auto restriction = BULWARK_TRY(store.channel_restriction(channel));
  if (!restriction) return std::optional<std::string>{};
  return std::optional<std::string>("this channel is restricted by moderation (case " +
                                    std::to_string(restriction->case_id) + "): " +
                                    restriction->reason);
}

Result<std::optional<std::string>> account_suspended(store::Store& store,
                                                     const store::AccountId& account) {
  auto suspension = BULWARK_TRY(store.account_suspension(account));
  if (!suspension) return std::optional<std::string>{};
  return std::optional<std::string>(
      "this account is suspended by moderation (case " + std::to_string(suspension->case_id) +
      "): " + suspension->reason + "; see `bulwark moderation` to appeal");
}

}  // namespace bulwark::server
