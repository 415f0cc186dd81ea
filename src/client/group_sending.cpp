// Sending to a group through the delivery service: commits (adopted only once the server
// accepted them: they won their epoch) and application messages or proposals, with one retry
// after catching up when another member's commit won (CONFLICT).
#include "client/detail/group_ops.h"
#include "client/group_event_codec.h"

namespace bulwark::client::detail {
namespace {

// What catch_up may set aside for Client::receive before it gives up.
constexpr std::size_t max_deferred_pushes = ServerConnection::max_queued_pushes;

void add_devices(google::protobuf::RepeatedPtrField<api::DeviceAddress>* out,
                 const std::vector<api::DeviceAddress>& devices) {
  for (const api::DeviceAddress& device : devices) *out->Add() = device;
}

std::uint64_t unix_seconds(Client::Impl& impl) {
  return static_cast<std::uint64_t>(impl.now_ms() / 1000);
}

Result<api::Request> commit_request(const LoadedGroup& loaded,
                                    const mls::Group::CommitOutput& output, const CommitPlan& plan,
                                    std::int64_t now_ms) {
  api::Request request;
  auto* send = request.mutable_send_group_commit();
  send->set_group_id(text_of(loaded.row.group_id));
  send->set_epoch(loaded.group.epoch());
  const SecretBytes token = BULWARK_TRY(epoch_token(loaded.group));
  send->set_epoch_token(text_of(token.view()));
  const Bytes next_hash = BULWARK_TRY(epoch_token_hash(output.group));
  send->set_next_epoch_token_hash(text_of(next_hash));
  send->set_commit(text_of(output.commit));
  const std::vector<api::DeviceAddress> recipients =
      BULWARK_TRY(other_member_devices(loaded.group));
  add_devices(send->mutable_recipients(), recipients);
  if (output.welcome) {
    send->set_welcome(text_of(*output.welcome));
    add_devices(send->mutable_welcome_recipients(), plan.add_devices);
  }
  send->set_client_timestamp_ms(static_cast<std::uint64_t>(now_ms));
  return request;
}

// What to keep while the commit's answer is awaited: its next state, its hash, and the roster
// event to show should the answer be lost and the commit turn out to have won.
Result<PendingCommit> pending_commit_of(Client::Impl& impl, const LoadedGroup& loaded,
                                        const mls::Group::CommitOutput& output,
                                        const std::vector<RosterChange>& changes) {
  GroupEvent event;
  event.kind = GroupEvent::Kind::roster;
  event.group_id = to_hex(loaded.row.group_id);
  event.group_name = loaded.row.name;
  event.epoch = output.group.epoch();
  event.from = BULWARK_TRY(member_view(impl, loaded.group, loaded.group.own_leaf()));
  event.changes = changes;
  event.sent_at_ms = impl.now_ms();
  SecretBytes next_state = BULWARK_TRY(output.group.serialize());
  return PendingCommit{loaded.group.epoch(), std::move(next_state), commit_hash_of(output.commit),
                       encode_group_event(event)};
}

Result<void> run_test_hook(CommitHookPoint point) {
  const CommitTestHook& hook = commit_test_hook();
  if (!hook) return {};
  return hook(point);
}

}  // namespace

Result<GroupUpdate> commit_and_send(
    Client::Impl& impl, ByteView group_id,
    const std::function<Result<CommitPlan>(const LoadedGroup&)>& rebuild) {
  GroupStore store(*impl.store);
  BULWARK_TRY(take_queued(impl));
  for (int attempt = 0; attempt < 2; ++attempt) {
    BULWARK_TRY(resolve_pending_commit(impl, group_id));
    LoadedGroup loaded = BULWARK_TRY(load_group(impl, group_id));
    const CommitPlan plan = BULWARK_TRY(rebuild(loaded));
    mls::CommitRequest commit;
    commit.add = plan.add;
    commit.remove = plan.remove;
    commit.authenticated_data = fork_check(loaded.group);
    commit.now = unix_seconds(impl);
    mls::Group::CommitOutput output = BULWARK_TRY(loaded.group.commit(commit, impl.rng));
    api::Request request = BULWARK_TRY(commit_request(loaded, output, plan, impl.now_ms()));
    GroupUpdate update;
    update.changes = BULWARK_TRY(roster_changes(impl, loaded.group, output.changes));
    const PendingCommit pending =
        BULWARK_TRY(pending_commit_of(impl, loaded, output, update.changes));
    // The handshake key the commit used is spent whatever the server answers; the state the
    // commit leads to is kept until the answer says whether it won (group_pending.cpp).
    const Result<void> saved = impl.store->transaction([&]() -> Result<void> {
      BULWARK_TRY(save_group_state(impl, loaded.row, output.same_epoch));
      return store.save_pending_commit(group_id, pending);
    });
    if (!saved) return tl::unexpected(saved.error());
    BULWARK_TRY(run_test_hook(CommitHookPoint::before_send));
    auto response = BULWARK_TRY(impl.call(std::move(request), {api::CONFLICT}));
    if (response.status() == api::OK) {
      BULWARK_TRY(run_test_hook(CommitHookPoint::after_accepted));
      const Result<void> adopted = impl.store->transaction([&]() -> Result<void> {
        BULWARK_TRY(save_group_state(impl, loaded.row, output.group));
        BULWARK_TRY(store.record_commit(group_id, loaded.group.epoch(), pending.commit_hash));
        return store.clear_pending_commit(group_id);
      });
      if (!adopted) return tl::unexpected(adopted.error());
      update.group = summary_of(loaded.row, output.group);
      return update;
    }
    // The server refused this very commit: it can never win.
    BULWARK_TRY(store.clear_pending_commit(group_id));
    BULWARK_TRY(catch_up(impl, group_id, response.group_commit().epoch()));
  }
  return fail(Errc::conflict, "the group kept changing while committing: try again");
}

Result<GroupSendReceipt> send_to_group(
    Client::Impl& impl, ByteView group_id, api::EnvelopeType type,
    const std::function<Result<mls::Group::Sent>(const mls::Group&)>& make) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    BULWARK_TRY(resolve_pending_commit(impl, group_id));
    LoadedGroup loaded = BULWARK_TRY(load_group(impl, group_id));
    if (loaded.group.pending_proposals() > 0) {
      // §12.4: proposals received this epoch are committed before anything else is sent.
      BULWARK_TRY(commit_pending_proposals(impl, group_id));
      loaded = BULWARK_TRY(load_group(impl, group_id));
    }
    const std::vector<api::DeviceAddress> recipients =
        BULWARK_TRY(other_member_devices(loaded.group));
    mls::Group::Sent sent = BULWARK_TRY(make(loaded.group));
    api::Request request;
    auto* send = request.mutable_send_group_message();
    send->set_group_id(text_of(group_id));
    send->set_epoch(loaded.group.epoch());
    const SecretBytes token = BULWARK_TRY(epoch_token(loaded.group));
    send->set_epoch_token(text_of(token.view()));
    send->set_type(type);
    send->set_message(text_of(sent.message));
    add_devices(send->mutable_recipients(), recipients);
    send->set_client_timestamp_ms(static_cast<std::uint64_t>(impl.now_ms()));
    // Saved before sending: a ratchet generation is never used twice.
    BULWARK_TRY(save_group_state(impl, loaded.row, sent.group));
    if (recipients.empty()) return GroupSendReceipt{to_hex(group_id), loaded.group.epoch(), 0};
    auto response = BULWARK_TRY(impl.call(std::move(request), {api::CONFLICT}));
    if (response.status() == api::OK) {
      const auto skipped =
          static_cast<std::size_t>(response.group_message().skipped_recipients_size());
      return GroupSendReceipt{to_hex(group_id), loaded.group.epoch(), recipients.size() - skipped};
    }
    BULWARK_TRY(catch_up(impl, group_id, response.group_message().epoch()));
  }
  return fail(Errc::conflict, "the group kept changing while sending: try again");
}

