// Public-content moderation for users (api.proto "moderation", docs/MODERATION.md): reporting a
// channel post or a channel, the notices of decisions affecting the asking account, and
// appeals. Moderators work through the admin HTTPS API instead (server/moderation_admin.h).
#include <algorithm>
#include <memory>

#include "api/proto/api.pb.h"
#include "moderation/action.h"
#include "moderation/category.h"
#include "moderation/signed_action.h"
#include "server/device_session.h"
#include "server/handlers/channel_common.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"
#include "server/moderation_names.h"
#include "store/limits.h"

namespace bulwark::server {
namespace {

constexpr std::size_t max_comment_bytes = 1000;
constexpr std::size_t max_appeal_bytes = 2000;

void fill_target(const store::ModerationCase& found, api::ModerationNotice& out) {
  out.set_category(category_text(found.category));
  out.set_state(std::string(state_name(found.state)));
  if (found.target != store::CaseTarget::message)
    out.set_channel_id(found.channel.bytes.data(), found.channel.bytes.size());
  out.set_seq(found.seq);
}

// A moderator's logged action as the affected account sees it.
void logged_notice(const store::ModerationLogEntry& entry, const store::ModerationCase& found,
                   api::ModerationNotice& out) {
  out.set_case_id(entry.case_id);
  auto action = moderation::action_from_number(entry.action);
  out.set_action(action ? std::string(moderation::action_name(*action)) : "unknown");
  out.set_reason(entry.reason);
  out.set_moderator(entry.moderator);
  out.set_time_ms(static_cast<std::uint64_t>(std::max<std::int64_t>(entry.created_ms, 0)));
  out.set_record(entry.record.data(), entry.record.size());
  out.set_signature(entry.signature.data(), entry.signature.size());
  if (auto record = moderation::decode_action(entry.record))
    out.set_moderator_key(record->moderator_key.data(), record->moderator_key.size());
  fill_target(found, out);
  // Only the case's standing restricting decision, not yet appealed, can be appealed.
  out.set_appealable(action && moderation::restricts(*action) &&
                     found.state == store::CaseState::decided && !found.appeal &&
                     found.last_action == entry.action);
}

void rule_notice(const store::ModerationCase& found, api::ModerationNotice& out) {
  out.set_case_id(found.id);
  out.set_action("hide");
  out.set_reason("a policy rule hid this post pending review");
  out.set_time_ms(static_cast<std::uint64_t>(std::max<std::int64_t>(found.opened_ms, 0)));
  fill_target(found, out);
  out.set_appealable(found.state == store::CaseState::open && !found.appeal);
}

struct ReportCheck {
  std::optional<std::string> refused;  // NOT_FOUND / CONFLICT message
  int status = api::OK;
  store::ReportOutcome outcome;
};

Result<void> report_job(store::Store& store, store::NewReport report, ReportCheck& check) {
  auto channel = BULWARK_TRY(store.channel(report.channel));
  if (!channel || !BULWARK_TRY(may_see(store, *channel, report.reporter, {}))) {
    check.status = api::NOT_FOUND;
    check.refused = "no such channel";
    return {};
  }
  report.owner = channel->owner;
  if (report.seq != 0) {
    auto entry = BULWARK_TRY(store.channel_entry(channel->id, report.seq));
    if (!entry || entry->kind != store::ChannelEntryKind::post || entry->deleted_by != 0) {
      check.status = api::NOT_FOUND;
      check.refused = "no such post in this channel";
      return {};
    }
    auto hidden = BULWARK_TRY(store.hidden_posts(channel->id, report.seq, report.seq));
    if (!hidden.empty()) {
      check.status = api::CONFLICT;
      check.refused = "this post was already removed by moderation (case " +
                      std::to_string(hidden.front().effect.case_id) + ")";
      return {};
    }
  }
  check.outcome = BULWARK_TRY(store.report_content(report));
  return {};
}

}  // namespace

void handle_moderation_report(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::ModerationReport& report = request.moderation_report();
  const store::AccountId account = session.device()->account;
  auto decision = context.limiters.take(Limit::lookups_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  auto channel = channel_id_from(report.channel_id());
  if (!channel) return respond_error(session, id, channel.error());
  auto category = moderation::category_from_number(static_cast<std::uint32_t>(report.category()));
  if (!category)
    return session.respond_status(id, api::BAD_REQUEST,
                                  "unknown category: use violence, drugs, csam, hate, terrorism, "
                                  "spam or other");
  if (auto checked = moderation::check_free_text(report.comment(), max_comment_bytes, "the comment");
      !checked)
    return respond_error(session, id, checked.error());
  store::NewReport stored;
  stored.target = report.seq() == 0 ? store::CaseTarget::channel : store::CaseTarget::post;
  stored.channel = *channel;
  stored.seq = report.seq();
  stored.reporter = account;
  stored.category = static_cast<std::uint8_t>(*category);
  stored.comment = report.comment();
  stored.now_ms = context.now_ms();
  auto check = std::make_shared<ReportCheck>();
  session.with_store(id, [stored, check](store::Store& store) {
    return report_job(store, stored, *check);
  }, [&session, id, check](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (check->refused) return session.respond_status(id, check->status, *check->refused);
    ServerContext& ctx = session.context();
    if (check->outcome.counted) ctx.metrics.moderation_reports++;
    if (check->outcome.new_case) ctx.metrics.moderation_cases++;
    api::Response response = ok_response(id);
    response.mutable_moderation_report()->set_case_id(check->outcome.case_id);
    response.mutable_moderation_report()->set_counted(check->outcome.counted);
    session.respond(response);
  });
}

void handle_moderation_notices(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const store::AccountId account = session.device()->account;
  auto decision = session.context().limiters.take(Limit::lookups_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  auto response = std::make_shared<api::Response>(ok_response(id));
  session.read_store(id, [account, response](store::Store& store) -> Result<void> {
    api::ModerationNoticesResult* out = response->mutable_moderation_notices();
    for (const store::ModerationLogEntry& entry :
         BULWARK_TRY(store.moderation_log_for_account(account, store::max_moderation_page))) {
      auto found = BULWARK_TRY(store.moderation_case(entry.case_id));
      if (found) logged_notice(entry, *found, *out->add_notices());
    }
    for (const store::ModerationCase& found :
         BULWARK_TRY(store.rule_hidden_cases(account, store::max_moderation_page)))
      rule_notice(found, *out->add_notices());
    return {};
  }, [&session, id, response](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    session.respond(std::move(*response));
  });
}

void handle_moderation_appeal(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::ModerationAppeal& appeal = request.moderation_appeal();
  const store::AccountId account = session.device()->account;
  auto decision = context.limiters.take(Limit::lookups_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  if (appeal.text().empty())
    return session.respond_status(id, api::BAD_REQUEST, "an appeal needs a text (-m TEXT)");
  if (auto checked = moderation::check_free_text(appeal.text(), max_appeal_bytes, "the appeal");
      !checked)
    return respond_error(session, id, checked.error());
  const std::int64_t now = context.now_ms();
  session.with_store(id, [case_id = appeal.case_id(), account, text = appeal.text(),
                          now](store::Store& store) {
    return store.appeal_case(case_id, account, text, now);
  }, [&session, id](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    session.context().metrics.moderation_appeals++;
    session.respond(ok_response(id));
  });
}

}  // namespace bulwark::server
