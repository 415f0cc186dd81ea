// Internal: the pieces of receiving a group envelope (group_receiving.cpp, group_joining.cpp).
// Each handler computes what the envelope changes; group_receiving.cpp commits it all in one
// transaction with the envelope id.
#pragma once

#include <optional>
#include <vector>

#include "client/detail/group_ops.h"

namespace bulwark::client::detail {

struct CommitRecord {
  std::uint64_t epoch = 0;  // the epoch the commit left
  Bytes hash;
};

struct Received {
  std::optional<StoredGroup> row;  // the group's new row, if it changed
  std::optional<CommitRecord> commit;
  std::optional<Bytes> used_key_package;  // a join's (a last-resort one is kept)
  std::vector<GroupEvent> events;
  bool commit_proposals = false;
};

// MLS_WELCOME: joins with one of this device's KeyPackages, the tree from the Welcome.
// `existing`: the group's row here, if any (an open one makes the Welcome a duplicate).
[[nodiscard]] Result<Received> receive_welcome(Client::Impl& impl,
                                               const std::optional<StoredGroup>& existing,
                                               const api::Envelope& envelope, GroupEvent event);

}  // namespace bulwark::client::detail
