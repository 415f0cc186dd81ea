#include "server/lawful_http.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "lawful/statistics.h"
#include "moderation/request_auth.h"
#include "server/admin_auth.h"
#include "server/lawful_service.h"
#include "server/web/lawful_page.h"
#include "store/lawful_store.h"

namespace bulwark::server {
namespace {

using Json = nlohmann::json;

constexpr std::string_view admin_prefix = "/admin/lawful/";
constexpr std::string_view public_prefix = "/v1/lawful/";

struct Answer {
  int status = 200;
  Json body;
};

LawfulHttpReply json_reply(int status, const Json& body) {
  return LawfulHttpReply{status, body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n",
                         "application/json"};
}

LawfulHttpReply error_reply(int status, std::string_view message) {
  return json_reply(status, Json{{"error", message}});
}

int status_of(const Error& error) {
  switch (error.code) {
    case Errc::not_found:
      return 404;
    case Errc::conflict:
      return 409;
    case Errc::auth_failed:
      return 403;
    case Errc::unavailable:
    case Errc::storage:
      return 503;
    case Errc::internal:
      return 500;
    default:
      return 400;
  }
}

std::string text_of(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// The configured operator whose key verifies the request (accepted once it is admitted:
// handle_lawful_request).
Result<SignedAdmission> authenticate(ServerContext& context, const LawfulHttpRequest& request) {
  if (context.lawful == nullptr || context.lawful->settings().operators.empty())
    return fail(Errc::auth_failed,
                "lawful requests are not enabled on this server (no [[lawful.operator]])");
  return authenticate_signed_request(
      context.lawful->settings().operators, moderation::RequestRole::lawful_operator,
      SignedRequestHeaders{request.operator_name, request.time, request.signature}, request.post,
      request.target, request.body, context.now_ms());
}

// Runs `job` in one store job; its Answer (or error) becomes the reply.
void run(ServerContext& context, std::function<Result<Answer>(store::Store&)> job,
         std::function<void(LawfulHttpReply)> done, bool write) {
  auto answer = std::make_shared<Answer>();
  auto shared_done = std::make_shared<std::function<void(LawfulHttpReply)>>(std::move(done));
  const bool queued = context.store.submit(
      [job = std::move(job), answer](store::Store& store) -> Result<void> {
        *answer = BULWARK_TRY(job(store));
        return {};
      },
      [answer, shared_done](Result<void> result) {
        if (!result)
          return (*shared_done)(error_reply(status_of(result.error()), result.error().context));
        (*shared_done)(json_reply(answer->status, answer->body));
      },
      write ? StoreExecutor::Access::write : StoreExecutor::Access::read_only);
  if (!queued) {
    context.metrics.store_unavailable++;
    (*shared_done)(error_reply(503, "busy, retry"));
  }
}

Answer outcome_answer(const LawfulOutcome& outcome) {
  if (outcome.accepted) {
    Json body{{"log_index", outcome.log_index}};
    if (outcome.order != 0) body["order"] = outcome.order;
    return Answer{200, std::move(body)};
  }
  return Answer{422, Json{{"error", outcome.detail},
                          {"refused", outcome.reason},
                          {"log_index", outcome.log_index}}};
}

Answer release_answer(const ReleaseOutcome& outcome) {
  switch (outcome.kind) {
    case ReleaseOutcome::Kind::released:
      return Answer{200, Json{{"package", outcome.package}, {"log_index", outcome.log_index}}};
    case ReleaseOutcome::Kind::awaiting_witnesses:
      return Answer{202, Json{{"pending", outcome.detail},
                              {"log_index", outcome.log_index},
                              {"cosignatures", outcome.cosignatures},
                              {"quorum", outcome.quorum}}};
    case ReleaseOutcome::Kind::refused:
      break;
  }
  return Answer{422, Json{{"error", outcome.detail},
                          {"refused", outcome.refused},
                          {"log_index", outcome.log_index}}};
}

Result<Json> parse_body(std::string_view body) {
  Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return fail(Errc::invalid_argument, "the body must be a JSON object");
  return json;
}

Result<std::string> string_member(const Json& json, const char* key) {
  if (!json.contains(key) || !json.at(key).is_string())
    return fail(Errc::invalid_argument, std::string("\"") + key + "\" must be a string");
  return json.at(key).get<std::string>();
}

Result<Bytes> base64_member(const Json& json, const char* key) {
  const std::string text = BULWARK_TRY(string_member(json, key));
  auto bytes = crypto::base64_decode(text);
  if (!bytes) return fail(Errc::invalid_argument, std::string("\"") + key + "\" must be base64");
  return std::move(*bytes);
}

Result<std::vector<std::string>> strings_member(const Json& json, const char* key) {
  std::vector<std::string> out;
  if (!json.contains(key)) return out;
  if (!json.at(key).is_array() || json.at(key).size() > 16)
    return fail(Errc::invalid_argument, std::string("\"") + key + "\" must list at most 16 PEMs");
  for (const Json& item : json.at(key)) {
    if (!item.is_string())
      return fail(Errc::invalid_argument, std::string("\"") + key + "\" must list PEM texts");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<lawful::Authority> authority_from(std::string_view body) {
  const Json json = BULWARK_TRY(parse_body(body));
  lawful::Authority authority;
  authority.name = BULWARK_TRY(string_member(json, "name"));
  authority.jurisdiction = BULWARK_TRY(string_member(json, "jurisdiction"));
  authority.trust.anchors = BULWARK_TRY(strings_member(json, "anchors"));
  authority.trust.intermediates = BULWARK_TRY(strings_member(json, "intermediates"));
  authority.trust.crls = BULWARK_TRY(strings_member(json, "crls"));
  BULWARK_TRY(lawful::check_authority(authority));
  return authority;
}

Json authority_json(const lawful::Authority& authority) {
  return Json{{"name", authority.name},
              {"jurisdiction", authority.jurisdiction},
              {"anchors", authority.trust.anchors},
              {"intermediates", authority.trust.intermediates},
              {"crls", authority.trust.crls}};
}

std::string_view state_name(store::LawfulOrderState state) {
  switch (state) {
    case store::LawfulOrderState::pending:
      return "pending";
    case store::LawfulOrderState::refused:
      return "refused";
    case store::LawfulOrderState::answered:
      return "answered";
  }
  return "unknown";
}

Json order_summary(const store::LawfulOrder& order) {
  Json out{{"id", order.id},
           {"order_id", order.order_id},
           {"authority", order.authority},
           {"jurisdiction", order.jurisdiction},
           {"sha256", to_hex(order.order_hash)},
           {"state", state_name(order.state)},
           {"received_ms", order.received_ms}};
  if (order.answer_index) out["answer_log_index"] = *order.answer_index;
  return out;
}

Result<Answer> order_details(store::Store& store, const LawfulService& service, std::uint64_t id) {
  auto found = BULWARK_TRY(store.lawful_order(id));
  if (!found) return fail(Errc::not_found, "no order " + std::to_string(id));
  Json out = order_summary(*found);
  out["document"] = crypto::base64_encode(found->document);
  Json decisions = Json::array();
  for (const store::LawfulDecision& decision : BULWARK_TRY(store.lawful_decisions(id)))
    decisions.push_back(
        {{"operator", decision.operator_name},
         {"decision", decision.kind == store::LawfulDecisionKind::approve ? "approve" : "refuse"},
         {"reason", decision.reason},
         {"time_ms", decision.time_ms}});
  out["decisions"] = std::move(decisions);
  out["approvals_required"] = service.settings().approvals;
  return Answer{200, std::move(out)};
}

// The transparency report, counted from the whole log.
Result<std::pair<web::LawfulReportPage, Json>> transparency(store::Store& store,
                                                            const LawfulService& service) {
  std::vector<lawful::LogEntry> entries;
  const std::uint64_t size = BULWARK_TRY(store.lawful_log_size());
  for (std::uint64_t from = 0; from < size;) {
    const auto page = BULWARK_TRY(store.lawful_log(from, store::max_lawful_page));
    if (page.empty()) break;
    for (const store::LawfulLogEntry& stored : page)
      entries.push_back(BULWARK_TRY(lawful::decode_log_entry(stored.entry)));
    from += page.size();
  }
  web::LawfulReportPage page{service.log().settings().origin, service.log().vkey(), size, {}};
  Json periods = Json::array();
  for (const lawful::PeriodCounts& counts : lawful::count_entries(entries)) {
    page.periods.push_back({counts.jurisdiction, counts.quarter, counts.received, counts.refused,
                            counts.granted, counts.not_held, counts.accounts_affected});
    periods.push_back(lawful::period_json(counts));
  }
  Json json{{"origin", page.origin},
            {"log_vkey", page.log_vkey},
            {"log_size", size},
            {"periods", std::move(periods)}};
  return std::pair{std::move(page), std::move(json)};
}

Json keys_json(const LawfulService& service) {
  Json witnesses = Json::array();
  for (const kt::CosignerKey& witness : service.log().settings().witnesses)
    witnesses.push_back(witness.vkey());
  Json operators = Json::array();
  for (const ModeratorKey& person : service.settings().operators)
    operators.push_back({{"name", person.name}, {"key", crypto::base64_encode(person.public_key)}});
  return Json{
      {"origin", service.log().settings().origin}, {"log_vkey", service.log().vkey()},
      {"witnesses", std::move(witnesses)},         {"quorum", service.log().settings().quorum},
      {"operators", std::move(operators)},         {"approvals", service.settings().approvals}};
}

void handle_public(ServerContext& context, const LawfulRoute& route,
                   const LawfulHttpRequest& request, std::function<void(LawfulHttpReply)> done) {
  LawfulService& service = *context.lawful;
  auto reply = std::make_shared<LawfulHttpReply>();
  auto shared_done = std::make_shared<std::function<void(LawfulHttpReply)>>(std::move(done));
  std::function<Result<void>(store::Store&)> job;
  bool write = false;
  switch (route.kind) {
    case LawfulRouteKind::checkpoint:
      job = [&service, reply](store::Store& store) -> Result<void> {
        auto note = BULWARK_TRY(service.log().newest_checkpoint(store));
        *reply = note ? LawfulHttpReply{200, std::move(*note), "text/plain; charset=utf-8"}
                      : LawfulHttpReply{503, "the disclosure log is empty\n", "text/plain"};
        return {};
      };
      break;
    case LawfulRouteKind::entry:
      job = [&service, reply, index = route.number](store::Store& store) -> Result<void> {
        auto entry = service.log().entry(store, index);
        *reply = entry ? LawfulHttpReply{200, text_of(*entry), "application/octet-stream"}
                       : LawfulHttpReply{404, "no such entry\n", "text/plain"};
        return {};
      };
      break;
    case LawfulRouteKind::cosignature: {
      const std::string& body = request.body;
      const auto newline = body.find('\n');
      auto size =
          newline == std::string::npos ? std::nullopt : parse_decimal_u64(body.substr(0, newline));
      if (!size || body.size() < newline + 2 || body.back() != '\n')
        return (*shared_done)(
            LawfulHttpReply{400, "body: <size>\\n<cosignature line>\\n\n", "text/plain"});
      std::string line = body.substr(newline + 1, body.size() - newline - 2);
      write = true;
      const std::int64_t now = context.now_ms();
      job = [&service, reply, size = *size, line = std::move(line),
             now](store::Store& store) -> Result<void> {
        auto added = service.log().add_cosignature(store, size, line, now);
        if (added) {
          *reply = LawfulHttpReply{200, "ok\n", "text/plain"};
        } else {
          const int status = added.error().code == Errc::auth_failed ? 403 : 400;
          *reply = LawfulHttpReply{status, added.error().context + "\n", "text/plain"};
        }
        return {};
      };
      break;
    }
    case LawfulRouteKind::keys:
      return (*shared_done)(json_reply(200, keys_json(service)));
    case LawfulRouteKind::report_json:
    case LawfulRouteKind::report_page:
      job = [&service, reply, json = route.kind == LawfulRouteKind::report_json](
                store::Store& store) -> Result<void> {
        auto [page, body] = BULWARK_TRY(transparency(store, service));
        *reply =
            json ? json_reply(200, body)
                 : LawfulHttpReply{200, web::render_lawful_page(page), "text/html; charset=utf-8"};
        return {};
      };
      break;
    default:
      return (*shared_done)(error_reply(404, "no such route"));
  }
  const bool queued = context.store.submit(
      std::move(job),
      [reply, shared_done](Result<void> result) {
        if (!result) return (*shared_done)(error_reply(503, "busy, retry"));
        (*shared_done)(std::move(*reply));
      },
      write ? StoreExecutor::Access::write : StoreExecutor::Access::read_only);
  if (!queued) {
    context.metrics.store_unavailable++;
    (*shared_done)(error_reply(503, "busy, retry"));
  }
}

}  // namespace

bool is_lawful_target(std::string_view target) noexcept {
  return target.starts_with(admin_prefix) || target.starts_with(public_prefix) ||
         target == "/lawful" || target == "/lawful.json";
}

bool is_lawful_admin_target(std::string_view target) noexcept {
  return target.starts_with(admin_prefix);
}

LawfulRoute parse_lawful_route(bool post, std::string_view target) {
  const auto refuse = [](LawfulRouteKind kind, std::string why) {
    return LawfulRoute{kind, 0, std::move(why)};
  };
  const auto method = [&](bool want_post, LawfulRouteKind kind, std::uint64_t number = 0) {
    if (post != want_post)
      return refuse(LawfulRouteKind::wrong_method, want_post ? "POST only" : "GET only");
    return LawfulRoute{kind, number, {}};
  };
  if (!is_lawful_target(target) || target.size() > moderation::max_request_path_bytes)
    return refuse(LawfulRouteKind::not_found, "no such route");
  if (target == "/lawful") return method(false, LawfulRouteKind::report_page);
  if (target == "/lawful.json") return method(false, LawfulRouteKind::report_json);
  if (target.starts_with(public_prefix)) {
    std::string_view path = target.substr(public_prefix.size());
    if (path == "checkpoint") return method(false, LawfulRouteKind::checkpoint);
    if (path == "keys") return method(false, LawfulRouteKind::keys);
    if (path == "cosignature") return method(true, LawfulRouteKind::cosignature);
    if (path.starts_with("entry/")) {
      auto index = parse_decimal_u64(path.substr(6));
      if (!index) return refuse(LawfulRouteKind::bad_request, "an entry index is a number");
      return method(false, LawfulRouteKind::entry, *index);
    }
    return refuse(LawfulRouteKind::not_found, "no such route");
  }
  std::string_view path = target.substr(admin_prefix.size());
  if (path == "authorities")
    return post ? LawfulRoute{LawfulRouteKind::add_authority, 0, {}}
                : LawfulRoute{LawfulRouteKind::authorities, 0, {}};
  if (path == "orders") return method(true, LawfulRouteKind::submit);
  if (path.starts_with("orders?")) {
    const std::string_view query = path.substr(7);
    auto after = query.starts_with("after=") ? parse_decimal_u64(query.substr(6)) : std::nullopt;
    if (!after) return refuse(LawfulRouteKind::bad_request, "orders?after=N needs a number");
    return method(false, LawfulRouteKind::orders, *after);
  }
  if (!path.starts_with("orders/")) return refuse(LawfulRouteKind::not_found, "no such route");
  path.remove_prefix(7);
  LawfulRouteKind kind = LawfulRouteKind::show;
  for (const auto& [suffix, step] :
       {std::pair{std::string_view("/approve"), LawfulRouteKind::approve},
        std::pair{std::string_view("/refuse"), LawfulRouteKind::refuse},
        std::pair{std::string_view("/release"), LawfulRouteKind::release}}) {
    if (!path.ends_with(suffix)) continue;
    path.remove_suffix(suffix.size());
    kind = step;
    break;
  }
  auto id = parse_decimal_u64(path);
  if (!id) return refuse(LawfulRouteKind::bad_request, "an order id is a number");
  return method(kind != LawfulRouteKind::show, kind, *id);
}

namespace {
void serve_lawful_admin_request(ServerContext& context, const ModeratorKey& person,
                                const LawfulRoute& route, const LawfulHttpRequest& request,
                                std::function<void(LawfulHttpReply)> done);
}  // namespace

void handle_lawful_request(ServerContext& context, LawfulHttpRequest request,
                           std::function<void(LawfulHttpReply)> done) {
  const LawfulRoute route = parse_lawful_route(request.post, request.target);
  switch (route.kind) {
    case LawfulRouteKind::not_found:
      return done(error_reply(404, route.error));
    case LawfulRouteKind::bad_request:
      return done(error_reply(400, route.error));
    case LawfulRouteKind::wrong_method:
      return done(error_reply(405, route.error));
    default:
      break;
  }
  if (context.lawful == nullptr) return done(error_reply(503, "lawful requests are not running"));
  if (!is_lawful_admin_target(request.target))
    return handle_public(context, route, request, std::move(done));
  auto admission = authenticate(context, request);
  if (!admission) return done(error_reply(401, admission.error().context));
  const ModeratorKey* person = admission->signer;
  admit_signed_request_then(
      context, std::move(*admission),
      [&context, person, route, request = std::move(request),
       done = std::move(done)](Result<void> admitted) mutable {
        if (!admitted) {
          return done(error_reply(admission_refusal_status(admitted.error()),
                                  admitted.error().context));
        }
        serve_lawful_admin_request(context, *person, route, request, std::move(done));
      });
}

namespace {

// An authenticated, admitted operator's request.
void serve_lawful_admin_request(ServerContext& context, const ModeratorKey& person,
                                const LawfulRoute& route, const LawfulHttpRequest& request,
                                std::function<void(LawfulHttpReply)> done) {
  LawfulService& service = *context.lawful;
  const std::uint64_t id = route.number;
  switch (route.kind) {
    case LawfulRouteKind::authorities:
      return run(
          context,
          [&service](store::Store& store) -> Result<Answer> {
            Json list = Json::array();
            for (const lawful::Authority& authority : BULWARK_TRY(service.authorities(store)))
              list.push_back(authority_json(authority));
            return Answer{200, Json{{"authorities", std::move(list)}}};
          },
          std::move(done), false);
    case LawfulRouteKind::add_authority: {
      auto authority = authority_from(request.body);
      if (!authority) return done(error_reply(400, authority.error().context));
      auto body = parse_body(request.body);
      auto signature =
          body ? base64_member(*body, "signature") : Result<Bytes>(tl::unexpected(body.error()));
      if (!signature) return done(error_reply(400, signature.error().context));
      return run(
          context,
          [&service, person, authority = std::move(*authority),
           signature = std::move(*signature)](store::Store& store) -> Result<Answer> {
            const std::uint64_t index =
                BULWARK_TRY(service.put_authority(store, authority, person, signature));
            Json out = authority_json(authority);
            out["log_index"] = index;
            return Answer{200, std::move(out)};
          },
          std::move(done), true);
    }
    case LawfulRouteKind::orders:
      return run(
          context,
          [id](store::Store& store) -> Result<Answer> {
            Json list = Json::array();
            for (const store::LawfulOrder& order :
                 BULWARK_TRY(store.lawful_orders(id, store::max_lawful_page)))
              list.push_back(order_summary(order));
            return Answer{200, Json{{"orders", std::move(list)}}};
          },
          std::move(done), false);
    case LawfulRouteKind::show:
      return run(
          context,
          [&service, id](store::Store& store) -> Result<Answer> {
            return order_details(store, service, id);
          },
          std::move(done), false);
    default:
      break;
  }
  auto body = request.body.empty() ? Result<Json>(Json::object()) : parse_body(request.body);
  if (!body) return done(error_reply(400, body.error().context));
  switch (route.kind) {
    case LawfulRouteKind::submit: {
      auto document = base64_member(*body, "document");
      auto signature = base64_member(*body, "signature");
      if (!document || !signature)
        return done(error_reply(400, "{\"document\": base64, \"signature\": base64} expected"));
      return run(
          context,
          [&service, document = std::move(*document),
           signature = std::move(*signature)](store::Store& store) -> Result<Answer> {
            return outcome_answer(BULWARK_TRY(service.submit(store, document, signature)));
          },
          std::move(done), true);
    }
    case LawfulRouteKind::approve: {
      auto signature = base64_member(*body, "signature");
      if (!signature) return done(error_reply(400, signature.error().context));
      return run(
          context,
          [&service, person, id,
           signature = std::move(*signature)](store::Store& store) -> Result<Answer> {
            return outcome_answer(BULWARK_TRY(service.approve(store, id, person, signature)));
          },
          std::move(done), true);
    }
    case LawfulRouteKind::refuse: {
      auto reason = string_member(*body, "reason");
      auto signature = base64_member(*body, "signature");
      if (!reason || !signature)
        return done(error_reply(400, "{\"reason\": text, \"signature\": base64} expected"));
      return run(
          context,
          [&service, person, id, reason = std::move(*reason),
           signature = std::move(*signature)](store::Store& store) -> Result<Answer> {
            return outcome_answer(
                BULWARK_TRY(service.refuse(store, id, person, reason, signature)));
          },
          std::move(done), true);
    }
    case LawfulRouteKind::release:
      return run(
          context,
          [&service, id](store::Store& store) -> Result<Answer> {
            return release_answer(BULWARK_TRY(service.release(store, id)));
          },
          std::move(done), true);
    default:
      return done(error_reply(404, "no such route"));
  }
}

}  // namespace

}  // namespace bulwark::server
