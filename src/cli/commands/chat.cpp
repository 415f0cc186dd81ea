// `bulwark chat PEER`: an interactive conversation. Each line typed is sent; messages arriving
// meanwhile are printed. Ends at end of input (Ctrl-D). The loop is cli/chat_loop.h, shared
// with `group chat`.
#include "cli/chat_loop.h"
#include "cli/commands.h"

namespace bulwark::cli {
namespace {

int run_chat(const std::string& peer, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  client::Client& client = *(*session)->client;
  out.log("chatting with " + peer + ": type a message and press Enter; Ctrl-D ends");
  ChatHandlers handlers;
  handlers.send = [&](const std::string& line) -> Result<nlohmann::json> {
    auto sent = client.send(peer, line);
    if (!sent) return tl::unexpected(sent.error());
    return nlohmann::json{
        {"type", "sent"}, {"to", peer}, {"body", line}, {"timestamp", sent->server_timestamp_ms}};
  };
  return run_chat_loop(client, handlers, out);
}

}  // namespace

void add_chat_command(CLI::App& app, Commands& commands) {
  auto peer = std::make_shared<std::string>();
  CLI::App* chat = app.add_subcommand("chat", "talk with PEER interactively");
  chat->add_option("peer", *peer, "+PHONE, @username or account id")->required();
  commands.push_back({chat, [peer](const GlobalOptions& o, const Output& out) { return run_chat(*peer, o, out); }});
}

}  // namespace bulwark::cli
