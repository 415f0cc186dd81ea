// Receiving group envelopes: a Welcome joins, a commit moves the epoch (or is reported as a
// replay or a fork), an application message is shown, proposals are cached for a commit. What
// a message changes (the group state, the events to show, the envelope id) is committed in one
// transaction before the envelope is acknowledged, as for 1:1 messages.
#include "client/content.h"
#include "client/detail/group_ops.h"
#include "client/detail/group_receive_parts.h"
#include "client/group_event_codec.h"
#include "client/uuid.h"
#include "protocol/mls/messages/mls_message.h"

namespace bulwark::client::detail {
namespace {

// Failures that say nothing about the message: the envelope stays on the server for later.
bool is_transient(const Error& error) {
  return error.code == Errc::storage || error.code == Errc::network ||
         error.code == Errc::unavailable || error.code == Errc::rate_limited;
}

// A message this device could not process: a fork when its fork check (in the clear in a
// PrivateMessage) names an epoch of the same number that is not ours, else a problem.
GroupEvent refused(GroupEvent event, const mls::Group& group, ByteView message, const Error& why) {
  auto decoded = mls::deserialize_mls_message(message);
  if (decoded) {
    if (const auto* sealed = std::get_if<mls::PrivateMessage>(&decoded->body)) {
      if (sealed->epoch == group.epoch() && sealed->authenticated_data.size() == fork_check_bytes &&
          sealed->authenticated_data != fork_check(group)) {
        event.kind = GroupEvent::Kind::fork;
        event.detail = "fork: the sender's epoch " + std::to_string(sealed->epoch) +
                       " is not ours (the server delivered different commits)";
        return event;
      }
    }
  }
  event.kind = GroupEvent::Kind::problem;
  event.detail = "message refused: " + why.describe();
  return event;
}

Result<Received> receive_commit(Client::Impl& impl, LoadedGroup loaded,
                                const api::Envelope& envelope, GroupEvent event) {
  Received out;
  const ByteView commit = as_bytes(envelope.content());
  const std::uint64_t epoch = envelope.group_epoch();
  const mls::Group& group = loaded.group;
  if (epoch < group.epoch()) {
    GroupStore store(*impl.store);
    auto accepted = BULWARK_TRY(store.commit_hash(loaded.row.group_id, epoch));
    event.epoch = epoch;
    if (accepted && *accepted == commit_hash_of(commit)) {
      event.kind = GroupEvent::Kind::problem;
      event.detail = "replayed commit for epoch " + std::to_string(epoch) + " dropped";
    } else if (accepted) {
      event.kind = GroupEvent::Kind::fork;
      event.detail = "fork: two different commits for epoch " + std::to_string(epoch) +
                     " (the server delivered another one before)";
    } else {
      event.kind = GroupEvent::Kind::problem;
      event.detail = "a commit for old epoch " + std::to_string(epoch) + " dropped";
    }
    out.events.push_back(std::move(event));
    return out;
  }
  auto processed = group.process(commit);
  if (!processed) {
    if (is_transient(processed.error())) return tl::unexpected(processed.error());
    out.events.push_back(refused(std::move(event), group, commit, processed.error()));
    return out;
  }
  if (processed->kind != mls::ContentKind::commit) {
    event.kind = GroupEvent::Kind::problem;
    event.detail = "an MLS_COMMIT envelope that holds no commit";
    out.events.push_back(std::move(event));
    return out;
  }
  if (processed->authenticated_data != fork_check(group)) {
    event.kind = GroupEvent::Kind::fork;
    event.detail = "fork: the committer's epoch " + std::to_string(group.epoch()) + " is not ours";
    out.events.push_back(std::move(event));
    return out;
  }
  event.from = BULWARK_TRY(member_view(impl, group, processed->sender));
  event.changes = BULWARK_TRY(roster_changes(impl, group, processed->changes));
  out.commit = CommitRecord{group.epoch(), commit_hash_of(commit)};
  if (processed->removed_me) {
    event.kind = GroupEvent::Kind::removed;
    event.epoch = group.epoch() + 1;
    loaded.row.closed = true;
    loaded.row.state.reset();
    loaded.row.epoch = group.epoch() + 1;
    out.row = std::move(loaded.row);
  } else {
    event.kind = GroupEvent::Kind::roster;
    event.epoch = processed->group->epoch();
    loaded.row.state = BULWARK_TRY(processed->group->serialize());
    loaded.row.epoch = processed->group->epoch();
    out.row = std::move(loaded.row);
  }
  out.events.push_back(std::move(event));
  return out;
}

Result<Received> receive_application(Client::Impl& impl, LoadedGroup loaded,
                                     const api::Envelope& envelope, GroupEvent event) {
  Received out;
  const ByteView message = as_bytes(envelope.content());
  auto processed = loaded.group.process(message);
  if (!processed) {
    if (is_transient(processed.error())) return tl::unexpected(processed.error());
    out.events.push_back(refused(std::move(event), loaded.group, message, processed.error()));
    return out;
  }
  if (processed->kind != mls::ContentKind::application) {
    event.kind = GroupEvent::Kind::problem;
    event.detail = "an MLS_APPLICATION envelope that holds no application message";
    out.events.push_back(std::move(event));
    return out;
  }
  event.from = BULWARK_TRY(member_view(impl, loaded.group, processed->sender));
  // The key is used up even when the content is refused: the new state is kept either way.
  loaded.row.state = BULWARK_TRY(processed->group->serialize());
  out.row = std::move(loaded.row);
  auto content = decode_content(processed->application_data);
  secure_wipe(processed->application_data);
  if (!content) {
    event.kind = GroupEvent::Kind::problem;
    event.detail = "message refused: " + content.error().describe();
  } else {
    event.kind = GroupEvent::Kind::message;
    event.text = std::move(content->body);
    event.sent_at_ms = content->sent_at_ms;
  }
  out.events.push_back(std::move(event));
  return out;
}

Result<Received> receive_proposals(Client::Impl& impl, LoadedGroup loaded,
                                   const api::Envelope& envelope, GroupEvent event) {
  Received out;
  const ByteView content = as_bytes(envelope.content());
  mls::TlsReader reader(content);
  mls::Group group = loaded.group;
  bool removes_me = false;
  bool from_my_account = false;
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  for (std::size_t count = 0; reader.remaining() > 0; ++count) {
    const std::size_t start = content.size() - reader.remaining();
    auto decoded = mls::decode_mls_message(reader);
    if (!decoded || count >= max_proposals_per_envelope) {
      event.kind = GroupEvent::Kind::problem;
      event.detail = "a malformed proposal envelope";
      out.events.push_back(std::move(event));
      return out;
    }
    const ByteView one = content.subspan(start, content.size() - reader.remaining() - start);
    auto processed = group.process(one);
    if (!processed) {
      if (is_transient(processed.error())) return tl::unexpected(processed.error());
      out.events.push_back(refused(std::move(event), group, one, processed.error()));
      return out;
    }
    if (processed->kind != mls::ContentKind::proposal || !processed->proposal) {
      event.kind = GroupEvent::Kind::problem;
      event.detail = "an MLS_PROPOSAL envelope that holds something else";
      out.events.push_back(std::move(event));
      return out;
    }
    if (const auto* remove = std::get_if<mls::Remove>(&processed->proposal->body))
      removes_me = removes_me || remove->removed == group.own_leaf().value();
    auto sender = leaf_identity(processed->sender_credential);
    from_my_account = sender && std::ranges::equal(sender->account_id, self->account_id);
    group = std::move(*processed->group);
  }
  loaded.row.state = BULWARK_TRY(group.serialize());
  out.row = std::move(loaded.row);
  // The member leaving cannot commit its own removal, nor can its other devices (the RFC
  // forbids a commit that removes its committer): another account's member does.
  if (!removes_me && !from_my_account) out.commit_proposals = true;
  return out;
}

}  // namespace

bool is_group_envelope(const api::Envelope& envelope) {
  const api::EnvelopeType type = envelope.type();
  return type == api::MLS_COMMIT || type == api::MLS_WELCOME || type == api::MLS_APPLICATION ||
         type == api::MLS_PROPOSAL;
}

Result<std::optional<Bytes>> handle_group_envelope(Client::Impl& impl,
                                                   const api::Envelope& envelope) {
  const ByteView envelope_id = as_bytes(envelope.id());
  if (BULWARK_TRY(impl.store->envelope_seen(envelope_id))) return std::optional<Bytes>();
  const ByteView group_id = as_bytes(envelope.group_id());
  GroupEvent event;
  event.group_id = to_hex(group_id);
  event.epoch = envelope.group_epoch();
  event.envelope_id = to_hex(envelope_id);
  event.sent_at_ms = static_cast<std::int64_t>(envelope.client_timestamp_ms());
  Received received;
  GroupStore store(*impl.store);
  std::optional<StoredGroup> row;
  if (group_id.size() == group_id_bytes) row = BULWARK_TRY(store.group(group_id));
  if (envelope.type() == api::MLS_WELCOME) {
    received = BULWARK_TRY(receive_welcome(impl, row, envelope, std::move(event)));
  } else if (row && !row->closed) {
    event.group_name = row->name;
    if (envelope.group_epoch() > row->epoch) {
      // This device's own commit with a lost answer may be what moved the group on.
      BULWARK_TRY(adopt_pending_commit_if_behind(impl, group_id, envelope.group_epoch()));
    }
    LoadedGroup loaded = BULWARK_TRY(load_group(impl, group_id));
    if (envelope.type() == api::MLS_COMMIT) {
      received = BULWARK_TRY(receive_commit(impl, std::move(loaded), envelope, std::move(event)));
    } else if (envelope.type() == api::MLS_APPLICATION) {
      received =
          BULWARK_TRY(receive_application(impl, std::move(loaded), envelope, std::move(event)));
    } else {
      received =
          BULWARK_TRY(receive_proposals(impl, std::move(loaded), envelope, std::move(event)));
    }
  }
  // A group this device left or never joined: nothing to show, the envelope is dropped.
  const Result<void> committed = impl.store->transaction([&]() -> Result<void> {
    if (received.row) BULWARK_TRY(store.save_group(*received.row));
    if (received.commit) {
      BULWARK_TRY(store.record_commit(group_id, received.commit->epoch, received.commit->hash));
      // Another member's commit won the epoch: this device's pending one never can.
      BULWARK_TRY(store.clear_pending_commit(group_id));
    }
    if (received.used_key_package)
      BULWARK_TRY(store.consume_key_package(*received.used_key_package));
    for (const GroupEvent& shown : received.events)
      BULWARK_TRY(store.add_event(encode_group_event(shown)));
    return impl.store->mark_envelope_seen(envelope_id, impl.now_ms());
  });
  if (!committed) return tl::unexpected(committed.error());
  if (received.commit_proposals) return std::optional<Bytes>(to_bytes(group_id));
  return std::optional<Bytes>();
}

Result<bool> show_group_events(Client::Impl& impl,
                               const std::function<bool(const ReceiveEvent&)>& on_event) {
  GroupStore store(*impl.store);
  for (const StoredGroupEvent& stored : BULWARK_TRY(store.unshown_events(max_group_events_batch))) {
    auto decoded = decode_group_event(stored.event);
    if (!decoded) {
      BULWARK_TRY(store.mark_event_shown(stored.seq));  // a damaged row must not block the rest
      continue;
    }
    ReceiveEvent event;
    event.kind = ReceiveEvent::Kind::group_event;
    if (decoded->from) event.sender_account = decoded->from->account;
    event.detail = decoded->detail;
    event.group_event = std::move(*decoded);
    const bool more = on_event(event);
    BULWARK_TRY(store.mark_event_shown(stored.seq));
    if (!more) return false;
  }
  return true;
}

}  // namespace bulwark::client::detail
