// `bulwark group chat GROUP`: `chat` for an MLS group. Each line typed is sent to every member;
// what arrives meanwhile is printed as `receive` prints it: this group's messages and roster
// changes (with who made them), and everything else. A fork or a refused group message is also
// warned about on stderr, and the chat then exits with code 4 at its end, as `receive` does.
#include "cli/chat_loop.h"
#include "cli/commands.h"
#include "cli/group_render.h"
#include "client/groups.h"

namespace bulwark::cli {
namespace {

int run_group_chat(const std::string& group, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  client::Client& client = *(*session)->client;
  // An unknown group is refused before anything is typed.
  auto members = client.groups().members(group);
  if (!members) return out.error(members.error());
  out.log("chatting in " + group + " (" + std::to_string(members->size()) +
          (members->size() == 1 ? " device" : " devices") +
          "): type a message and press Enter; Ctrl-D ends");
  bool alarmed = false;
  ChatHandlers handlers;
  handlers.send = [&](const std::string& line) -> Result<nlohmann::json> {
    auto sent = client.groups().send(group, line);
    if (!sent) return tl::unexpected(sent.error());
    return nlohmann::json{{"type", "group_sent"},       {"group", group},
                          {"group_id", sent->group_id}, {"epoch", sent->epoch},
                          {"devices", sent->devices},   {"body", line}};
  };
  handlers.on_event = [&](const client::ReceiveEvent& event) {
    if (event.kind != client::ReceiveEvent::Kind::group_event || !event.group_event) return;
    if (!is_group_alarm(*event.group_event)) return;
    alarmed = true;
    out.log("bulwark: WARNING: " + group_event_text(*event.group_event));
  };
  const int status = run_chat_loop(client, handlers, out);
  return status == exit_ok && alarmed ? exit_untrusted : status;
}

}  // namespace

void add_group_chat_command(CLI::App& group, Commands& commands) {
  auto name = std::make_shared<std::string>();
  CLI::App* chat = group.add_subcommand("chat", "talk in GROUP interactively");
  chat->add_option("group", *name, "the group's name, or its id (or 8+ leading hex digits)")
      ->required();
  commands.push_back({chat, [name](const GlobalOptions& o, const Output& out) {
                        return run_group_chat(*name, o, out);
                      }});
}

}  // namespace bulwark::cli
