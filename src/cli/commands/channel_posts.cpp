// `bulwark channel post|edit|delete|read`: writing to a channel (as its owner or an admin) and
// reading it. `read` verifies every entry; anything that does not verify is flagged, warned
// about on stderr, and makes the command exit with 4.
#include "cli/channel_render.h"
#include "cli/commands.h"
#include "client/channels.h"

namespace bulwark::cli {
namespace {

struct WriteArgs {
  std::string handle;
  std::uint64_t seq = 0;
  std::string message;
};

struct ReadArgs {
  std::string handle;
  std::optional<std::uint64_t> after;
  std::uint32_t limit = 20;
  bool from_cursor = false;
};

enum class Write { post, edit, remove };

int run_write(Write what, const WriteArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  client::Channels channels = (*session)->client->channels();
  auto receipt = what == Write::post   ? channels.post(args.handle, args.message)
                 : what == Write::edit ? channels.edit(args.handle, args.seq, args.message)
                                       : channels.remove(args.handle, args.seq);
  if (!receipt) return channel_error(out, receipt.error());
  const char* kind = what == Write::post ? "post" : what == Write::edit ? "edit" : "remove";
  nlohmann::json json{{"type", "channel_appended"}, {"handle", receipt->handle}, {"kind", kind},
                      {"seq", receipt->seq},         {"signed_by", receipt->signed_by},
                      {"attempts", receipt->attempts}, {"server_time", receipt->server_time_ms}};
  if (what != Write::post) json["target"] = args.seq;
  const std::string where = "@" + receipt->handle + " #" + std::to_string(receipt->seq);
  const std::string text = what == Write::post   ? "Posted " + where
                           : what == Write::edit ? "Edited #" + std::to_string(args.seq) + " (" + where + ")"
                                                 : "Deleted #" + std::to_string(args.seq) + " (" + where + ")";
  out.emit(json, text + ", signed as " + receipt->signed_by + ".");
  return exit_ok;
}

int run_read(const ReadArgs& args, const GlobalOptions& options, const Output& out) {
  if (args.after && args.from_cursor)
    return out.error(Error{Errc::invalid_argument, "give --after or --new, not both"});
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  client::ChannelReadRequest request{args.after, args.from_cursor, args.limit};
  auto page = (*session)->client->channels().read(args.handle, request);
  if (!page) return channel_error(out, page.error());
  if (page->resynced) {
    out.log("bulwark: @" + page->handle + " is too far ahead: resyncing from here (" +
            std::to_string(page->skipped) + " entries skipped)");
  }
  for (const client::ChannelItem& item : page->items)
    out.emit(channel_item_json(item), channel_item_text(item));
  std::size_t unverified = 0;
  for (const client::ChannelItem& item : page->items) unverified += item.verified ? 0 : 1;
  // The page's summary is for programs; people see it only when the page is empty.
  if (out.json() || page->items.empty()) {
    out.emit({{"type", "channel_page"}, {"handle", page->handle}, {"after", page->after},
              {"count", page->items.size()}, {"last_seq", page->last_seq}, {"cursor", page->cursor},
              {"resynced", page->resynced}, {"skipped", page->skipped}, {"more", page->more},
              {"verified", page->all_verified()}, {"unverified", unverified}},
             "(nothing after #" + std::to_string(page->after) + ")");
  }
  if (!out.json() && page->more && !page->items.empty()) {
    const std::string last = std::to_string(page->items.back().seq);
    out.emit({}, "(more after #" + last + ": bulwark channel read " + page->handle + " --after " + last + ")");
  }
  if (page->all_verified()) return exit_ok;
  std::vector<std::string> problems = page->problems;
  for (const client::ChannelItem& item : page->items)
    if (!item.verified) problems.push_back("#" + std::to_string(item.seq) + ": " + item.problem);
  return report_channel_problems(out, page->handle, problems);
}

}  // namespace

void add_channel_post_commands(CLI::App& channel, Commands& commands) {
  auto post = std::make_shared<WriteArgs>();
  CLI::App* post_app = channel.add_subcommand("post", "post to a channel you own or administer");
  post_app->add_option("handle", post->handle, "the channel's handle")->required();
  post_app->add_option("-m,--message", post->message, "the text (at most 4096 characters)")->required();
  commands.push_back({post_app, [post](const GlobalOptions& o, const Output& out) { return run_write(Write::post, *post, o, out); }});

  auto edit = std::make_shared<WriteArgs>();
  CLI::App* edit_app = channel.add_subcommand("edit", "replace the text of a post");
  edit_app->add_option("handle", edit->handle, "the channel's handle")->required();
  edit_app->add_option("seq", edit->seq, "the post's number")->required();
  edit_app->add_option("-m,--message", edit->message, "the new text")->required();
  commands.push_back({edit_app, [edit](const GlobalOptions& o, const Output& out) { return run_write(Write::edit, *edit, o, out); }});

  auto remove = std::make_shared<WriteArgs>();
  CLI::App* remove_app = channel.add_subcommand("delete", "remove a post");
  remove_app->add_option("handle", remove->handle, "the channel's handle")->required();
  remove_app->add_option("seq", remove->seq, "the post's number")->required();
  commands.push_back({remove_app, [remove](const GlobalOptions& o, const Output& out) { return run_write(Write::remove, *remove, o, out); }});

  auto read = std::make_shared<ReadArgs>();
  CLI::App* read_app = channel.add_subcommand("read", "show a channel's entries, every one verified");
  read_app->add_option("handle", read->handle, "the channel's handle")->required();
  read_app->add_option("--after", read->after, "entries after this number (default: the latest page)");
  read_app->add_option("--limit", read->limit, "at most this many (1-1000, default 20)");
  read_app->add_flag("--new", read->from_cursor, "what this device has not shown yet");
  commands.push_back({read_app, [read](const GlobalOptions& o, const Output& out) { return run_read(*read, o, out); }});
}

}  // namespace bulwark::cli
