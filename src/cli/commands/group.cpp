// `bulwark group create|add|remove|send|members|leave|list` (`group chat` is group_chat.cpp):
// end-to-end encrypted groups on MLS (client/groups.h, docs/CLI.md "Groups"). GROUP is the group's name when it names one
// group on this device, or its id in hex (or a prefix of at least 8 digits); PEER is +PHONE,
// @username or an account id. Roster changes print with who made them (cli/group_render.h).
#include "cli/commands.h"
#include "cli/group_render.h"
#include "cli/stdin_body.h"
#include "client/groups.h"

namespace bulwark::cli {
namespace {

struct GroupArgs {
  std::string group;
};

struct MemberArgs {
  std::string group;
  std::string peer;
};

struct GroupSendArgs {
  std::string group;
  std::optional<std::string> text;  // default: stdin
};

int run_create(const std::string& name, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto created = (*session)->client->groups().create(name);
  if (!created) return out.error(created.error());
  nlohmann::json json = group_summary_json(*created);
  json["type"] = "group_created";
  out.emit(json, "Created group " + group_label(created->name, created->group_id) + ", id " +
                     created->group_id + ". Add members with `bulwark group add`.");
  return exit_ok;
}

// add and remove: the changes as every member sees them.
int run_member_change(const MemberArgs& args, bool adding, const GlobalOptions& options,
                      const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  client::Groups groups = (*session)->client->groups();
  auto update = adding ? groups.add(args.group, args.peer) : groups.remove(args.group, args.peer);
  if (!update) return out.error(update.error());
  nlohmann::json json =
      group_update_json(adding ? "group_member_added" : "group_member_removed", *update);
  json["peer"] = args.peer;
  std::string text;
  for (const std::string& line :
       roster_lines(group_label(update->group.name, update->group.group_id), update->changes))
    text += line + "\n";
  text += "Now " + std::to_string(update->group.members) +
          (update->group.members == 1 ? " device" : " devices") + ", epoch " +
          std::to_string(update->group.epoch) + ".";
  out.emit(json, text);
  return exit_ok;
}

// The text from -m, else from stdin as for `send` (bounded the same way; the client refuses a
// body over 64 KiB).
int run_send(const GroupSendArgs& args, const GlobalOptions& options, const Output& out) {
  const std::string text = args.text ? *args.text : read_stdin_body();
  if (text.empty()) {
    return out.error(Error{Errc::invalid_argument,
                           args.text ? "nothing to send: the message is empty"
                                     : "nothing to send: give -m TEXT or a body on stdin"});
  }
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto receipt = (*session)->client->groups().send(args.group, text);
  if (!receipt) return out.error(receipt.error());
  out.emit({{"type", "group_sent"},
            {"group", args.group},
            {"group_id", receipt->group_id},
            {"epoch", receipt->epoch},
            {"devices", receipt->devices}},
           "Sent to " + args.group + " (" + std::to_string(receipt->devices) +
               (receipt->devices == 1 ? " device)." : " devices)."));
  return exit_ok;
}

int run_members(const GroupArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto members = (*session)->client->groups().members(args.group);
  if (!members) return out.error(members.error());
  nlohmann::json list = nlohmann::json::array();
  std::string text = "Members of " + args.group + " (" + std::to_string(members->size()) +
                     (members->size() == 1 ? " device):" : " devices):");
  for (const client::GroupMember& member : *members) {
    list.push_back(group_member_json(member));
    text += "\n  " + group_member_text(member);
  }
  out.emit({{"type", "group_members"}, {"group", args.group}, {"members", list}}, text);
  return exit_ok;
}

int run_leave(const GroupArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto left = (*session)->client->groups().leave(args.group);
  if (!left) return out.error(left.error());
  out.emit({{"type", "group_left"}, {"group", args.group}},
           "Left " + args.group + ": the other members remove you when they next commit, and " +
               "its local state is deleted here.");
  return exit_ok;
}

int run_list(const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto groups = (*session)->client->groups().list();
  if (!groups) return out.error(groups.error());
  nlohmann::json list = nlohmann::json::array();
  std::string text = groups->empty() ? "No groups." : "Groups:";
  for (const client::GroupSummary& group : *groups) {
    list.push_back(group_summary_json(group));
    text += "\n  " + group_summary_text(group);
  }
  out.emit({{"type", "groups"}, {"groups", list}}, text);
  return exit_ok;
}

constexpr const char* group_help = "the group's name, or its id (or 8+ leading hex digits)";
constexpr const char* peer_help = "+PHONE, @username or account id (every device of it)";

void add_member_command(CLI::App& group, Commands& commands, bool adding) {
  auto args = std::make_shared<MemberArgs>();
  CLI::App* app = group.add_subcommand(
      adding ? "add" : "remove",
      adding ? "add every device of PEER to GROUP" : "remove every device of PEER from GROUP");
  app->add_option("group", args->group, group_help)->required();
  app->add_option("peer", args->peer, peer_help)->required();
  commands.push_back({app, [args, adding](const GlobalOptions& o, const Output& out) {
                        return run_member_change(*args, adding, o, out);
                      }});
}

}  // namespace

void add_group_commands(CLI::App& app, Commands& commands) {
  CLI::App* group = app.add_subcommand("group", "end-to-end encrypted groups (MLS)");
  group->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  CLI::App* create = group->add_subcommand("create", "create a group whose only member is you");
  create->add_option("name", *name, "the group's name, 1-64 characters")->required();
  commands.push_back({create, [name](const GlobalOptions& o, const Output& out) {
                        return run_create(*name, o, out);
                      }});

  add_member_command(*group, commands, /*adding=*/true);
  add_member_command(*group, commands, /*adding=*/false);

  auto send = std::make_shared<GroupSendArgs>();
  CLI::App* send_app = group->add_subcommand("send", "send a message to every member of GROUP");
  send_app->add_option("group", send->group, group_help)->required();
  send_app->add_option("-m,--message", send->text, "the text (default: read from stdin)");
  commands.push_back({send_app, [send](const GlobalOptions& o, const Output& out) {
                        return run_send(*send, o, out);
                      }});

  auto members = std::make_shared<GroupArgs>();
  CLI::App* members_app = group->add_subcommand("members", "the roster, from this device's state");
  members_app->add_option("group", members->group, group_help)->required();
  commands.push_back({members_app, [members](const GlobalOptions& o, const Output& out) {
                        return run_members(*members, o, out);
                      }});

  auto leave = std::make_shared<GroupArgs>();
  CLI::App* leave_app = group->add_subcommand("leave", "leave GROUP with every device of yours");
  leave_app->add_option("group", leave->group, group_help)->required();
  commands.push_back({leave_app, [leave](const GlobalOptions& o, const Output& out) {
                        return run_leave(*leave, o, out);
                      }});

  add_group_chat_command(*group, commands);

  CLI::App* list = group->add_subcommand("list", "the groups this device is in");
  commands.push_back(
      {list, [](const GlobalOptions& o, const Output& out) { return run_list(o, out); }});
}

}  // namespace bulwark::cli
