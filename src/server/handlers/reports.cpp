// Abuse reports from encrypted chats (docs/FRANKING.md): the server checks the report's proof -
// every message opens its franking tag, every stamp is this server's for that sender, this
// reporter and that time, the context is the sender's unbroken chain - before any moderator
// sees it. A report that fails is refused and counted, never queued.
#include <algorithm>
#include <array>
#include <string_view>

#include "api/proto/api.pb.h"
#include "franking/report.h"
#include "server/device_session.h"
#include "server/franking_keys.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"

namespace bulwark::server {
namespace {

constexpr std::size_t max_comment_bytes = 1000;
constexpr std::array<std::string_view, 7> categories{"violence", "drugs", "csam", "hate",
                                                     "terrorism", "spam", "other"};

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

}  // namespace

void handle_report_message(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::ReportMessage& in = request.report_message();
  if (std::find(categories.begin(), categories.end(), in.category()) == categories.end())
    return session.respond_status(id, api::BAD_REQUEST,
                                  "category: violence, drugs, csam, hate, terrorism, spam or other");
  if (in.comment().size() > max_comment_bytes)
    return session.respond_status(id, api::TOO_LARGE, "a report's comment is at most 1,000 bytes");
  if (in.report().size() > franking::max_report_bytes)
    return session.respond_status(id, api::TOO_LARGE, "a report is at most 1 MiB");
  auto report = franking::decode_report(as_bytes(in.report()));
  if (!report) {
    context.metrics.message_reports_malformed++;
    return session.respond_status(id, api::BAD_REQUEST, "the report does not decode: " + report.error().describe());
  }
  const store::DeviceAddress reporter = *session.device();
  if (auto refused = refusal(context, reporter.account.bytes, *report); refused)
    return session.respond_status(id, api::REPORT_REFUSED, *refused);
  context.metrics.message_reports_verified++;
  api::Response response = ok_response(id);
  response.mutable_report_message()->set_case_id(0);
  session.respond(response);
}

}  // namespace bulwark::server
