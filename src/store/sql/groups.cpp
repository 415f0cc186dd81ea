#include "store/sql/groups.h"

#include <limits>
#include <optional>
#include <set>
#include <span>
#include <vector>

#include "store/group_store.h"
#include "store/sql/queues.h"
#include "store/sql/row_codec.h"

namespace bulwark::store::sql {
namespace {

constexpr Sql insert_group{"create group",
                           "INSERT INTO mls_groups (group_id, epoch, token_hash) VALUES (?, ?, ?)"};
constexpr Sql select_group{"read group",
                           "SELECT epoch, token_hash FROM mls_groups WHERE group_id = ?"};
// The epoch in the WHERE makes the update itself the compare-and-set.
constexpr Sql advance_group{
    "advance group epoch",
    "UPDATE mls_groups SET epoch = epoch + 1, token_hash = ? WHERE group_id = ? AND epoch = ?"};
constexpr Sql device_exists{"find recipient",
                            "SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?"};

Result<void> check_group_id(ByteView id) {
  if (id.size() < min_group_id_bytes || id.size() > max_group_id_bytes) {
    return fail(Errc::invalid_argument, "a group id is 16 to 32 bytes");
  }
  return {};
}

Result<void> check_token_hash(ByteView hash) {
  if (hash.size() != group_token_hash_bytes) {
    return fail(Errc::invalid_argument, "an epoch token hash is 32 bytes");
  }
  return {};
}

// The store may not link crypto, so this is crypto::constant_time_equal's loop in small: no
// early exit, so how long it takes says nothing about where two hashes first differ.
bool same_hash(ByteView stored, ByteView presented) {
  if (stored.size() != presented.size()) return false;
  unsigned difference = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    difference |= std::to_integer<unsigned>(stored[i] ^ presented[i]);
  }
  return difference == 0;
}

Result<void> check_send(const GroupSend& send) {
  BULWARK_TRY(check_group_id(send.group_id));
  BULWARK_TRY(check_token_hash(send.token_hash));
  if (send.deliveries.size() > max_group_deliveries) {
    return fail(Errc::invalid_argument, "group send: at most a commit and a Welcome");
  }
  for (const GroupDelivery& delivery : send.deliveries) {
    if (delivery.recipients.size() > max_group_recipients) {
      return fail(Errc::invalid_argument, "group send: too many recipients");
    }
    if (delivery.content.empty() || delivery.content.size() > max_group_content_bytes) {
      return fail(Errc::invalid_argument, "group send: content of 1 byte to 1 MiB");
    }
    const std::set<DeviceAddress> distinct(delivery.recipients.begin(), delivery.recipients.end());
    if (distinct.size() != delivery.recipients.size()) {
      return fail(Errc::invalid_argument, "group send: a device named twice");
    }
  }
  return {};
}

Result<bool> has_device(Db& db, const DeviceAddress& device) {
  auto query = BULWARK_TRY(db.prepare(device_exists));
  bind_address(query, device);
  return query.step();
}

Result<std::optional<Group>> read_group(Db& db, ByteView id) {
  auto query = BULWARK_TRY(db.prepare(select_group));
  query.bind(id);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<Group>{};
  const std::uint64_t epoch = BULWARK_TRY(u64_at(query, 0, "read group"));
  return std::optional<Group>(Group{to_bytes(id), epoch, query.blob_at(1)});
}

Result<void> advance(Db& db, const GroupSend& send, ByteView next_token_hash) {
  if (send.epoch >= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return fail(Errc::capacity_exceeded, "advance group epoch: the last epoch");
  }
  auto statement = BULWARK_TRY(db.prepare(advance_group));
  statement.bind(next_token_hash).bind(ByteView(send.group_id));
  statement.bind(static_cast<std::int64_t>(send.epoch));
  BULWARK_TRY(statement.finish());
  // Read in this savepoint a moment ago, so only a broken invariant gets here.
  if (db.changes() != 1) return fail(Errc::storage, "advance group epoch: the row changed");
  return {};
}

// The envelope every copy of `delivery` shares, but for its destination and seq.
Envelope shared_envelope(const GroupSend& send, const GroupDelivery& delivery) {
  Envelope shared;
  shared.id = delivery.id;
  shared.source_account = send.source_account;
  shared.source_device = send.source_device;
  shared.type = delivery.type;
  shared.content = delivery.content;
  shared.server_timestamp_ms = send.server_timestamp_ms;
  shared.client_timestamp_ms = send.client_timestamp_ms;
  shared.expires_at_ms = send.expires_at_ms;
  shared.group_id = send.group_id;
  shared.group_epoch = send.epoch;
  return shared;
}

// Queues every delivery to its recipients that exist; the others go to outcome.skipped. The
// positions of all deliveries are reserved at once, so their locks are taken in one order
// (reserve_positions).
Result<void> queue_deliveries(Db& db, const GroupSend& send, GroupSendOutcome& outcome) {
  std::set<DeviceAddress> skipped;
  std::vector<std::vector<DeviceAddress>> present(send.deliveries.size());
  std::vector<DeviceAddress> every_copy;
  for (std::size_t d = 0; d < send.deliveries.size(); ++d) {
    present[d].reserve(send.deliveries[d].recipients.size());
    for (const DeviceAddress& device : send.deliveries[d].recipients) {
      const bool exists = BULWARK_TRY(has_device(db, device));
      if (exists)
        present[d].push_back(device);
      else if (skipped.insert(device).second)
        outcome.skipped.push_back(device);
    }
    every_copy.insert(every_copy.end(), present[d].begin(), present[d].end());
  }
  const std::vector<std::uint64_t> seqs = BULWARK_TRY(reserve_positions(db, every_copy));
  std::size_t next = 0;
  for (std::size_t d = 0; d < send.deliveries.size(); ++d) {
    const std::span<const std::uint64_t> mine(seqs.data() + next, present[d].size());
    next += present[d].size();
    BULWARK_TRY(write_shared_at(db, shared_envelope(send, send.deliveries[d]), present[d], mine));
    std::vector<QueuedCopy> copies;
    copies.reserve(present[d].size());
    for (std::size_t i = 0; i < present[d].size(); ++i) copies.push_back({present[d][i], mine[i]});
    outcome.queued.push_back(std::move(copies));
  }
  return {};
}

// The check both sends share, then (for a commit) the epoch's advance, then the queueing.
Result<GroupSendOutcome> send_in_savepoint(Db& db, const GroupSend& send,
                                           std::optional<ByteView> next_token_hash) {
  auto group = BULWARK_TRY(read_group(db, send.group_id));
  if (!group) return fail(Errc::not_found, "group send: no such group");
  GroupSendOutcome outcome;
  outcome.epoch = group->epoch;
  if (group->epoch != send.epoch) {
    outcome.status = GroupSendStatus::stale_epoch;
    return outcome;
  }
  if (!same_hash(group->token_hash, send.token_hash)) {
    outcome.status = GroupSendStatus::wrong_token;
    return outcome;
  }
  if (next_token_hash) {
    BULWARK_TRY(advance(db, send, *next_token_hash));
    outcome.epoch = send.epoch + 1;
  }
  BULWARK_TRY(queue_deliveries(db, send, outcome));
  outcome.status = GroupSendStatus::sent;
  return outcome;
}

}  // namespace

Result<void> create_group(Db& db, const Group& group) {
  BULWARK_TRY(check_group_id(group.id));
  BULWARK_TRY(check_token_hash(group.token_hash));
  if (group.epoch > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return fail(Errc::invalid_argument, "create group: epoch out of range");
  }
  auto statement = BULWARK_TRY(db.prepare(insert_group));
  statement.bind(ByteView(group.id))
      .bind(static_cast<std::int64_t>(group.epoch))
      .bind(ByteView(group.token_hash));
  return statement.finish();
}

Result<std::optional<Group>> group(Db& db, ByteView id) { return read_group(db, id); }

Result<GroupSendOutcome> commit_to_group(Db& db, const GroupSend& send, ByteView next_token_hash) {
  BULWARK_TRY(check_send(send));
  BULWARK_TRY(check_token_hash(next_token_hash));
  return in_savepoint(db, [&] { return send_in_savepoint(db, send, next_token_hash); });
}

Result<GroupSendOutcome> send_to_group(Db& db, const GroupSend& send) {
  BULWARK_TRY(check_send(send));
  return in_savepoint(db, [&] { return send_in_savepoint(db, send, std::nullopt); });
}

}  // namespace bulwark::store::sql
