// `bulwark receive [--timeout S] [--max-messages N]`: prints messages as they are committed
// locally, entries pushed by subscribed channels and what arrives for MLS groups (messages
// and roster changes); exits after S seconds without one. Exit code 4 if a message waits
// behind an identity change, a channel entry does not verify, or a group reports a fork or
// refused a message.
#include "cli/commands.h"
#include "cli/group_render.h"
#include "cli/render.h"

namespace bulwark::cli {
namespace {

struct ReceiveArgs {
  double timeout = 5;
  std::optional<std::size_t> max_messages;
};

bool is_group_message(const client::ReceiveEvent& event) {
  return event.kind == client::ReceiveEvent::Kind::group_event &&
         event.group_event->kind == client::GroupEvent::Kind::message;
}

// A server that forks a group, or a group message that was refused (a leaf failing its KT
// check, a replayed commit): shown, and the exit code says so, as for a channel entry.
bool is_group_alarm_event(const client::ReceiveEvent& event) {
  return event.kind == client::ReceiveEvent::Kind::group_event && event.group_event &&
         is_group_alarm(*event.group_event);
}

int run_receive(const ReceiveArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  std::size_t received = 0;
  bool untrusted = false;
  auto idle = std::chrono::milliseconds(static_cast<long long>(args.timeout * 1000));
  auto result = (*session)->client->receive(idle, [&](const client::ReceiveEvent& event) {
    if (event.kind == client::ReceiveEvent::Kind::queue_empty) return true;
    if (event.kind == client::ReceiveEvent::Kind::untrusted_identity) untrusted = true;
    out.emit(event_json(event), event_text(event));
    // A channel entry that does not verify is shown flagged; the exit code says so too.
    if (event.kind == client::ReceiveEvent::Kind::channel_entry && !event.channel_entry->verified) {
      untrusted = true;
      out.log("bulwark: WARNING: an entry pushed for @" + event.channel_entry->handle +
              " does not verify: " + event.channel_entry->problem);
    }
    if (is_group_alarm_event(event)) {
      untrusted = true;
      out.log("bulwark: WARNING: " + event_text(event));
    }
    if (event.kind == client::ReceiveEvent::Kind::message || is_group_message(event)) ++received;
    return !(args.max_messages && received >= *args.max_messages);
  });
  if (!result) return out.error(result.error());
  return untrusted ? exit_untrusted : exit_ok;
}

}  // namespace

void add_receive_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<ReceiveArgs>();
  CLI::App* receive = app.add_subcommand("receive", "fetch and print incoming messages");
  receive->add_option("-t,--timeout", args->timeout, "exit after this many seconds without a message (default 5)")
      ->check(CLI::Range(0.0, 86400.0));
  receive->add_option("--max-messages", args->max_messages, "exit after this many messages (direct or group)");
  commands.push_back({receive, [args](const GlobalOptions& o, const Output& out) { return run_receive(*args, o, out); }});
}

}  // namespace bulwark::cli
