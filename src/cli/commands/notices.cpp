// `bulwark notices lawful`: the disclosures of your data under lawful orders whose
// non-disclosure periods have ended, each checked against the disclosure log before it is
// shown as fact (client/lawful_notices.h, docs/LAWFUL.md); and `bulwark notices moderation`,
// the same as `bulwark moderation`.
#include <algorithm>
#include <chrono>

#include "cli/commands.h"
#include "cli/render.h"
#include "client/lawful_notices.h"
#include "lawful/category.h"
#include "lawful/utc_time.h"

namespace bulwark::cli {
namespace {

std::string disclosed_data(const std::vector<std::string>& categories) {
  const auto has = [&categories](std::string_view name) {
    return std::find(categories.begin(), categories.end(), name) != categories.end();
  };
  const bool phone = has(lawful::phone_number_category);
  const bool ips = has(lawful::ip_addresses_category);
  if (phone && ips && categories.size() == 2) return "Your phone number and IP addresses were";
  if (phone && categories.size() == 1) return "Your phone number was";
  if (ips && categories.size() == 1) return "Your IP addresses were";
  // Only a claim the client could not check names anything else: say it as the server did.
  std::string names;
  for (const std::string& category : categories) names += (names.empty() ? "" : ", ") + category;
  return "Your data (" + names + ") were";
}

std::string day_of(std::int64_t ms) {
  const lawful::Seconds time{std::chrono::seconds(ms / 1000)};
  return lawful::format_utc_time(time).substr(0, 10);  // YYYY-MM-DD
}

std::string lawful_notice_text(const client::LawfulNoticeView& notice) {
  const std::string statement = disclosed_data(notice.categories) + " disclosed on " +
                                day_of(notice.disclosed_at_ms) + " to " + notice.authority + " (" +
                                notice.jurisdiction + ") under order " + notice.order_id +
                                " (legal basis: " + notice.legal_basis + ").";
  const std::string entry = "Disclosure log entry " + std::to_string(notice.log_index);
  if (!notice.verified)
    return "!! UNVERIFIED NOTICE (" + notice.problem + "): the server claims: " + statement + " " +
           entry + ".";
  if (!notice.proved)
    return statement + " " + entry +
           ", not yet witnessed: run this again later for its proof in the log.";
  if (notice.cosigned_by.empty())
    return statement + " " + entry + ", in the signed log (this device requires no witnesses).";
  return statement + " " + entry + ", witnessed.";
}

int run_lawful_notices(const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto notices = (*session)->client->lawful_notices();
  if (!notices) return out.error(notices.error());
  bool problems = false;
  for (const client::LawfulNoticeView& notice : *notices) {
    problems = problems || !notice.verified;
    out.emit(lawful_notice_json(notice), lawful_notice_text(notice));
  }
  if (notices->empty())
    out.emit({{"type", "lawful_notices"}, {"count", 0}},
             "No disclosure of your data has been made public to you.");
  if (problems)
    out.log("warning: the server sent lawful notices this device could not verify (flagged above)");
  return problems ? exit_untrusted : exit_ok;
}

}  // namespace

void add_notices_commands(CLI::App& app, Commands& commands) {
  CLI::App* notices = app.add_subcommand(
      "notices", "what was done about your account: lawful disclosures, moderation");
  notices->require_subcommand(1);
  CLI::App* lawful = notices->add_subcommand(
      "lawful",
      "disclosures of your data under lawful orders whose non-disclosure period has ended");
  commands.push_back({lawful, [](const GlobalOptions& o, const Output& out) {
                        return run_lawful_notices(o, out);
                      }});
  CLI::App* moderation = notices->add_subcommand(
      "moderation", "the moderation decisions affecting your channels, posts or account");
  commands.push_back({moderation, [](const GlobalOptions& o, const Output& out) {
                        return run_moderation_notices(o, out);
                      }});
}

}  // namespace bulwark::cli
