// `bulwark channel create|info|subscribe|unsubscribe|admins`: channels and who runs them
// (client/channels.h). The posting and reading subcommands are in channel_posts.cpp.
#include "cli/channel_render.h"
#include "cli/commands.h"
#include "client/channels.h"

namespace bulwark::cli {
namespace {

struct CreateArgs {
  std::string handle;
  std::string title;
  std::string description;
  bool is_private = false;
};

struct HandleArgs {
  std::string handle;
  std::optional<std::string> invite;
};

struct AdminArgs {
  std::string handle;
  std::optional<std::string> add;
  std::optional<std::string> remove;
};

// Problems found while checking the channel (an admin entry that did not verify, a log cut
// short) make the command warn and exit 4 after printing what it did.
int finish(const Output& out, const client::ChannelDetails& details) {
  if (details.problems.empty()) return exit_ok;
  return report_channel_problems(out, details.handle, details.problems);
}

int run_create(const CreateArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto created = (*session)->client->channels().create(args.handle, args.title, args.description,
                                                       args.is_private);
  if (!created) return channel_error(out, created.error());
  nlohmann::json json = channel_details_json(created->channel);
  json["type"] = "channel_created";
  std::string text = "Created @" + created->channel.handle +
                     (created->channel.is_private ? " (private)." : ".") +
                     " Its channel key stays on this device.";
  if (created->invite_link) {
    json["invite_link"] = *created->invite_link;
    text += "\nInvite link (give it only to those you invite): " + *created->invite_link;
  }
  out.emit(json, text);
  return finish(out, created->channel);
}

int run_info(const HandleArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto details = (*session)->client->channels().info(args.handle);
  if (!details) return channel_error(out, details.error());
  out.emit(channel_details_json(*details), channel_details_text(*details));
  return finish(out, *details);
}

int run_subscribe(const HandleArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  std::optional<std::string_view> invite;
  if (args.invite) invite = *args.invite;
  auto details = (*session)->client->channels().subscribe(args.handle, invite);
  if (!details) return channel_error(out, details.error());
  nlohmann::json json = channel_details_json(*details);
  json["type"] = "subscribed";
  out.emit(json, "Subscribed to @" + details->handle + ": " + details->title);
  return finish(out, *details);
}

int run_unsubscribe(const HandleArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto done = (*session)->client->channels().unsubscribe(args.handle);
  if (!done) return channel_error(out, done.error());
  out.emit({{"type", "unsubscribed"}, {"handle", args.handle}}, "Unsubscribed from " + args.handle + ".");
  return exit_ok;
}

nlohmann::json admin_change_json(const client::AppendReceipt& receipt, const std::string& peer, bool added) {
  return {{"type", added ? "channel_admin_added" : "channel_admin_removed"},
          {"handle", receipt.handle}, {"peer", peer}, {"seq", receipt.seq},
          {"attempts", receipt.attempts}};
}

int run_admins(const AdminArgs& args, const GlobalOptions& options, const Output& out) {
  if (args.add && args.remove)
    return out.error(Error{Errc::invalid_argument, "give --add or --remove, not both"});
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  client::Channels channels = (*session)->client->channels();
  if (args.add || args.remove) {
    const bool adding = args.add.has_value();
    const std::string& peer = adding ? *args.add : *args.remove;
    auto receipt = adding ? channels.add_admin(args.handle, peer) : channels.remove_admin(args.handle, peer);
    if (!receipt) return channel_error(out, receipt.error());
    out.emit(admin_change_json(*receipt, peer, adding),
             (adding ? peer + " is now an admin of @" : peer + " is no longer an admin of @") +
                 receipt->handle + " (#" + std::to_string(receipt->seq) + ").");
    return exit_ok;
  }
  auto admins = channels.admins(args.handle);
  if (!admins) return channel_error(out, admins.error());
  nlohmann::json list = nlohmann::json::array();
  std::string text = admins->empty() ? "No admins besides the owner." : "Admins:";
  for (const auto& admin : *admins) {
    list.push_back(channel_admin_json(admin));
    text += "\n  " + channel_admin_text(admin);
  }
  out.emit({{"type", "channel_admins"}, {"handle", args.handle}, {"admins", list}}, text);
  return exit_ok;
}

}  // namespace

void add_channel_commands(CLI::App& app, Commands& commands) {
  CLI::App* channel = app.add_subcommand("channel", "public channels: posts signed by the channel's key");
  channel->require_subcommand(1);

  auto create = std::make_shared<CreateArgs>();
  CLI::App* create_app = channel->add_subcommand("create", "create a channel owned by this device");
  create_app->add_option("handle", create->handle, "5-32 letters, digits or _")->required();
  create_app->add_option("--title", create->title, "the channel's name (default: the handle)");
  create_app->add_option("--description", create->description, "what it is about");
  create_app->add_flag("--private", create->is_private, "only those with the invite link may read it");
  commands.push_back({create_app, [create](const GlobalOptions& o, const Output& out) { return run_create(*create, o, out); }});

  auto info = std::make_shared<HandleArgs>();
  CLI::App* info_app = channel->add_subcommand("info", "show a channel: title, size, admins");
  info_app->add_option("handle", info->handle, "the channel's handle")->required();
  commands.push_back({info_app, [info](const GlobalOptions& o, const Output& out) { return run_info(*info, o, out); }});

  auto subscribe = std::make_shared<HandleArgs>();
  CLI::App* subscribe_app = channel->add_subcommand("subscribe", "follow a channel");
  subscribe_app->add_option("handle", subscribe->handle, "the channel's handle")->required();
  subscribe_app->add_option("--invite", subscribe->invite, "a private channel's invite link or code");
  commands.push_back({subscribe_app, [subscribe](const GlobalOptions& o, const Output& out) { return run_subscribe(*subscribe, o, out); }});

  auto unsubscribe = std::make_shared<HandleArgs>();
  CLI::App* unsubscribe_app = channel->add_subcommand("unsubscribe", "stop following a channel");
  unsubscribe_app->add_option("handle", unsubscribe->handle, "the channel's handle")->required();
  commands.push_back({unsubscribe_app, [unsubscribe](const GlobalOptions& o, const Output& out) { return run_unsubscribe(*unsubscribe, o, out); }});

  auto admins = std::make_shared<AdminArgs>();
  CLI::App* admins_app = channel->add_subcommand("admins", "list a channel's admins, or (owner) add or remove one");
  admins_app->add_option("handle", admins->handle, "the channel's handle")->required();
  admins_app->add_option("--add", admins->add, "make PEER (+PHONE, @username or account id) an admin");
  admins_app->add_option("--remove", admins->remove, "remove PEER's admin rights");
  commands.push_back({admins_app, [admins](const GlobalOptions& o, const Output& out) { return run_admins(*admins, o, out); }});

  add_channel_post_commands(*channel, commands);
  add_moderation_commands(app, *channel, commands);
}

}  // namespace bulwark::cli
