#include "franking/report.h"

#include <string>

#include "common/reader.h"
#include "common/writer.h"

namespace bulwark::franking {
namespace {

constexpr std::uint8_t report_version = 1;

Result<Bytes> read_short(Reader& reader) {
  const std::uint8_t size = BULWARK_TRY(reader.u8());
  if (size == 0 || size > max_id_bytes)
    return fail(Errc::invalid_length, "franking report: an id must be 1-64 bytes");
  const ByteView id = BULWARK_TRY(reader.bytes(size));
  return to_bytes(id);
}

Result<ReportedMessage> read_message(Reader& reader) {
  ReportedMessage message;
  message.sender = BULWARK_TRY(read_short(reader));
  message.conversation = BULWARK_TRY(read_short(reader));
  message.message_id = BULWARK_TRY(read_short(reader));
  const std::uint32_t content_size = BULWARK_TRY(reader.u32_be());
  if (content_size > max_content_bytes)
    return fail(Errc::invalid_length, "franking report: content over 256 KiB");
  const ByteView content = BULWARK_TRY(reader.bytes(content_size));
  message.content = to_bytes(content);
  message.key = BULWARK_TRY(reader.array<key_bytes>());
  message.previous = BULWARK_TRY(reader.array<tag_bytes>());
  message.tag = BULWARK_TRY(reader.array<tag_bytes>());
  Reader ahead = reader;  // the stamp's length is known once it is decoded
  std::size_t stamp_size = 0;
  message.stamp = BULWARK_TRY(decode_stamp_prefix(ahead.rest(), stamp_size));
  BULWARK_TRY(reader.bytes(stamp_size));
  return message;
}

Franked franked(const ReportedMessage& message) {
  return Franked{message.sender, message.conversation, message.message_id, message.content,
                 message.previous};
}

std::string which(std::size_t index, std::size_t count) {
  return index + 1 == count ? std::string("the reported message")
                            : "context message " + std::to_string(index + 1);
}

}  // namespace

Result<Bytes> encode_report(const Report& report) {
  if (report.messages.empty() || report.messages.size() > max_report_messages)
    return fail(Errc::invalid_argument, "franking report: 1-11 messages");
  Writer writer(max_report_bytes);
  writer.u8(report_version);
  writer.u8(static_cast<std::uint8_t>(report.messages.size()));
  for (const ReportedMessage& message : report.messages) {
    for (const Bytes* id : {&message.sender, &message.conversation, &message.message_id}) {
      if (id->empty() || id->size() > max_id_bytes)
        return fail(Errc::invalid_length, "franking report: an id must be 1-64 bytes");
      writer.u8(static_cast<std::uint8_t>(id->size()));
      writer.bytes(*id);
    }
    if (message.content.size() > max_content_bytes)
      return fail(Errc::invalid_length, "franking report: content over 256 KiB");
    writer.u32_be(static_cast<std::uint32_t>(message.content.size()));
    writer.bytes(message.content);
    writer.bytes(message.key);
    writer.bytes(message.previous);
    writer.bytes(message.tag);
    // Never encode what decode_report refuses (encode_stamp writes the depth as one byte).
    if (!within_its_batch(message.stamp))
      return fail(Errc::invalid_argument, "franking report: a stamp's index is outside its batch");
    writer.bytes(encode_stamp(message.stamp));
  }
  return std::move(writer).finish();
}

Result<Report> decode_report(ByteView bytes) {
  if (bytes.size() > max_report_bytes)
    return fail(Errc::capacity_exceeded, "franking report: over 1 MiB");
  Reader reader(bytes);
  if (BULWARK_TRY(reader.u8()) != report_version)
    return fail(Errc::invalid_encoding, "franking report: unknown version");
  const std::uint8_t count = BULWARK_TRY(reader.u8());
  if (count == 0 || count > max_report_messages)
    return fail(Errc::invalid_encoding, "franking report: 1-11 messages");
  Report report;
  report.messages.reserve(count);
  for (std::uint8_t i = 0; i < count; ++i) report.messages.push_back(BULWARK_TRY(read_message(reader)));
  BULWARK_TRY(reader.expect_end());
  return report;
}

Result<void> verify_report(const StampingKeys& keys, ByteView reporter, const Report& report) {
  const std::size_t count = report.messages.size();
  if (count == 0 || count > max_report_messages)
    return fail(Errc::invalid_argument, "franking report: 1-11 messages");
  const ReportedMessage& reported = report.messages.back();
  for (std::size_t i = 0; i < count; ++i) {
    const ReportedMessage& message = report.messages[i];
    if (message.sender != reported.sender || message.conversation != reported.conversation)
      return fail(Errc::invalid_argument,
                  "franking report: context must come from the reported sender's conversation");
    if (i > 0 && message.previous != report.messages[i - 1].tag)
      return fail(Errc::invalid_argument,
                  "franking report: " + which(i, count) + " does not follow the one before it");
    if (!opens(message.tag, message.key, franked(message)))
      return fail(Errc::auth_failed,
                  "franking report: " + which(i, count) + " does not open its franking tag");
    auto stamped = keys.verify(message.stamp, message.tag, message.sender, reporter);
    if (!stamped) {
      return fail(stamped.error().code,
                  "franking report: " + which(i, count) + ": " + stamped.error().context);
    }
  }
  return {};
}

}  // namespace bulwark::franking
