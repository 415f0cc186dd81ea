// MLS groups in SQL (store/group_store.h): one row per group (id, epoch, token hash), and
// the compare-and-set that advances an epoch and queues its commit in one savepoint.
#pragma once

#include <optional>

#include "common/result.h"
#include "store/group_records.h"
#include "store/sql/db.h"

namespace bulwark::store::sql {

[[nodiscard]] Result<void> create_group(Db& db, const Group& group);
[[nodiscard]] Result<std::optional<Group>> group(Db& db, ByteView id);
[[nodiscard]] Result<GroupSendOutcome> commit_to_group(Db& db, const GroupSend& send,
                                                       ByteView next_token_hash);
[[nodiscard]] Result<GroupSendOutcome> send_to_group(Db& db, const GroupSend& send);
[[nodiscard]] Result<OrphanSweep> release_orphaned_contents(Db& db, std::uint64_t after,
                                                            std::uint32_t limit);

}  // namespace bulwark::store::sql
