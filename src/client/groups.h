// Groups: end-to-end encrypted groups on MLS (RFC 9420), the client policy layer over the
// MLS core (protocol/mls/group/group.h) and the server's delivery service (api.proto 80-85).
// Obtained from Client::groups(); valid while the Client is. The design is
// docs/plans/issue-9-groups-client.md; docs/GROUPS.md "Client" describes what was built.
//
// Guarantees:
//  - the roster lives only in the members' MLS state: the server sees a group id, epochs and
//    ciphertext. `members()` reads the local state, never the server;
//  - every leaf that enters this device's view of a group (a Welcome's tree, an Add, an
//    Update, a commit's path leaf) carries a credential signed by its account's identity key
//    as key transparency publishes it, for a device that account's signed record lists
//    (client/group_credential.h); anything else refuses the whole message, names the leaf and
//    the reason, and leaves the group state unchanged;
//  - a commit is applied locally only after the server accepted it (it won its epoch); on
//    CONFLICT the client processes what it missed and retries once with a rebuilt commit;
//  - every roster change is shown to every member with who made it (GroupEvent::roster);
//  - a server that forks the group (delivers different commits to different members) or
//    replays an old commit is reported (GroupEvent::fork / GroupEvent::problem), never
//    silently followed.
//
// GROUP arguments: the group's local name when it names exactly one group on this device, or
// its id in hex (64 digits), or a unique prefix of it of at least 8 digits. PEER arguments:
// "+E164", "@username" or an account UUID, as for messages; add and remove apply to every
// device of that account.
#pragma once

#include <string_view>
#include <vector>

#include "client/client.h"
#include "client/group_types.h"

namespace bulwark::client {

class Groups {
 public:
  explicit Groups(Client::Impl& impl) noexcept : impl_(impl) {}

  // A new group whose only member is this device. `name`: 1-64 bytes of UTF-8 text, no
  // control characters.
  [[nodiscard]] Result<GroupSummary> create(std::string_view name);
  // Adds every device of `peer` (each with one of its KeyPackages, taken from the server).
  // Errc::untrusted_identity when the peer's keys fail the KT or trust check; Errc::not_found
  // when a device has no KeyPackage; Errc::conflict when it is already a member.
  [[nodiscard]] Result<GroupUpdate> add(std::string_view group, std::string_view peer);
  // Removes every device of `peer`; Errc::not_found when it is not a member.
  [[nodiscard]] Result<GroupUpdate> remove(std::string_view group, std::string_view peer);
  [[nodiscard]] Result<GroupSendReceipt> send(std::string_view group, std::string_view text);
  // The roster from the local MLS state.
  [[nodiscard]] Result<std::vector<GroupMember>> members(std::string_view group);
  // Proposes the removal of every device of this account in the group (RFC 9420 has no
  // self-removal commit) and deletes the local state; the next member to process the
  // proposals commits them. This account's other devices then see GroupEvent::removed.
  [[nodiscard]] Result<void> leave(std::string_view group);
  [[nodiscard]] Result<std::vector<GroupSummary>> list();

 private:
  Client::Impl& impl_;
};

}  // namespace bulwark::client
