// JSON and text forms of MLS groups (client/groups.h, client/group_types.h), shared by the
// group commands, receive, chat and the daemon (docs/CLI.md "Groups").
//
// Every roster change is shown with who made it: "[Family] +15551234 (device 1) added @bob
// (devices 1, 2)". Consecutive changes of one kind, by one device, to the devices of one
// account read as one line. "you" is this device; this account's other devices show as its
// phone number with their device ids.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/group_types.h"

namespace bulwark::cli {

[[nodiscard]] nlohmann::json group_summary_json(const client::GroupSummary& group);
[[nodiscard]] nlohmann::json group_member_json(const client::GroupMember& member);
[[nodiscard]] nlohmann::json roster_change_json(const client::RosterChange& change);
// {"type": `type`, "group": summary, "changes": [...]}: the answer to add and remove.
[[nodiscard]] nlohmann::json group_update_json(const std::string& type,
                                               const client::GroupUpdate& update);

// "[Family]", or the group id's first 8 digits when it has no name.
[[nodiscard]] std::string group_label(const std::string& name, const std::string& group_id);
// One line per run of like changes, each starting with `label`.
[[nodiscard]] std::vector<std::string> roster_lines(
    const std::string& label, const std::vector<client::RosterChange>& changes);
// "Family  1a2b3c4d...  3 members, epoch 4".
[[nodiscard]] std::string group_summary_text(const client::GroupSummary& group);
// "+15551234 (device 1, leaf 0) - you".
[[nodiscard]] std::string group_member_text(const client::GroupMember& member);

// A GroupEvent as receive, chat and the daemon show it: JSON "type" group_message,
// group_roster, group_joined, group_removed, group_fork or group_problem.
[[nodiscard]] nlohmann::json group_event_json(const client::GroupEvent& event);
// Text; several lines for a commit with several changes. fork and problem start with "! ".
[[nodiscard]] std::string group_event_text(const client::GroupEvent& event);
// A fork, or a message refused (a leaf failing its KT check, a replayed commit): what receive
// and group chat warn about on stderr and report with exit code 4.
[[nodiscard]] bool is_group_alarm(const client::GroupEvent& event);

}  // namespace bulwark::cli
