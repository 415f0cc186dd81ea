// Abuse reports from encrypted chats (docs/FRANKING.md): the server checks the report's proof -
// every message opens its franking tag, every stamp is this server's for that sender, this
// reporter and that time, the context is the sender's unbroken chain in their conversation -
// before any moderator sees it. A report that fails is refused and counted, never queued; one
// that holds opens a moderation case (docs/MODERATION.md) with the revealed messages' texts.
#include <algorithm>
#include <optional>
#include <string>

#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "franking/report.h"
#include "moderation/category.h"
#include "moderation/signed_action.h"
#include "server/device_session.h"
#include "server/franking_keys.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"
#include "server/web/time_format.h"

namespace bulwark::server {
namespace {

constexpr std::size_t max_comment_bytes = 1000;

// Checks the proof; the answer for a refused report, or nothing when it holds.
std::optional<std::string> refusal(ServerContext& context, ByteView reporter,
                                   const franking::Report& report) {
  const Bytes conversation =
      franking::one_to_one_conversation(report.messages.back().sender, reporter);
  if (report.messages.back().conversation != conversation) {
    context.metrics.message_reports_forged++;
    return "the reported messages are not from your conversation with their sender";
  }
  auto verified = context.franking->verify_report(reporter, report);
  if (verified) return std::nullopt;
  switch (verified.error().code) {
    case Errc::not_found:
      context.metrics.message_reports_expired++;
      return "a reported message is older than the reportable window: it can no longer be proven";
    case Errc::invalid_argument:
      context.metrics.message_reports_forged++;
      return "the reported messages are not one sender's consecutive messages in one conversation";
    default:
      context.metrics.message_reports_forged++;
      return "the report does not prove that its messages were sent to you as they are";
  }
}

// A revealed message's text as moderators read it: the sender chose these bytes, so control
// characters (terminal escapes, line breaks that would fake another message) are shown as
// \xNN, and C1 controls as \u00NN, never passed through.
void append_visible(std::string& out, ByteView text) {
  static constexpr char digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += digits[byte >> 4];
      out += digits[byte & 0xf];
    } else if (byte == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      const auto c1 = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out += digits[c1 >> 4];
      out += digits[c1 & 0xf];
    } else {
      out += static_cast<char>(byte);
    }
  }
}

// What moderators read: each revealed message with the server time its stamp proves, oldest
// first. Nothing else of the report (keys, tags, stamps) is kept.
std::string evidence_text(const franking::Report& report) {
  std::string out = std::to_string(report.messages.size()) +
                    (report.messages.size() == 1 ? " message" : " messages") +
                    ", sender and text proven by message franking, oldest first; the last was reported:\n";
  for (const franking::ReportedMessage& message : report.messages) {
    out += "[" + web::rfc3339_utc(message.stamp.server_time_ms) + "] ";
    append_visible(out, message.content);
    out += "\n";
  }
  return out;
}

}  // namespace

void handle_report_message(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::ReportMessage& in = request.report_message();
  const store::AccountId reporter = session.device()->account;
  auto decision = context.limiters.take(Limit::lookups_per_account, account_text(reporter));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  auto category = moderation::category_from_number(static_cast<std::uint32_t>(in.category()));
  if (!category)
    return session.respond_status(id, api::BAD_REQUEST,
                                  "unknown category: use violence, drugs, csam, hate, terrorism, "
                                  "spam or other");
  if (auto checked = moderation::check_free_text(in.comment(), max_comment_bytes, "the comment"); !checked)
    return respond_error(session, id, checked.error());
  if (in.report().size() > franking::max_report_bytes)
    return session.respond_status(id, api::TOO_LARGE, "a report is at most 1 MiB");
  auto report = franking::decode_report(as_bytes(in.report()));
  if (!report) {
    context.metrics.message_reports_malformed++;
    return session.respond_status(id, api::BAD_REQUEST, "the report does not decode: " + report.error().describe());
  }
  if (report->messages.back().sender.size() != api::account_id_bytes) {
    context.metrics.message_reports_forged++;
    return session.respond_status(id, api::REPORT_REFUSED, "the reported sender is not an account id");
  }
  if (auto refused = refusal(context, reporter.bytes, *report); refused)
    return session.respond_status(id, api::REPORT_REFUSED, *refused);
  context.metrics.message_reports_verified++;

  store::NewMessageCase opened;
  std::copy(report->messages.back().sender.begin(), report->messages.back().sender.end(),
            opened.sender.bytes.begin());
  opened.reporter = reporter;
  opened.category = static_cast<std::uint8_t>(*category);
  opened.comment = in.comment();
  const std::string evidence = evidence_text(*report);
  opened.evidence = to_bytes(as_bytes(evidence));
  opened.message_tag = to_bytes(report->messages.back().tag);
  opened.now_ms = context.now_ms();
  auto outcome = std::make_shared<store::ReportOutcome>();
  session.with_store(id, [opened, outcome](store::Store& store) -> Result<void> {
    *outcome = BULWARK_TRY(store.open_message_case(opened));
    return {};
  }, [&session, id, outcome](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (outcome->new_case) session.context().metrics.moderation_cases++;
    api::Response response = ok_response(id);
    response.mutable_report_message()->set_case_id(outcome->case_id);
    session.respond(response);
  });
}

}  // namespace bulwark::server
