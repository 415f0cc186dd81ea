#include "cli/group_render.h"

#include <cstdint>

#include "client/display_name.h"

namespace bulwark::cli {
namespace {

using client::GroupEvent;
using client::GroupMember;
using client::RosterChange;

// GroupMember::display()'s rule, from its header-only source: rendering links only the
// client's value types.
std::string name_of(const GroupMember& member) {
  return client::display_name(member.phone, member.username, member.account);
}

bool same_device(const GroupMember& a, const GroupMember& b) {
  return a.account == b.account && a.device_id == b.device_id && a.you == b.you;
}

// Who made a change: "you" for this device, else "+15551234 (device 1)".
std::string actor_text(const GroupMember& member) {
  if (member.you) return "you";
  return name_of(member) + " (device " + std::to_string(member.device_id) + ")";
}

std::string devices_text(const std::vector<std::uint32_t>& devices) {
  std::string text = devices.size() == 1 ? "(device " : "(devices ";
  for (std::size_t i = 0; i < devices.size(); ++i)
    text += (i == 0 ? "" : ", ") + std::to_string(devices[i]);
  return text + ")";
}

// Consecutive changes of one kind, by one device, to the devices of one account.
struct RosterRun {
  RosterChange::Kind kind = RosterChange::Kind::added;
  GroupMember by;
  GroupMember subject;  // the first; the others differ only in device
  std::vector<std::uint32_t> devices;

