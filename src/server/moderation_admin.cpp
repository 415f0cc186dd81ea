#include "server/moderation_admin.h"

#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "channel/entry.h"
#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "moderation/action.h"
#include "moderation/category.h"
#include "moderation/request_auth.h"
#include "moderation/signed_action.h"
#include "server/admin_auth.h"
#include "server/moderation_names.h"
#include "store/limits.h"

namespace bulwark::server {
namespace {

using Json = nlohmann::ordered_json;
constexpr std::string_view prefix = "/admin/moderation/";

std::string dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

AdminHttpReply error_reply(int status, std::string_view message) {
  return {status, dump(Json{{"error", message}})};
}

int status_of(const Error& error) {
  switch (error.code) {
    case Errc::not_found: return 404;
    case Errc::conflict: return 409;
    case Errc::storage:
    case Errc::internal:
    case Errc::unavailable: return 503;
    default: return 400;
  }
}

std::string text_of(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Who is asking: the configured moderator whose key verifies the request (accepted once it is
// admitted: handle_admin_request).
Result<SignedAdmission> authenticate(ServerContext& context, const AdminHttpRequest& request) {
  return authenticate_signed_request(
      context.config.moderators, moderation::RequestRole::moderator,
      SignedRequestHeaders{request.moderator, request.time, request.signature}, request.post,
      request.target, request.body, context.now_ms());
}

Json case_summary(store::Store& store, const store::ModerationCase& found) {
  Json out{{"id", found.id},
           {"target", target_name(found.target)},
           {"state", state_name(found.state)},
           {"category", category_text(found.category)},
           {"reports", found.reports},
           {"rule", found.rule},
           {"rule_hidden", found.rule_hidden},
           {"opened_ms", found.opened_ms},
           {"appealed", found.appeal.has_value()}};
  if (found.target != store::CaseTarget::message) {
    out["channel_id"] = to_hex(view_of(found.channel.bytes));
    if (auto channel = store.channel(found.channel); channel && *channel)
      out["handle"] = (*channel)->handle;
    out["seq"] = found.seq;
  }
  return out;
}

Result<Json> case_details(store::Store& store, const store::ModerationCase& found) {
  Json out = case_summary(store, found);
  out["account"] = to_hex(view_of(found.account.bytes));
  out["decided_by"] = found.decided_by;
  out["last_action"] = action_text(found.last_action);
  if (found.target == store::CaseTarget::post) {
    auto entry = BULWARK_TRY(store.channel_entry(found.channel, found.seq));
    if (entry) {
      auto decoded = channel::decode_entry(entry->entry);
      out["content"] = decoded ? decoded->text : std::string("(the post's bytes are gone)");
    }
    out["hidden"] = !BULWARK_TRY(store.hidden_posts(found.channel, found.seq, found.seq)).empty();
  } else if (found.target == store::CaseTarget::message) {
    out["content"] = text_of(found.evidence);
  }
  Json reports = Json::array();
  for (const store::ModerationReport& report :
       BULWARK_TRY(store.moderation_reports(found.id, store::max_moderation_page)))
    reports.push_back({{"category", category_text(report.category)},
                       {"comment", report.comment},
                       {"time_ms", report.created_ms}});
  out["report_list"] = std::move(reports);
  if (found.appeal)
    out["appeal"] = {{"text", found.appeal->text},
                     {"time_ms", found.appeal->created_ms},
                     {"decided_by", found.appeal->excluded_moderator}};
  out["log_head"] = to_hex(BULWARK_TRY(store.moderation_log_head()));
  return out;
}

// A signed action, checked against the configured key before any store work.
struct CheckedAction {
  moderation::ActionRecord record;
  Bytes bytes;
  Bytes signature;
};

Result<CheckedAction> check_action(const ServerContext& context, const ModeratorKey& moderator,
                                   std::uint64_t case_id, std::string_view body) {
  const Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("record") ||
      !json.contains("signature") || !json["record"].is_string() || !json["signature"].is_string())
    return fail(Errc::invalid_argument, "the body must be {\"record\": base64, \"signature\": base64}");
  CheckedAction checked;
  checked.bytes = BULWARK_TRY(crypto::base64_decode(json["record"].get<std::string>()));
  checked.signature = BULWARK_TRY(crypto::base64_decode(json["signature"].get<std::string>()));
  checked.record = BULWARK_TRY(moderation::decode_action(checked.bytes));
  const moderation::ActionRecord& record = checked.record;
  if (record.case_id != case_id)
    return fail(Errc::invalid_argument, "the signed action names another case");
  if (record.moderator != moderator.name ||
      Bytes(record.moderator_key.begin(), record.moderator_key.end()) != moderator.public_key)
    return fail(Errc::auth_failed, "the action is not signed as the requesting moderator");
  auto key = BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(moderator.public_key));
  if (!moderation::verify_action(key, checked.bytes, checked.signature))
    return fail(Errc::auth_failed, "the action's signature does not verify under the moderator's key");
  const std::int64_t skew = moderation::max_request_skew.count();
  if (record.time_ms < context.now_ms() - skew || record.time_ms > context.now_ms() + skew)
    return fail(Errc::invalid_argument, "clock skew: the action's time is more than 5 minutes "
                                        "from the server's");
  return checked;
}

Result<std::uint64_t> append_action(store::Store& store, const CheckedAction& checked) {
  const moderation::ActionRecord& record = checked.record;
  auto found = BULWARK_TRY(store.moderation_case(record.case_id));
  if (!found) return fail(Errc::not_found, "no moderation case " + std::to_string(record.case_id));
  if (static_cast<std::uint8_t>(record.target) != static_cast<std::uint8_t>(found->target) ||
      record.channel != found->channel.bytes || record.seq != found->seq ||
      record.account != found->account.bytes)
    return fail(Errc::invalid_argument, "the signed action's target is not the case's");
  store::ModerationLogEntry entry;
  entry.case_id = record.case_id;
  entry.action = static_cast<std::uint8_t>(record.action);
  entry.moderator = record.moderator;
  entry.moderator_key = Bytes(record.moderator_key.begin(), record.moderator_key.end());
  entry.reason = record.reason;
  entry.created_ms = record.time_ms;
  entry.record = checked.bytes;
  entry.signature = checked.signature;
  entry.prev_hash = Bytes(record.previous.begin(), record.previous.end());
  const moderation::LogHash hash = moderation::log_entry_hash(checked.bytes, checked.signature);
  entry.hash = Bytes(hash.begin(), hash.end());
  return store.append_moderation_action(entry);
}

Json log_json(const std::vector<store::ModerationLogEntry>& entries) {
  Json out = Json::array();
  for (const store::ModerationLogEntry& entry : entries)
    out.push_back({{"seq", entry.seq},
                   {"case_id", entry.case_id},
                   {"action", action_text(entry.action)},
                   {"moderator", entry.moderator},
                   {"reason", entry.reason},
                   {"time_ms", entry.created_ms},
                   {"record", crypto::base64_encode(entry.record)},
                   {"signature", crypto::base64_encode(entry.signature)},
                   {"prev_hash", to_hex(entry.prev_hash)},
                   {"hash", to_hex(entry.hash)}});
  return Json{{"entries", std::move(out)}};
}

// Runs `job` on the store thread; its Json (or error) becomes the reply. `on_durable` runs
// once a successful job is on disk (counting what really happened).
void run(ServerContext& context, std::function<Result<Json>(store::Store&)> job,
         std::function<void(AdminHttpReply)> done, bool write,
         std::function<void()> on_durable = {}) {
  auto answer = std::make_shared<Json>();
  auto shared_done = std::make_shared<std::function<void(AdminHttpReply)>>(std::move(done));
  const bool queued = context.store.submit(
      [job = std::move(job), answer](store::Store& store) -> Result<void> {
        *answer = BULWARK_TRY(job(store));
        return {};
      },
      [answer, shared_done, on_durable = std::move(on_durable)](Result<void> result) {
        if (!result) return (*shared_done)(error_reply(status_of(result.error()), result.error().context));
        if (on_durable) on_durable();
        (*shared_done)(AdminHttpReply{200, dump(*answer)});
      },
      write ? StoreExecutor::Access::write : StoreExecutor::Access::read_only);
  if (!queued) {
    context.metrics.store_unavailable++;
    (*shared_done)(error_reply(503, "busy, retry"));
  }
}

}  // namespace

bool is_admin_target(std::string_view target) noexcept { return target.starts_with(prefix); }

AdminRoute parse_admin_route(bool post, std::string_view target) {
  auto refuse = [](AdminRouteKind kind, std::string why) { return AdminRoute{kind, 0, std::move(why)}; };
  if (!is_admin_target(target) || target.size() > moderation::max_request_path_bytes)
    return refuse(AdminRouteKind::not_found, "no such moderation route");
  std::string_view path = target.substr(prefix.size());
  std::string_view query;
  if (auto mark = path.find('?'); mark != std::string_view::npos) {
    query = path.substr(mark + 1);
    path = path.substr(0, mark);
  }
  if (path == "queue" || path == "log") {
    if (post) return refuse(AdminRouteKind::wrong_method, "GET only");
    if (path == "queue") return {AdminRouteKind::queue, 0, {}};
    std::optional<std::uint64_t> after = std::uint64_t{0};
    if (!query.empty()) after = query.starts_with("after=") ? parse_decimal_u64(query.substr(6)) : std::nullopt;
    if (!after) return refuse(AdminRouteKind::bad_request, "log?after=N needs a number");
    return {AdminRouteKind::log, *after, {}};
  }
  if (!path.starts_with("cases/")) return refuse(AdminRouteKind::not_found, "no such moderation route");
  path.remove_prefix(6);
  const bool act = path.ends_with("/act");
  if (act) path.remove_suffix(4);
  auto case_id = parse_decimal_u64(path);
  if (!case_id) return refuse(AdminRouteKind::bad_request, "a case id is a number");
  if (act != post)
    return refuse(AdminRouteKind::wrong_method, act ? "an action is POSTed" : "GET a case, POST its /act");
  return {act ? AdminRouteKind::act : AdminRouteKind::show_case, *case_id, {}};
}

namespace {

// An authenticated, admitted moderator's request.
void serve_admin_request(ServerContext& context, const ModeratorKey& moderator,
                         const AdminHttpRequest& request, std::function<void(AdminHttpReply)> done) {
  const Bytes key = moderator.public_key;
  const AdminRoute route = parse_admin_route(request.post, request.target);
  switch (route.kind) {
    case AdminRouteKind::not_found: return done(error_reply(404, route.error));
    case AdminRouteKind::bad_request: return done(error_reply(400, route.error));
    case AdminRouteKind::wrong_method: return done(error_reply(405, route.error));
    case AdminRouteKind::queue:
      return run(context, [key](store::Store& store) -> Result<Json> {
        Json cases = Json::array();
        for (const store::ModerationCase& found :
             BULWARK_TRY(store.moderation_queue(key, store::max_moderation_page)))
          cases.push_back(case_summary(store, found));
        return Json{{"cases", std::move(cases)}};
      }, std::move(done), false);
    case AdminRouteKind::log:
      return run(context, [from = route.number](store::Store& store) -> Result<Json> {
        return log_json(BULWARK_TRY(store.moderation_log(from, store::max_moderation_page)));
      }, std::move(done), false);
    case AdminRouteKind::show_case:
      return run(context, [id = route.number](store::Store& store) -> Result<Json> {
        auto found = BULWARK_TRY(store.moderation_case(id));
        if (!found) return fail(Errc::not_found, "no moderation case " + std::to_string(id));
        return case_details(store, *found);
      }, std::move(done), false);
    case AdminRouteKind::act: break;
  }
  auto checked = check_action(context, moderator, route.number, request.body);
  if (!checked) {
    context.metrics.moderation_admin_refused++;
    const int status = checked.error().code == Errc::auth_failed ? 401 : 400;
    return done(error_reply(status, checked.error().context));
  }
  auto action = std::make_shared<CheckedAction>(std::move(*checked));
  Metrics& metrics = context.metrics;
  run(context, [action](store::Store& store) -> Result<Json> {
    const std::uint64_t seq = BULWARK_TRY(append_action(store, *action));
    return Json{{"log_seq", seq}, {"case_id", action->record.case_id},
                {"action", moderation::action_name(action->record.action)}};
  }, std::move(done), true, [&metrics] { metrics.moderation_actions++; });
}

}  // namespace

void handle_admin_request(ServerContext& context, AdminHttpRequest request,
                          std::function<void(AdminHttpReply)> done) {
  auto admission = authenticate(context, request);
  if (!admission) {
    context.metrics.moderation_admin_refused++;
    return done(error_reply(401, admission.error().context));
  }
  const ModeratorKey* moderator = admission->signer;
  admit_signed_request_then(
      context, std::move(*admission),
      [&context, moderator, request = std::move(request),
       done = std::move(done)](Result<void> admitted) mutable {
        if (!admitted) {
          context.metrics.moderation_admin_refused++;
          return done(error_reply(admission_refusal_status(admitted.error()),
                                  admitted.error().context));
        }
        serve_admin_request(context, *moderator, request, std::move(done));
      });
}

}  // namespace bulwark::server
