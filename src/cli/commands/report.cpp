// `bulwark report --message ID --reason CATEGORY [--context N] [-m COMMENT]`: reports a received
// message as abuse, with proof of who sent it (docs/FRANKING.md).
#include "cli/commands.h"

namespace bulwark::cli {
namespace {

struct ReportArgs {
  std::string message;
  std::string reason;
  std::uint32_t context = 0;
  std::string comment;
};

int run_report(const ReportArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto receipt = (*session)->client->report_message(args.message, args.reason, args.comment, args.context);
  if (!receipt) return out.error(receipt.error());
  const std::string revealed = std::to_string(receipt->messages) + " message" + (receipt->messages == 1 ? "" : "s");
  out.emit({{"type", "reported"}, {"message", args.message}, {"case", receipt->case_id},
            {"category", args.reason}, {"revealed_messages", receipt->messages}},
           "Reported as case " + std::to_string(receipt->case_id) + ": the server verified who sent it; " +
               revealed + " revealed to the moderators, nothing else of the chat.");
  return exit_ok;
}

}  // namespace

void add_report_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand(
      "report", "report a received message as abuse, with proof of who sent it (reveals only the reported messages)");
  report->add_option("--message", args->message, "the message's id, as `receive` shows it")->required();
  report->add_option("--reason", args->reason, "violence, drugs, csam, hate, terrorism, spam or other")
      ->required()
      ->check(CLI::IsMember({"violence", "drugs", "csam", "hate", "terrorism", "spam", "other"}));
  report->add_option("--context", args->context, "also reveal up to N of the sender's messages just before it (0-10)")
      ->check(CLI::Range(0, 10));
  report->add_option("-m,--comment", args->comment, "a note for the moderators (at most 1,000 bytes)");
  commands.push_back({report, [args](const GlobalOptions& o, const Output& out) { return run_report(*args, o, out); }});
}

}  // namespace bulwark::cli
