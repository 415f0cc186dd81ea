// MLSMessage (RFC 9420 §6): the envelope every MLS message travels in.
//
// Only version mls10 is accepted (a different version could lay out everything after it
// differently), and only the five wire formats RFC 9420 defines (the body of any other is
// unreadable).
#pragma once

#include <variant>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/framing.h"
#include "protocol/mls/messages/group_info.h"
#include "protocol/mls/messages/key_package.h"
#include "protocol/mls/messages/private_message.h"
#include "protocol/mls/messages/types.h"
#include "protocol/mls/messages/welcome.h"

namespace bulwark::protocol::mls {

// struct {
//     ProtocolVersion version = mls10;
//     WireFormat wire_format;
//     select (MLSMessage.wire_format) {
//         case mls_public_message:
//             PublicMessage public_message;
//         case mls_private_message:
//             PrivateMessage private_message;
//         case mls_welcome:
//             Welcome welcome;
//         case mls_group_info:
//             GroupInfo group_info;
//         case mls_key_package:
//             KeyPackage key_package;
//     };
// } MLSMessage;
//
// The variant's alternative is the wire format (wire_format(message) names it).
struct MLSMessage {
  ProtocolVersion version = ProtocolVersion::mls10;
  std::variant<PublicMessage, PrivateMessage, Welcome, GroupInfo, KeyPackage> body;

  bool operator==(const MLSMessage&) const = default;
};

[[nodiscard]] WireFormat wire_format(const MLSMessage& v) noexcept;

void encode(TlsWriter& w, const MLSMessage& v);
[[nodiscard]] Result<MLSMessage> decode_mls_message(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const MLSMessage& v);
[[nodiscard]] Result<MLSMessage> deserialize_mls_message(ByteView input);

}  // namespace bulwark::protocol::mls