  [[nodiscard]] bool extends_with(const RosterChange& change) const {
    return change.kind == kind && same_device(change.by, by) &&
           change.subject.account == subject.account && change.subject.you == subject.you;
  }
};

std::vector<RosterRun> runs_of(const std::vector<RosterChange>& changes) {
  std::vector<RosterRun> runs;
  for (const RosterChange& change : changes) {
    if (runs.empty() || !runs.back().extends_with(change))
      runs.push_back({change.kind, change.by, change.subject, {}});
    runs.back().devices.push_back(change.subject.device_id);
  }
  return runs;
}

std::string run_text(const RosterRun& run) {
  const std::string subject =
      run.subject.you ? "you" : name_of(run.subject) + " " + devices_text(run.devices);
  switch (run.kind) {
    case RosterChange::Kind::added:
      return actor_text(run.by) + " added " + subject;
    case RosterChange::Kind::removed:
      // A member that leaves proposes its own removal (RFC 9420 has no self-removal commit).
      if (run.by.account == run.subject.account) return subject + " left";
      return actor_text(run.by) + " removed " + subject;
    case RosterChange::Kind::updated:
      return subject + " updated " + (run.subject.you ? "your" : "its") + " keys";
  }
  return subject;
}

const char* kind_name(RosterChange::Kind kind) {
  switch (kind) {
    case RosterChange::Kind::added:
      return "added";
    case RosterChange::Kind::removed:
      return "removed";
    case RosterChange::Kind::updated:
      return "updated";
  }
  return "";
}

const char* event_type(GroupEvent::Kind kind) {
  switch (kind) {
    case GroupEvent::Kind::message:
      return "group_message";
    case GroupEvent::Kind::roster:
      return "group_roster";
    case GroupEvent::Kind::joined:
      return "group_joined";
    case GroupEvent::Kind::removed:
      return "group_removed";
    case GroupEvent::Kind::fork:
      return "group_fork";
    case GroupEvent::Kind::problem:
      return "group_problem";
  }
  return "group_event";
}

nlohmann::json changes_json(const std::vector<RosterChange>& changes) {
  nlohmann::json list = nlohmann::json::array();
  for (const RosterChange& change : changes) list.push_back(roster_change_json(change));
  return list;
}

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

// A Welcome: who added this device, then the commit's other changes.
std::string joined_text(const std::string& label, const GroupEvent& event) {
  std::vector<std::string> lines{
      label + (event.from ? " " + actor_text(*event.from) + " added you" : " you were added")};
  std::vector<RosterChange> others;
  for (const RosterChange& change : event.changes) {
    if (!change.subject.you) others.push_back(change);
  }
  for (std::string& line : roster_lines(label, others)) lines.push_back(std::move(line));
  return joined_lines(lines);
}

}  // namespace

nlohmann::json group_summary_json(const client::GroupSummary& group) {
  return {{"group_id", group.group_id},
          {"name", group.name},
          {"epoch", group.epoch},
          {"members", group.members}};
}

nlohmann::json group_member_json(const GroupMember& member) {
  nlohmann::json out{{"leaf", member.leaf},
                     {"account", member.account},
                     {"device", member.device_id},
                     {"name", name_of(member)},
                     {"you", member.you}};
  if (member.phone) out["phone"] = *member.phone;
  if (member.username) out["username"] = *member.username;
  return out;
}

nlohmann::json roster_change_json(const RosterChange& change) {
  return {{"kind", kind_name(change.kind)},
          {"subject", group_member_json(change.subject)},
          {"by", group_member_json(change.by)}};
}

nlohmann::json group_update_json(const std::string& type, const client::GroupUpdate& update) {
  return {{"type", type},
          {"group", group_summary_json(update.group)},
          {"changes", changes_json(update.changes)}};
}

std::string group_label(const std::string& name, const std::string& group_id) {
  return "[" + (name.empty() ? group_id.substr(0, 8) : name) + "]";
}

std::vector<std::string> roster_lines(const std::string& label,
                                      const std::vector<RosterChange>& changes) {
  std::vector<std::string> lines;
  for (const RosterRun& run : runs_of(changes)) lines.push_back(label + " " + run_text(run));
  return lines;
}

std::string group_summary_text(const client::GroupSummary& group) {
  return group.name + "  " + group.group_id.substr(0, 8) + "...  " + std::to_string(group.members) +
         (group.members == 1 ? " device" : " devices") + ", epoch " + std::to_string(group.epoch);
}

std::string group_member_text(const GroupMember& member) {
  return name_of(member) + " (device " + std::to_string(member.device_id) + ", leaf " +
         std::to_string(member.leaf) + ")" + (member.you ? " - you" : "");
}

nlohmann::json group_event_json(const GroupEvent& event) {
  nlohmann::json out{{"type", event_type(event.kind)}, {"group_id", event.group_id},
                     {"group", event.group_name},      {"epoch", event.epoch},
                     {"id", event.envelope_id},        {"sent_at", event.sent_at_ms}};
  if (event.from) {
    out["from"] = name_of(*event.from);
    out["from_account"] = event.from->account;
    out["from_device"] = event.from->device_id;
    out["from_you"] = event.from->you;
    if (event.from->phone) out["from_phone"] = *event.from->phone;
    if (event.from->username) out["from_username"] = *event.from->username;
  }
  switch (event.kind) {
    case GroupEvent::Kind::message:
      out["body"] = event.text;
      break;
    case GroupEvent::Kind::roster:
    case GroupEvent::Kind::joined:
      out["changes"] = changes_json(event.changes);
      break;
    case GroupEvent::Kind::removed:
      break;
    case GroupEvent::Kind::fork:
    case GroupEvent::Kind::problem:
      out["detail"] = event.detail;
      break;
  }
  return out;
}

std::string group_event_text(const GroupEvent& event) {
  const std::string label = group_label(event.group_name, event.group_id);
  switch (event.kind) {
    case GroupEvent::Kind::message:
      return label + " " + (event.from ? name_of(*event.from) : "?") + ": " + event.text;
    case GroupEvent::Kind::roster: {
      auto lines = roster_lines(label, event.changes);
      if (lines.empty())
        return label + " the roster changed (epoch " + std::to_string(event.epoch) + ")";
      return joined_lines(lines);
    }
    case GroupEvent::Kind::joined:
      return joined_text(label, event);
    case GroupEvent::Kind::removed:
      return label + " you were removed" + (event.from ? " by " + actor_text(*event.from) : "");
    case GroupEvent::Kind::fork:
      return "! " + label + " fork: " + event.detail;
    case GroupEvent::Kind::problem:
      return "! " + label + " refused: " + event.detail;
  }
  return label;
}

bool is_group_alarm(const GroupEvent& event) {
  return event.kind == GroupEvent::Kind::fork || event.kind == GroupEvent::Kind::problem;
}

}  // namespace bulwark::cli
