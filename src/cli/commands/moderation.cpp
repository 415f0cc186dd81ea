// `bulwark channel report HANDLE [SEQ] --category C [-m COMMENT]`, `bulwark moderation` (the
// moderation decisions affecting this account, each moderator's signature checked) and
// `bulwark appeal CASE -m TEXT` (docs/MODERATION.md).
#include "cli/commands.h"
#include "cli/render.h"
#include "client/moderation.h"

namespace bulwark::cli {
namespace {

struct ReportArgs {
  std::string handle;
  std::uint64_t seq = 0;
  std::string category;
  std::string comment;
};

struct AppealArgs {
  std::uint64_t case_id = 0;
  std::string text;
};

int run_report(const ReportArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto receipt = (*session)->client->moderation().report(args.handle, args.seq, args.category, args.comment);
  if (!receipt) return out.error(receipt.error());
  const std::string what = args.seq == 0 ? "@" + args.handle : "@" + args.handle + " #" + std::to_string(args.seq);
  out.emit({{"type", "moderation_report"}, {"case", receipt->case_id}, {"counted", receipt->counted}},
           receipt->counted ? "Reported " + what + " (case " + std::to_string(receipt->case_id) + ")."
                            : "You had already reported " + what + " (case " +
                                  std::to_string(receipt->case_id) + ").");
  return exit_ok;
}

std::string notice_text(const client::ModerationNoticeView& notice) {
  std::string where = notice.channel_handle.empty() ? "" : "@" + notice.channel_handle;
  if (notice.seq != 0) where += " #" + std::to_string(notice.seq);
  if (where.empty()) where = "your account";
  std::string text = "case " + std::to_string(notice.case_id) + ": " + notice.action + " of " +
                     where + " (" + notice.category + ") - " + notice.reason;
  if (!notice.moderator.empty()) text += " [by " + notice.moderator + (notice.signed_ok ? ", signed]" : "]");
  if (!notice.problem.empty()) text += " !! " + notice.problem;
  if (notice.appealable)
    text += "\n  appeal with: bulwark appeal " + std::to_string(notice.case_id) + " -m TEXT";
  return text;
}

int run_notices(const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto notices = (*session)->client->moderation().notices();
  if (!notices) return out.error(notices.error());
  bool problems = false;
  for (const client::ModerationNoticeView& notice : *notices) {
    problems = problems || !notice.problem.empty();
    out.emit(moderation_notice_json(notice), notice_text(notice));
  }
  if (notices->empty()) out.emit({{"type", "moderation_notices"}, {"count", 0}}, "No moderation decisions affect you.");
  return problems ? exit_untrusted : exit_ok;
}

int run_appeal(const AppealArgs& args, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto done = (*session)->client->moderation().appeal(args.case_id, args.text);
  if (!done) return out.error(done.error());
  out.emit({{"type", "moderation_appeal"}, {"case", args.case_id}},
           "Appealed case " + std::to_string(args.case_id) +
               "; a different moderator will decide it (see `bulwark moderation`).");
  return exit_ok;
}

}  // namespace

int run_moderation_notices(const GlobalOptions& options, const Output& out) {
  return run_notices(options, out);
}

void add_moderation_commands(CLI::App& app, CLI::App& channel, Commands& commands) {
  auto report = std::make_shared<ReportArgs>();
  CLI::App* report_app = channel.add_subcommand("report", "report a channel's post (or the channel) to the moderators");
  report_app->add_option("handle", report->handle, "the channel's handle")->required();
  report_app->add_option("seq", report->seq, "the post's number (omit to report the channel)");
  report_app->add_option("-c,--category", report->category,
                         "violence, drugs, csam, hate, terrorism, spam or other")->required();
  report_app->add_option("-m,--message", report->comment, "an optional comment (at most 1000 bytes)");
  commands.push_back({report_app, [report](const GlobalOptions& o, const Output& out) { return run_report(*report, o, out); }});

  CLI::App* notices_app = app.add_subcommand("moderation", "the moderation decisions affecting your channels, posts or account");
  commands.push_back({notices_app, [](const GlobalOptions& o, const Output& out) { return run_notices(o, out); }});

  auto appeal = std::make_shared<AppealArgs>();
  CLI::App* appeal_app = app.add_subcommand("appeal", "appeal a moderation decision (once; a different moderator decides)");
  appeal_app->add_option("case", appeal->case_id, "the case number")->required();
  appeal_app->add_option("-m,--message", appeal->text, "why the decision is wrong (at most 2000 bytes)")->required();
  commands.push_back({appeal_app, [appeal](const GlobalOptions& o, const Output& out) { return run_appeal(*appeal, o, out); }});
}

}  // namespace bulwark::cli
