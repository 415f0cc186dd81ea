// What the adversarial group tests use to act as a malicious operator or its accomplice: a
// device's raw, authenticated API connection (its Client closed), and a "rogue" MLS group run
// with the core directly, with no KT checks, whose commits go through the real delivery
// service.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/proto/api.pb.h"
#include "client/group_types.h"
#include "client/local_store.h"
#include "client/server_connection.h"
#include "group_world.h"
#include "protocol/mls/group/group.h"

namespace bulwark::e2e {

[[nodiscard]] std::string bytes_text(ByteView bytes);
// An account's id as the server's database writes it in SQL (hex, for X'...').
[[nodiscard]] std::string sql_account(const std::string& uuid);
[[nodiscard]] const client::GroupEvent* find_event(const std::vector<client::GroupEvent>& events,
                                                   client::GroupEvent::Kind kind);

struct RawDevice {
  client::LocalAccount account;
  std::optional<protocol::mls::Member> member;  // its real MLS identity, when it has one
  std::unique_ptr<client::ServerConnection> connection;

  // Sends and expects OK.
  api::Response call(api::Request request);
  // One of `peer`'s KeyPackages, taken from the server.
  protocol::mls::KeyPackage take_key_package(const GroupDevice& peer);
};
// Closes the device's Client and connects as it directly.
[[nodiscard]] RawDevice raw_device(const ServerProcess& server, const TempDir& tmp,
                                   GroupDevice& device);

// A group `creator` runs with the core alone (the default leaf acceptor: anything goes).
class RogueGroup {
 public:
  RogueGroup(RawDevice& creator, protocol::mls::Member me, const std::string& name);
  // Commits `request` and sends it to `recipients`, the Welcome (if any) to `joiners`.
  void commit(const protocol::mls::CommitRequest& request,
              const std::vector<GroupDevice*>& recipients,
              const std::vector<GroupDevice*>& joiners);
  [[nodiscard]] protocol::mls::Group& group() { return group_; }

 private:
  RawDevice& creator_;
  protocol::mls::Group group_;
};

// The capabilities every Bulwark leaf lists (the group name extension).
[[nodiscard]] protocol::mls::Capabilities bulwark_capabilities();

}  // namespace bulwark::e2e