namespace {

// One push read by catch_up or take_queued: a group envelope is handled and acknowledged,
// anything else kept for Client::receive (within max_deferred_pushes).
Result<void> take_push(Client::Impl& impl, ServerConnection& server, api::Push push) {
  if (push.has_envelope() && is_group_envelope(push.envelope())) {
    const std::string id = push.envelope().id();
    auto follow_up = BULWARK_TRY(handle_group_envelope(impl, push.envelope()));
    (void)follow_up;  // proposals are committed by the operation that caught up
    return server.ack(std::span<const std::string>(&id, 1));
  }
  if (impl.deferred_pushes.size() >= max_deferred_pushes)
    return fail(Errc::unavailable,
                "too many other messages are waiting for this device: run `bulwark receive` first");
  impl.deferred_pushes.push_back(std::move(push));
  return {};
}

}  // namespace

Result<void> catch_up(Client::Impl& impl, ByteView group_id, std::uint64_t epoch) {
  ServerConnection* server = BULWARK_TRY(impl.connected());
  const auto deadline = std::chrono::steady_clock::now() + impl.options.timeout;
  GroupStore store(*impl.store);
  for (;;) {
    auto row = BULWARK_TRY(store.group(group_id));
    if (!row || row->closed || row->epoch >= epoch) return {};
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      return fail(Errc::unavailable, "the commits that moved the group to epoch " +
                                         std::to_string(epoch) + " did not arrive");
    auto push = BULWARK_TRY(
        server->next_push(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
    if (push) BULWARK_TRY(take_push(impl, *server, std::move(*push)));
  }
}

Result<void> take_queued(Client::Impl& impl) {
  ServerConnection* server = BULWARK_TRY(impl.connected());
  const auto deadline = std::chrono::steady_clock::now() + impl.options.timeout;
  for (;;) {
    // Until the marker, wait for the rest of the queue; after it, take only what has arrived.
    std::chrono::milliseconds wait{0};
    if (!impl.queue_flushed) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline)
        return fail(Errc::unavailable, "the server did not finish sending this device's queue");
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    }
    auto push = BULWARK_TRY(server->next_push(wait));
    if (!push) {
      if (impl.queue_flushed) return {};
      continue;
    }
    // The marker itself is kept for Client::receive, which reports it as queue_empty.
    if (push->has_queue_empty()) impl.queue_flushed = true;
    BULWARK_TRY(take_push(impl, *server, std::move(*push)));
  }
}

}  // namespace bulwark::client::detail
