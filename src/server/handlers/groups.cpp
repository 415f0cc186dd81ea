// MLS groups (docs/GROUPS.md "Delivery service (server)"): creating a group, and sends to it.
// The server never parses MLS and keeps no roster: a send names its recipient devices, proves
// membership of the current epoch with the epoch's token (the store compares its SHA-256 with
// the group's), and - for a commit - moves the group to the next epoch in the same transaction
// that queues the commit and its Welcome. Exactly one commit wins each epoch; the others get
// CONFLICT with the epoch the group is at, and nothing of theirs is queued.
#include <set>

#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "crypto/hash.h"
#include "server/device_session.h"
#include "server/handlers/convert.h"
#include "server/handlers/group_fanout.h"
#include "server/handlers/handlers.h"
#include "server/handlers/moderation_effects.h"
#include "server/handlers/respond.h"

namespace bulwark::server {
namespace {

using Recipients = google::protobuf::RepeatedPtrField<api::DeviceAddress>;

// One send's request, and what the store made of it.
struct GroupSendJob {
  bool commit = false;
  store::GroupSend send;
  Bytes next_token_hash;  // a commit's
  store::GroupSendOutcome outcome;
  std::optional<std::string> suspended;  // set when the sender's account is suspended
};

// A send costs one token of the sender's budget, and one more per 64 devices it reaches: a
// 10,000-device commit with its Welcome stays within one burst (sends_per_account: 600).
std::uint32_t send_cost(std::size_t recipients) {
  return 1 + static_cast<std::uint32_t>(recipients / 64);
}

Result<Bytes> group_id_from(const std::string& id) {
  if (id.size() < api::min_group_id_bytes || id.size() > api::max_group_id_bytes)
    return fail(Errc::invalid_argument, "a group id is 16 to 32 bytes");
  return to_bytes(as_bytes(id));
}

Result<Bytes> token_hash_from(const std::string& hash, std::string_view what) {
  if (hash.size() != api::epoch_token_hash_bytes)
    return fail(Errc::invalid_argument, std::string(what) + " is 32 bytes");
  return to_bytes(as_bytes(hash));
}

// The store compares hashes, so the token itself never leaves this request.
Result<Bytes> presented_token_hash(const std::string& token) {
  if (token.size() != api::epoch_token_bytes)
    return fail(Errc::invalid_argument, "an epoch token is 32 bytes");
  return to_bytes(crypto::sha256(as_bytes(token)));
}

Result<std::vector<store::DeviceAddress>> recipients_from(const Recipients& list,
                                                          const store::DeviceAddress& sender) {
  if (static_cast<std::size_t>(list.size()) > api::max_group_recipients)
    return fail(Errc::invalid_argument, "a group send names at most 10,000 devices per list");
  std::vector<store::DeviceAddress> out;
  out.reserve(static_cast<std::size_t>(list.size()));
  std::set<store::DeviceAddress> seen;
  for (const api::DeviceAddress& in : list) {
    const store::DeviceAddress address = BULWARK_TRY(device_address_from(in));
    if (address == sender) return fail(Errc::invalid_argument, "a device never sends to itself");
    if (!seen.insert(address).second)
      return fail(Errc::invalid_argument, "a device is named twice");
    out.push_back(address);
  }
  return out;
}

store::GroupDelivery delivery_of(ServerContext& context, api::EnvelopeType type,
                                 const std::string& content,
                                 std::vector<store::DeviceAddress> recipients) {
  store::GroupDelivery delivery;
  context.envelope_ids.fill(context.rng, delivery.id.bytes);
  delivery.type = static_cast<std::uint32_t>(type);
  delivery.content = to_bytes(as_bytes(content));
  delivery.recipients = std::move(recipients);
  return delivery;
}

// The fields every group send shares; the deliveries are the caller's.
Result<store::GroupSend> send_head(ServerContext& context, const store::DeviceAddress& sender,
                                   const std::string& group_id, std::uint64_t epoch,
                                   const std::string& token, std::uint64_t client_timestamp_ms) {
  store::GroupSend send;
  send.group_id = BULWARK_TRY(group_id_from(group_id));
  send.token_hash = BULWARK_TRY(presented_token_hash(token));
  send.epoch = epoch;
  send.source_account = sender.account;
  send.source_device = sender.device;
  send.server_timestamp_ms = context.now_ms();
  send.client_timestamp_ms = static_cast<std::int64_t>(client_timestamp_ms);
  send.expires_at_ms =
      send.server_timestamp_ms +
      std::chrono::duration_cast<std::chrono::milliseconds>(context.config.queue_retention).count();
  return send;
}

void answer(DeviceSession& session, std::uint64_t id, const GroupSendJob& job) {
  if (job.suspended) return session.respond_status(id, api::BAD_REQUEST, *job.suspended);
  if (job.outcome.status == store::GroupSendStatus::wrong_token)
    return session.respond_status(id, api::FORBIDDEN, "the epoch token does not match the group");
  api::Response response = ok_response(id);
  api::GroupSendResult* out =
      job.commit ? response.mutable_group_commit() : response.mutable_group_message();
  out->set_epoch(job.outcome.epoch);
  if (job.outcome.status == store::GroupSendStatus::stale_epoch) {
    response.set_status(api::CONFLICT);
    response.set_message("the group is at another epoch");
    return session.respond(std::move(response));
  }
  for (const store::DeviceAddress& skipped : job.outcome.skipped)
    device_address_to_api(skipped, *out->add_skipped_recipients());
  out->set_server_timestamp_ms(static_cast<std::uint64_t>(job.send.server_timestamp_ms));
  session.respond(std::move(response));
}

// Runs on the store thread, inside the batch's transaction: the suspension check, the epoch
// check and the queueing see one state.
Result<void> run_send(store::Store& store, GroupSendJob& job) {
  job.suspended = BULWARK_TRY(account_suspended(store, job.send.source_account));
  if (job.suspended) return {};
  if (job.commit) {
    job.outcome = BULWARK_TRY(store.commit_to_group(job.send, job.next_token_hash));
  } else {
    job.outcome = BULWARK_TRY(store.send_to_group(job.send));
  }
  return {};
}

void count(Metrics& metrics, const GroupSendJob& job) {
  switch (job.outcome.status) {
    case store::GroupSendStatus::sent:
      (job.commit ? metrics.group_commits : metrics.group_messages)++;
      for (const auto& copies : job.outcome.queued) metrics.envelopes_stored += copies.size();
      return;
    case store::GroupSendStatus::stale_epoch:
      metrics.group_sends_stale++;
      return;
    case store::GroupSendStatus::wrong_token:
      metrics.group_sends_forbidden++;
      return;
  }
}

void store_send(DeviceSession& session, std::uint64_t id, std::shared_ptr<GroupSendJob> job) {
  session.with_store(
      id, [job](store::Store& store) { return run_send(store, *job); },
      [&session, id, job](Result<void> result) {
        if (!result) return respond_error(session, id, result.error());
        answer(session, id, *job);
      },
      [bus = session.context().bus, &metrics = session.context().metrics,
       job](const Result<void>& result) {
        // On the sync thread, in commit order, once durable (as handle_send's pushes are).
        if (!result || job->suspended) return;
        count(metrics, *job);
        if (job->outcome.status == store::GroupSendStatus::sent)
          push_group_copies(*bus, job->send, job->outcome);
      });
}

bool take_send_budget(DeviceSession& session, std::uint64_t id, std::size_t recipients) {
  const store::DeviceAddress sender = *session.device();
  auto decision = session.context().limiters.take(
      Limit::sends_per_account, account_text(sender.account), send_cost(recipients));
  if (decision.allowed) return true;
  respond_rate_limited(session, id, decision);
  return false;
}

// A commit's job, or the reason it is malformed.
Result<std::shared_ptr<GroupSendJob>> commit_job(DeviceSession& session,
                                                 const api::SendGroupCommit& in) {
  const store::DeviceAddress sender = *session.device();
  auto job = std::make_shared<GroupSendJob>();
  job->commit = true;
  job->send = BULWARK_TRY(send_head(session.context(), sender, in.group_id(), in.epoch(),
                                    in.epoch_token(), in.client_timestamp_ms()));
  job->next_token_hash =
      BULWARK_TRY(token_hash_from(in.next_epoch_token_hash(), "the next epoch's token hash"));
  auto recipients = BULWARK_TRY(recipients_from(in.recipients(), sender));
  auto welcomed = BULWARK_TRY(recipients_from(in.welcome_recipients(), sender));
  if (in.welcome().empty() != welcomed.empty())
    return fail(Errc::invalid_argument, "a Welcome and its recipients come together");
  job->send.deliveries.push_back(
      delivery_of(session.context(), api::MLS_COMMIT, in.commit(), std::move(recipients)));
  if (!in.welcome().empty()) {
    job->send.deliveries.push_back(
        delivery_of(session.context(), api::MLS_WELCOME, in.welcome(), std::move(welcomed)));
  }
  return job;
}

}  // namespace

void handle_create_group(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::CreateGroup& create = request.create_group();
  store::Group group;
  auto group_id = group_id_from(create.group_id());
  if (!group_id) return respond_error(session, id, group_id.error());
  auto hash = token_hash_from(create.epoch_token_hash(), "an epoch token hash");
  if (!hash) return respond_error(session, id, hash.error());
  group.id = std::move(*group_id);
  group.token_hash = std::move(*hash);
  if (!take_send_budget(session, id, 0)) return;
  const store::AccountId account = session.device()->account;
  auto suspended = std::make_shared<std::optional<std::string>>();
  session.with_store(
      id,
      [group = std::move(group), account, suspended](store::Store& store) -> Result<void> {
        *suspended = BULWARK_TRY(account_suspended(store, account));
        if (*suspended) return {};
        return store.create_group(group);
      },
      [&session, id, suspended](Result<void> result) {
        if (!result) return respond_error(session, id, result.error());
        if (*suspended) return session.respond_status(id, api::BAD_REQUEST, **suspended);
        session.respond(ok_response(id));
      });
}

void handle_send_group_commit(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::SendGroupCommit& in = request.send_group_commit();
  if (in.commit().empty() || in.commit().size() > api::max_group_commit_bytes)
    return session.respond_status(id, api::TOO_LARGE, "a commit is 1 byte to 480 KiB");
  if (in.welcome().size() > api::max_group_welcome_bytes)
    return session.respond_status(id, api::TOO_LARGE, "a Welcome is at most 480 KiB");
  auto job = commit_job(session, in);
  if (!job) return respond_error(session, id, job.error());
  const std::size_t reach = static_cast<std::size_t>(in.recipients_size()) +
                            static_cast<std::size_t>(in.welcome_recipients_size());
  if (!take_send_budget(session, id, reach)) return;
  store_send(session, id, std::move(*job));
}

void handle_send_group_message(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::SendGroupMessage& in = request.send_group_message();
  if (in.message().empty() || in.message().size() > api::max_group_message_bytes)
    return session.respond_status(id, api::TOO_LARGE, "a group message is 1 byte to 256 KiB");
  if (in.type() != api::MLS_APPLICATION && in.type() != api::MLS_PROPOSAL)
    return session.respond_status(id, api::BAD_REQUEST,
                                  "a group message is an application "
                                  "message or a proposal");
  const store::DeviceAddress sender = *session.device();
  auto job = std::make_shared<GroupSendJob>();
  auto head = send_head(session.context(), sender, in.group_id(), in.epoch(), in.epoch_token(),
                        in.client_timestamp_ms());
  if (!head) return respond_error(session, id, head.error());
  job->send = std::move(*head);
  auto recipients = recipients_from(in.recipients(), sender);
  if (!recipients) return respond_error(session, id, recipients.error());
  if (!take_send_budget(session, id, recipients->size())) return;
  job->send.deliveries.push_back(
      delivery_of(session.context(), in.type(), in.message(), std::move(*recipients)));
  store_send(session, id, std::move(job));
}

}  // namespace bulwark::server
