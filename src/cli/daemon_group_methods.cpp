#include "cli/daemon_group_methods.h"

#include "cli/daemon_methods.h"
#include "cli/group_render.h"
#include "cli/output.h"
#include "client/groups.h"

namespace bulwark::cli {
namespace {

constexpr int invalid_params = -32602;
constexpr int server_error = -32000;

nlohmann::json group_ok(const nlohmann::json& id, nlohmann::json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

nlohmann::json group_failed(const nlohmann::json& id, const Error& error) {
  return rpc_error(id, server_error, error.context, exit_code_for(error));
}

std::optional<std::string> group_param(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || !params[name].is_string())
    return std::nullopt;
  return params[name].get<std::string>();
}

nlohmann::json update_result(const Result<client::GroupUpdate>& update, const nlohmann::json& id) {
  if (!update) return group_failed(id, update.error());
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& change : update->changes) changes.push_back(roster_change_json(change));
  return group_ok(id, {{"group", group_summary_json(update->group)}, {"changes", changes}});
}

// Methods that name one group (and maybe a peer or a message).
nlohmann::json call_on_group(client::Groups groups, const std::string& method,
                             const std::string& group, const nlohmann::json& params,
                             const nlohmann::json& id) {
  if (method == "group.add" || method == "group.remove") {
    auto peer = group_param(params, "peer");
    if (!peer) return rpc_error(id, invalid_params, method + " needs \"group\" and \"peer\"");
    return update_result(
        method == "group.add" ? groups.add(group, *peer) : groups.remove(group, *peer), id);
  }
  if (method == "group.send") {
    auto message = group_param(params, "message");
    if (!message)
      return rpc_error(id, invalid_params, "group.send needs \"group\" and \"message\"");
    if (message->empty())
      return rpc_error(id, invalid_params, "nothing to send: the message is empty");
    auto receipt = groups.send(group, *message);
    if (!receipt) return group_failed(id, receipt.error());
    return group_ok(id, {{"group_id", receipt->group_id},
                         {"epoch", receipt->epoch},
                         {"devices", receipt->devices}});
  }
  if (method == "group.members") {
    auto members = groups.members(group);
    if (!members) return group_failed(id, members.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& member : *members) list.push_back(group_member_json(member));
    return group_ok(id, {{"group", group}, {"members", list}});
  }
  auto left = groups.leave(group);  // group.leave, the last one naming a group
  if (!left) return group_failed(id, left.error());
  return group_ok(id, {{"group", group}, {"left", true}});
}

}  // namespace

std::optional<nlohmann::json> call_group_method(client::Client& client, const std::string& method,
                                                const nlohmann::json& params,
                                                const nlohmann::json& id) {
  if (method == "group.list") {
    auto groups = client.groups().list();
    if (!groups) return group_failed(id, groups.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& group : *groups) list.push_back(group_summary_json(group));
    return group_ok(id, {{"groups", list}});
  }
  if (method == "group.create") {
    auto name = group_param(params, "name");
    if (!name) return rpc_error(id, invalid_params, "group.create needs \"name\"");
    auto created = client.groups().create(*name);
    if (!created) return group_failed(id, created.error());
    return group_ok(id, group_summary_json(*created));
  }
  if (method != "group.add" && method != "group.remove" && method != "group.send" &&
      method != "group.members" && method != "group.leave")
    return std::nullopt;
  auto group = group_param(params, "group");
  if (!group) return rpc_error(id, invalid_params, method + " needs \"group\"");
  return call_on_group(client.groups(), method, *group, params, id);
}

}  // namespace bulwark::cli
