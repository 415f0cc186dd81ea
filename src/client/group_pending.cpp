// A commit whose answer was lost: the server may have accepted it (and moved the group to the
// next epoch, without ever delivering this device's own commit back to it) or not. The state
// the commit leads to is kept as the group's pending commit until the server says which
// (docs/GROUPS.md "A lost answer").
#include "client/detail/group_ops.h"
#include "client/group_event_codec.h"

namespace bulwark::client::detail {
namespace {

// The commit won: its state becomes the group's, its hash the epoch's accepted commit, and its
// roster changes are shown as this device's own, all in one transaction.
Result<void> adopt(Client::Impl& impl, StoredGroup row, const PendingCommit& pending) {
  GroupStore store(*impl.store);
  row.state = SecretBytes::copy_of(pending.state.view());
  row.epoch = pending.epoch + 1;
  row.closed = false;
  return impl.store->transaction([&]() -> Result<void> {
    BULWARK_TRY(store.save_group(row));
    BULWARK_TRY(store.record_commit(row.group_id, pending.epoch, pending.commit_hash));
    BULWARK_TRY(store.add_event(pending.event));
    return store.clear_pending_commit(row.group_id);
  });
}

// The pending commit when it is still for the group's epoch (a stale one is dropped).
Result<std::optional<std::pair<StoredGroup, PendingCommit>>> current_pending(Client::Impl& impl,
                                                                             ByteView group_id) {
  using Found = std::optional<std::pair<StoredGroup, PendingCommit>>;
  GroupStore store(*impl.store);
  auto pending = BULWARK_TRY(store.pending_commit(group_id));
  if (!pending) return Found();
  auto row = BULWARK_TRY(store.group(group_id));
  if (!row || row->closed || row->epoch != pending->epoch) {
    BULWARK_TRY(store.clear_pending_commit(group_id));
    return Found();
  }
  return Found(std::pair{std::move(*row), std::move(*pending)});
}

}  // namespace

CommitTestHook& commit_test_hook() {
  static CommitTestHook hook;
  return hook;
}

Result<void> resolve_pending_commit(Client::Impl& impl, ByteView group_id) {
  auto found = BULWARK_TRY(current_pending(impl, group_id));
  if (!found) return {};
  auto& [row, pending] = *found;
  const mls::Group next =
      BULWARK_TRY(mls::Group::deserialize(pending.state.view(), group_config(impl)));
  // A message to nobody at the next epoch with the pending state's token: the server checks the
  // token against the hash the winning commit set, and queues nothing.
  api::Request request;
  auto* probe = request.mutable_send_group_message();
  probe->set_group_id(text_of(group_id));
  probe->set_epoch(next.epoch());
  const SecretBytes token = BULWARK_TRY(epoch_token(next));
  probe->set_epoch_token(text_of(token.view()));
  probe->set_type(api::MLS_PROPOSAL);
  probe->set_message(std::string(1, '\0'));
  probe->set_client_timestamp_ms(static_cast<std::uint64_t>(impl.now_ms()));
  auto response = BULWARK_TRY(impl.call(std::move(request), {api::CONFLICT, api::FORBIDDEN}));
  GroupStore store(*impl.store);
  if (response.status() == api::OK) return adopt(impl, std::move(row), pending);
  // Another member's commit won the epoch (its token differs), or ours never reached the
  // server (it is still at our epoch, and a commit sent on a closed connection never arrives).
  if (response.status() == api::FORBIDDEN || response.group_message().epoch() <= pending.epoch)
    return store.clear_pending_commit(group_id);
  // The group moved on past the next epoch: the queue tells (adopt_pending_commit_if_behind).
  return {};
}

Result<void> adopt_pending_commit_if_behind(Client::Impl& impl, ByteView group_id,
                                            std::uint64_t envelope_epoch) {
  auto found = BULWARK_TRY(current_pending(impl, group_id));
  if (!found || envelope_epoch <= found->first.epoch) return {};
  return adopt(impl, std::move(found->first), found->second);
}

}  // namespace bulwark::client::detail
