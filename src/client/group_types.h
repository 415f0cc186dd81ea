// What the client reports about MLS groups (client/groups.h): plain values for the CLI and the
// daemon to print. Nothing here holds a secret.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bulwark::client {

struct GroupSummary {
  std::string group_id;  // 64 hex digits
  std::string name;      // the title the creator gave it
  std::uint64_t epoch = 0;
  std::size_t members = 0;  // leaves (devices) in this device's view
};

struct GroupMember {
  std::uint32_t leaf = 0;
  std::string account;  // UUID text
  std::uint32_t device_id = 0;
  std::optional<std::string> phone;     // when this device knows it (a contact, or itself)
  std::optional<std::string> username;
  bool you = false;  // this device
  [[nodiscard]] std::string display() const;  // phone, else @username, else the account id
};

// One roster change a commit made, with who made it: "alice (device 1) added bob (device 2)".
struct RosterChange {
  enum class Kind { added, removed, updated } kind = Kind::added;
  GroupMember subject;
  GroupMember by;  // the member that proposed the change (the committer for its own)
};

// The answer to create/add/remove: the group after the change, and the changes as every
// member sees them.
struct GroupUpdate {
  GroupSummary group;
  std::vector<RosterChange> changes;
};

struct GroupSendReceipt {
  std::string group_id;
  std::uint64_t epoch = 0;
  std::size_t devices = 0;  // recipient devices queued
};

// Something that arrived for a group (Client::receive delivers these as
// ReceiveEvent::Kind::group_event).
struct GroupEvent {
  // message: a member's text; roster: a commit changed the roster (changes);
  // joined: this device was added (Welcome), by `from`; removed: this device was removed by
  // `from` and the group is closed here; fork: the server delivered commits this device's
  // members do not share (detail says which epoch); problem: a group message was refused
  // (detail names why: a leaf that fails its KT check, a replayed commit, an undecryptable
  // message), the group state unchanged.
  enum class Kind { message, roster, joined, removed, fork, problem } kind = Kind::message;
  std::string group_id;
  std::string group_name;
  std::uint64_t epoch = 0;
  std::optional<GroupMember> from;
  std::string text;  // message
  std::vector<RosterChange> changes;  // roster, joined
  std::string detail;                 // fork, problem
  std::string envelope_id;
  std::int64_t sent_at_ms = 0;
};

}  // namespace bulwark::client
