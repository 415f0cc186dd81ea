#include "protocol/mls/messages/mls_message.h"

#include <utility>

#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

template <class Body, class Decode>
Result<MLSMessage> read_body(TlsReader& r, Decode&& decode) {
  Body body = BULWARK_TRY(decode(r));
  return MLSMessage{ProtocolVersion::mls10, std::move(body)};
}

}  // namespace

WireFormat wire_format(const MLSMessage& v) noexcept {
  return static_cast<WireFormat>(v.body.index() + 1);
}

void encode(TlsWriter& w, const MLSMessage& v) {
  if (v.version != ProtocolVersion::mls10) {
    w.reject();
    return;
  }
  encode(w, v.version);
  encode(w, wire_format(v));
  std::visit([&w](const auto& body) { encode(w, body); }, v.body);
}

Result<MLSMessage> decode_mls_message(TlsReader& r) {
  const ProtocolVersion version = BULWARK_TRY(decode_protocol_version(r));
  if (version != ProtocolVersion::mls10) {
    return fail(Errc::invalid_message, "MLSMessage of a protocol version other than mls10");
  }
  const WireFormat format = BULWARK_TRY(decode_wire_format(r));
  switch (format) {
    case WireFormat::mls_public_message:
      return read_body<PublicMessage>(r, decode_public_message);
    case WireFormat::mls_private_message:
      return read_body<PrivateMessage>(r, decode_private_message);
    case WireFormat::mls_welcome:
      return read_body<Welcome>(r, decode_welcome);
    case WireFormat::mls_group_info:
      return read_body<GroupInfo>(r, decode_group_info);
    case WireFormat::mls_key_package:
      break;
  }
  return read_body<KeyPackage>(r, decode_key_package);
}

Result<Bytes> serialize(const MLSMessage& v) { return serialize_with_encode(v); }

Result<MLSMessage> deserialize_mls_message(ByteView input) {
  return decode_all(input, decode_mls_message);
}

}  // namespace bulwark::protocol::mls
