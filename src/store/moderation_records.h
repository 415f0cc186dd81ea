// The values the server store holds for public-content moderation (store/store.h
// "moderation", docs/MODERATION.md). Plain data; categories and actions are the moderation
// module's numbers (moderation/category.h, moderation/action.h), which the store keeps as they
// come: it does not link that module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "store/records.h"

namespace bulwark::store {

// What a case is about. One open case per post or channel: reports of it merge into it.
// A message case is one report from an encrypted chat, verified by franking.
enum class CaseTarget : std::uint8_t { post = 1, channel = 2, message = 3 };

// open: waiting for a moderator; decided: a restricting action was taken (appealable once);
// appealed: the owner appealed, waiting for a different moderator; closed: final.
enum class CaseState : std::uint8_t { open = 1, decided = 2, appealed = 3, closed = 4 };

// Action numbers as moderation::Action has them; the store applies their effects.
enum class ModerationActionCode : std::uint8_t { remove_post = 1, restrict_channel = 2,
                                                 suspend_account = 3, dismiss = 4, reinstate = 5 };

struct NewReport {
  CaseTarget target = CaseTarget::post;  // post or channel
  ChannelId channel;
  std::uint64_t seq = 0;  // posts: the post's seq; channels: 0
  AccountId owner;        // the channel's owning account (the affected party)
  AccountId reporter;
  std::uint8_t category = 0;
  std::string comment;
  std::int64_t now_ms = 0;
};

struct ReportOutcome {
  std::uint64_t case_id = 0;
  bool new_case = false;  // no active case of that target existed
  bool counted = false;   // false: this reporter had already reported this case
};

// A policy rule matched a post (moderation/rules.h).
struct NewRuleMatch {
  ChannelId channel;
  std::uint64_t seq = 0;
  AccountId owner;
  std::uint8_t category = 0;
  std::string rule;  // its name, for moderators
  bool hide = false;
  std::string reason;  // shown to readers of a hidden post
  std::int64_t now_ms = 0;
};

// A verified report of a message from an encrypted chat (docs/FRANKING.md).
struct NewMessageCase {
  AccountId sender;    // the reported account (the affected party)
  AccountId reporter;
  std::uint8_t category = 0;
  std::string comment;
  Bytes evidence;      // the revealed messages' texts, as the franking handler encodes them
  // The reported message's franking tag (32 bytes): one case per reported message, however
  // often it is reported. Empty: never merged.
  Bytes message_tag;
  std::int64_t now_ms = 0;
};

struct ModerationReport {
  AccountId reporter;
  std::uint8_t category = 0;
  std::string comment;
  std::int64_t created_ms = 0;
};

struct ModerationAppeal {
  AccountId appellant;
  std::string text;
  std::int64_t created_ms = 0;
  std::string excluded_moderator;  // who made the appealed decision ("" for a rule's hide)
  Bytes excluded_key;              // that moderator's public key (32 bytes; empty likewise)
};

struct ModerationCase {
  std::uint64_t id = 0;
  CaseTarget target = CaseTarget::post;
  ChannelId channel;      // zero for a message case
  std::uint64_t seq = 0;
  AccountId account;      // the affected account
  CaseState state = CaseState::open;
  std::uint8_t category = 0;  // the first report's or the rule's
  std::string rule;           // the rule that opened it, "" for reports
  bool rule_hidden = false;   // a hide rule hid the post when the case opened
  Bytes evidence;             // message cases only
  std::int64_t opened_ms = 0;
  std::int64_t updated_ms = 0;
  std::uint64_t reports = 0;  // distinct reporters
  std::string decided_by;     // the moderator of the last restricting decision
  Bytes decided_by_key;       // their public key (32 bytes), which appeals compare
  std::uint8_t last_action = 0;
  std::optional<ModerationAppeal> appeal;
};

// One entry of the append-only moderation log: a moderator's signed action.
struct ModerationLogEntry {
  std::uint64_t seq = 0;  // assigned by the store, from 1
  std::uint64_t case_id = 0;
  std::uint8_t action = 0;
  AccountId account;         // the case's affected account (filled in by the store)
  std::uint8_t category = 0; // the case's category (filled in by the store)
  std::string moderator;
  Bytes moderator_key;  // 32 bytes, as the signed record names it
  std::string reason;
  std::int64_t created_ms = 0;
  Bytes record;     // moderation/signed_action.h bytes
  Bytes signature;  // 64 bytes
  Bytes prev_hash;  // 32 bytes: the hash of the entry before, zeros for the first
  Bytes hash;       // 32 bytes: this entry's hash
};

// A post hidden by moderation, a restricted channel or a suspended account.
struct ModerationEffect {
  std::uint64_t case_id = 0;
  std::string reason;
  std::int64_t since_ms = 0;
  // Hidden posts: the moderator's logged remove-post action on the case and its signature;
  // empty when a policy rule hid the post and no moderator has decided yet.
  Bytes record;
  Bytes signature;
};

struct HiddenPost {
  std::uint64_t seq = 0;
  ModerationEffect effect;
};

// One line of the public report: per UTC month, a count of reports per category
// (kind "reports"), of rule matches per category ("rule_matches"), or of actions per action and
// category ("actions", code = the action). No content, reporters or accounts.
struct ModerationCount {
  std::string month;  // YYYY-MM
  std::string kind;
  std::uint8_t code = 0;
  std::uint8_t category = 0;
  std::uint64_t count = 0;
};

}  // namespace bulwark::store
