// A recipient's report of abuse in an encrypted chat, and the server's verification of it
// (docs/FRANKING.md). The reporter reveals only the reported message and, if it chooses, a few
// of the same sender's messages just before it - each with its content, franking key, tag and
// the server's stamp. Nothing else of the conversation leaves the reporter's device.
//
// The server accepts a report only if every message opens its tag (the content is what was
// sent), every stamp's MAC is the server's own for that tag from that sender to the reporter
// (the batch signature is for recipients; the server needs only its MAC), and -
// with context - each message's `previous` is the tag of the one before it, so their order and
// that none is missing in between are proven. A report failing any check is refused (and
// counted by the caller), never shown to moderators as genuine.
//
// Wire form (all integers big-endian):
//   u8 version (1) | u8 count (1-11) | count x message
// message:
//   u8 len sender | sender | u8 len conversation | conversation | u8 len message id |
//   message id | u32 len content | content | 32 franking key | 32 previous tag | 32 tag |
//   stamp (stamp.h, 96-352 bytes)
// Messages oldest first; the last is the one reported.
#pragma once

#include <cstddef>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "franking/stamp.h"
#include "franking/tag.h"

namespace bulwark::franking {

// The reported message and at most 10 before it.
inline constexpr std::size_t max_report_messages = 11;
// The largest encoded report: a report is read whole before it is checked.
inline constexpr std::size_t max_report_bytes = 1024 * 1024;

struct ReportedMessage {
  Bytes sender;
  Bytes conversation;
  Bytes message_id;
  Bytes content;
  FrankingKey key{};
  FrankingTag previous{};
  FrankingTag tag{};
  Stamp stamp;
  friend bool operator==(const ReportedMessage&, const ReportedMessage&) = default;
};

struct Report {
  std::vector<ReportedMessage> messages;  // oldest first; the last is the reported one
  friend bool operator==(const Report&, const Report&) = default;
};

// Errc::invalid_argument for an empty report or one over max_report_messages;
// Errc::capacity_exceeded over max_report_bytes.
[[nodiscard]] Result<Bytes> encode_report(const Report& report);
// Strict: every length within its bound and the input, nothing after the last message.
[[nodiscard]] Result<Report> decode_report(ByteView bytes);

// Verifies `report` as sent to `reporter` (the reporting account, as the server authenticated
// it). Errc::invalid_argument: messages from several senders or conversations, or not
// consecutive; Errc::auth_failed: a message does not open its tag, or a stamp does not match
// it (altered text, another sender or recipient, another time); Errc::not_found: a stamp's
// epoch key was destroyed, so the message can no longer be proven.
[[nodiscard]] Result<void> verify_report(const StampingKeys& keys, ByteView reporter,
                                         const Report& report);

}  // namespace bulwark::franking
