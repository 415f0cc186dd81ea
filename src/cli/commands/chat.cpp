// `bulwark chat PEER`: an interactive conversation. Each line typed is sent; messages arriving
// meanwhile are printed. Ends at end of input (Ctrl-D).
#include <poll.h>
#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/render.h"

namespace bulwark::cli {
namespace {

constexpr auto receive_window = std::chrono::milliseconds(250);

bool stdin_ready() {
  pollfd fd{STDIN_FILENO, POLLIN, 0};
  return ::poll(&fd, 1, 0) > 0;
}

int run_chat(const std::string& peer, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  client::Client& client = *(*session)->client;
  out.log("chatting with " + peer + ": type a message and press Enter; Ctrl-D ends");
  int status = exit_ok;
  for (;;) {
    while (stdin_ready()) {
      std::string line;
      if (!std::getline(std::cin, line)) return status;
      if (line.empty()) continue;
      auto sent = client.send(peer, line);
      if (!sent) {
        status = out.error(sent.error());
        if (status == exit_network) return status;
      } else if (out.json()) {
        out.emit({{"type", "sent"}, {"to", peer}, {"body", line}, {"timestamp", sent->server_timestamp_ms}}, "");
      }
    }
    auto received = client.receive(receive_window, [&](const client::ReceiveEvent& event) {
      if (event.kind == client::ReceiveEvent::Kind::queue_empty) return true;
      out.emit(event_json(event), event_text(event));
      return !stdin_ready();  // typing wins: go send it
    });
    if (!received) return out.error(received.error());
  }
}

}  // namespace

void add_chat_command(CLI::App& app, Commands& commands) {
  auto peer = std::make_shared<std::string>();
  CLI::App* chat = app.add_subcommand("chat", "talk with PEER interactively");
  chat->add_option("peer", *peer, "+PHONE, @username or account id")->required();
  commands.push_back({chat, [peer](const GlobalOptions& o, const Output& out) { return run_chat(*peer, o, out); }});
}

}  // namespace bulwark::cli
