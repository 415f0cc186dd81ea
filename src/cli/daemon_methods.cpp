#include "cli/daemon_methods.h"

#include "cli/daemon_group_methods.h"
#include "cli/output.h"
#include "cli/render.h"

namespace bulwark::cli {
namespace {

constexpr int parse_error = -32700;
constexpr int invalid_request = -32600;
constexpr int method_not_found = -32601;
constexpr int invalid_params = -32602;
constexpr int server_error = -32000;

nlohmann::json ok(const nlohmann::json& id, nlohmann::json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

nlohmann::json failed(const nlohmann::json& id, const Error& error) {
  return rpc_error(id, server_error, error.context, exit_code_for(error));
}

std::optional<std::string> string_param(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || !params[name].is_string()) return std::nullopt;
  return params[name].get<std::string>();
}

nlohmann::json call(client::Client& client, const std::string& method, const nlohmann::json& params,
                    const nlohmann::json& id) {
  if (method == "send") {
    auto to = string_param(params, "to");
    auto message = string_param(params, "message");
    if (!to || !message) return rpc_error(id, invalid_params, "send needs \"to\" and \"message\"");
    auto receipt = client.send(*to, *message);
    if (!receipt) return failed(id, receipt.error());
    return ok(id, {{"timestamp", receipt->server_timestamp_ms}, {"devices", receipt->devices},
                   {"account_id", receipt->recipient_account}});
  }
  if (method == "report") {
    // A bot that moderates its own inbox reports like `bulwark report` (docs/FRANKING.md).
    auto message = string_param(params, "message");
    auto reason = string_param(params, "reason");
    if (!message || !reason) return rpc_error(id, invalid_params, "report needs \"message\" and \"reason\"");
    const std::uint32_t context =
        params.contains("context") && params["context"].is_number_unsigned() ? params["context"].get<std::uint32_t>() : 0;
    auto receipt = client.report_message(*message, *reason, string_param(params, "comment").value_or(""), context);
    if (!receipt) return failed(id, receipt.error());
    return ok(id, {{"case", receipt->case_id}, {"revealed_messages", receipt->messages}});
  }
  // Public-content moderation, as `bulwark channel report`, `moderation` and `appeal`
  // (docs/MODERATION.md).
  if (method == "channel_report") {
    auto handle = string_param(params, "handle");
    auto category = string_param(params, "category");
    if (!handle || !category)
      return rpc_error(id, invalid_params, "channel_report needs \"handle\" and \"category\"");
    const std::uint64_t seq =
        params.contains("seq") && params["seq"].is_number_unsigned() ? params["seq"].get<std::uint64_t>() : 0;
    auto receipt = client.moderation().report(*handle, seq, *category,
                                              string_param(params, "comment").value_or(""));
    if (!receipt) return failed(id, receipt.error());
    return ok(id, {{"case", receipt->case_id}, {"counted", receipt->counted}});
  }
  if (method == "moderation") {
    auto notices = client.moderation().notices();
    if (!notices) return failed(id, notices.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& notice : *notices) list.push_back(moderation_notice_json(notice));
    return ok(id, {{"notices", std::move(list)}});
  }
  // As `bulwark notices lawful` (docs/LAWFUL.md): each notice checked, flagged when it fails.
  if (method == "lawful_notices") {
    auto notices = client.lawful_notices();
    if (!notices) return failed(id, notices.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& notice : *notices) list.push_back(lawful_notice_json(notice));
    return ok(id, {{"notices", std::move(list)}});
  }
  if (method == "appeal") {
    auto text = string_param(params, "text");
    if (!params.is_object() || !params.contains("case") || !params["case"].is_number_unsigned() || !text)
      return rpc_error(id, invalid_params, "appeal needs \"case\" (a number) and \"text\"");
    auto done = client.moderation().appeal(params["case"].get<std::uint64_t>(), *text);
    if (!done) return failed(id, done.error());
    return ok(id, {{"case", params["case"]}});
  }
  if (method == "whoami") {
    auto info = client.whoami();
    if (!info) return failed(id, info.error());
    return ok(id, account_json(*info));
  }
  if (method == "contacts") {
    auto contacts = client.contacts();
    if (!contacts) return failed(id, contacts.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& contact : *contacts) {
      list.push_back({{"phone", contact.phone ? nlohmann::json(*contact.phone) : nlohmann::json(nullptr)},
                      {"username", contact.username ? nlohmann::json(*contact.username) : nlohmann::json(nullptr)},
                      {"key_changed", contact.pending_identity_key.has_value()}});
    }
    return ok(id, list);
  }
  if (method == "safety_number" || method == "trust") {
    auto peer = string_param(params, "peer");
    if (!peer) return rpc_error(id, invalid_params, method + " needs \"peer\"");
    if (method == "trust") {
      bool verified = params.contains("verified") && params["verified"].is_boolean() && params["verified"].get<bool>();
      auto trusted = client.trust(*peer, verified);
      if (!trusted) return failed(id, trusted.error());
      return ok(id, {{"trusted", true}});
    }
    auto number = client.safety_number(*peer);
    if (!number) return failed(id, number.error());
    return ok(id, {{"digits", number->digits}, {"verified", number->verified},
                   {"key_changed", number->pending_key_change.has_value()}});
  }
  if (method == "set_username") {
    auto name = string_param(params, "username");
    if (!name) return rpc_error(id, invalid_params, "set_username needs \"username\"");
    auto set = client.set_username(*name);
    if (!set) return failed(id, set.error());
    return ok(id, {{"username", *name}});
  }
  if (auto answer = call_group_method(client, method, params, id)) return *answer;
  return rpc_error(id, method_not_found, "no method " + method);
}

}  // namespace

nlohmann::json rpc_error(const nlohmann::json& id, int code, const std::string& message, int exit_code) {
  return {{"jsonrpc", "2.0"}, {"id", id},
          {"error", {{"code", code}, {"message", message}, {"data", {{"exit_code", exit_code}}}}}};
}

nlohmann::json handle_rpc_line(client::Client& client, std::string_view line) {
  auto request = nlohmann::json::parse(line, nullptr, false);
  if (request.is_discarded()) return rpc_error(nullptr, parse_error, "not JSON");
  // value("jsonrpc", "") would throw on a non-string member (found by rpc_fuzz).
  const bool version_ok = request.is_object() && request.contains("jsonrpc") &&
                          request["jsonrpc"].is_string() && request["jsonrpc"] == "2.0";
  if (!version_ok || !request.contains("method") || !request["method"].is_string())
    return rpc_error(request.is_object() && request.contains("id") ? request["id"] : nullptr, invalid_request,
                     "not a JSON-RPC 2.0 request");
  nlohmann::json id = request.contains("id") ? request["id"] : nullptr;
  nlohmann::json params = request.contains("params") ? request["params"] : nlohmann::json::object();
  return call(client, request["method"].get<std::string>(), params, id);
}

}  // namespace bulwark::cli
