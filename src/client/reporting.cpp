// Reporting abuse in an encrypted chat (docs/FRANKING.md): the reported message and, on
// request, the same sender's messages before it - found by walking the sender's franking chain
// back through `previous`, so the server can check their order - with their openings and the
// server's stamps. Nothing else of the conversation leaves the device.
#include <algorithm>

#include "client/detail/client_impl.h"
#include "client/detail/franking_ops.h"
#include "common/bytes.h"
#include "franking/report.h"
#include "moderation/category.h"

namespace bulwark::client {
namespace {

constexpr std::uint32_t max_context = franking::max_report_messages - 1;
constexpr std::size_t max_comment_bytes = 1000;

Result<franking::ReportedMessage> reported(const LocalAccount& self, const InboxMessage& message,
                                           const InboxFranking& opening) {
  franking::ReportedMessage out;
  out.sender = message.sender_account;
  out.conversation = detail::conversation_id(message.sender_account, self.account_id);
  out.message_id = opening.message_id;
  out.content = to_bytes(as_bytes(message.body));
  std::ranges::copy(opening.franking_key, out.key.begin());
  std::ranges::copy(opening.previous, out.previous.begin());
  std::ranges::copy(opening.tag, out.tag.begin());
  out.stamp = BULWARK_TRY(franking::decode_stamp(opening.stamp));
  return out;
}

}  // namespace

Result<MessageReportReceipt> Client::report_message(std::string_view message_id, std::string_view category,
                                             std::string_view comment, std::uint32_t context) {
  Impl& impl = *impl_;
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  if (context > max_context)
    return fail(Errc::invalid_argument, "a report's context is at most " + std::to_string(max_context) + " messages");
  if (comment.size() > max_comment_bytes)
    return fail(Errc::invalid_argument, "a report's comment is at most 1,000 bytes");
  const auto parsed_category = moderation::category_from_name(category);
  if (!parsed_category)
    return fail(Errc::invalid_argument, "unknown category '" + std::string(category) +
                                            "': use violence, drugs, csam, hate, terrorism, spam or other");
  auto envelope_id = from_hex(message_id);
  if (!envelope_id || envelope_id->size() != 16)
    return fail(Errc::invalid_argument, "a message id is the 32 hex characters `receive` shows");
  auto message = BULWARK_TRY(impl.store->inbox_message(*envelope_id));
  if (!message) return fail(Errc::not_found, "no received message " + std::string(message_id) + " on this device");
  auto opening = BULWARK_TRY(impl.store->inbox_franking(message->seq));
  if (!opening) return fail(Errc::not_found, "message " + std::string(message_id) + " has no franking proof: it cannot be reported");

  std::vector<franking::ReportedMessage> newest_first;
  newest_first.push_back(BULWARK_TRY(reported(*self, *message, *opening)));
  // The context: the sender's chain, back through `previous`, while this device holds it.
  const Bytes zeros(franking::tag_bytes, std::byte{0});
  while (newest_first.size() <= context) {
    const franking::FrankingTag& previous = newest_first.back().previous;
    if (std::ranges::equal(previous, zeros)) break;  // the sender's first message
    auto earlier = BULWARK_TRY(impl.store->inbox_franking_by_tag(message->sender_account, previous));
    if (!earlier) break;
    auto earlier_message = BULWARK_TRY(impl.store->inbox_message_at(earlier->seq));
    if (!earlier_message) break;
    newest_first.push_back(BULWARK_TRY(reported(*self, *earlier_message, *earlier)));
  }
  franking::Report report;
  report.messages.assign(newest_first.rbegin(), newest_first.rend());
  const Bytes encoded = BULWARK_TRY(franking::encode_report(report));

  api::Request request;
  api::ReportMessage* out = request.mutable_report_message();
  out->set_report(encoded.data(), encoded.size());
  out->set_category(static_cast<api::ReportCategory>(*parsed_category));
  out->set_comment(std::string(comment));
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  return MessageReportReceipt{response.report_message().case_id(), report.messages.size()};
}

}  // namespace bulwark::client
