// Byte helpers for the interop driver: standard base64 (RFC 4648 §4, padded) for the line
// protocol, and a minimal protobuf (proto2 wire format) field walker, enough to forge malformed
// Signal messages and to compare scannable fingerprints. Test-only; bytes are std::string.
//
// Signal framing (libsignal rust/protocol/src/protocol.rs, wire.proto):
//   SignalMessage       = version byte ‖ protobuf ‖ 8-byte truncated HMAC
//   PreKeySignalMessage = version byte ‖ protobuf
//     { 5 registration_id varint, 1 pre_key_id varint, 6 signed_pre_key_id varint,
//       7 kyber_pre_key_id varint, 8 kyber_ciphertext bytes, 2 base_key bytes,
//       3 identity_key bytes, 4 message bytes (a whole SignalMessage) }
//   CombinedFingerprints (scannable) = { 1 version varint,
//       2 local_fingerprint { 1 content bytes }, 3 remote_fingerprint { 1 content bytes } }
// Malformed input throws std::invalid_argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::interop {

[[nodiscard]] std::string base64_encode(std::string_view bytes);
// Rejects characters outside the standard alphabet and lengths that are not a multiple of 4.
[[nodiscard]] std::string base64_decode(std::string_view text);

// One top-level field. Only wire types 0 (varint) and 2 (length-delimited) occur in Signal's
// messages; any other type is reported as malformed.
struct ProtoField {
  std::uint32_t number = 0;
  std::uint8_t wire_type = 0;
  std::size_t offset = 0;    // where the field (its key) starts in the message
  std::size_t size = 0;      // the whole field: key, length and payload
  std::uint64_t varint = 0;  // the value, for wire type 0
  std::string_view payload;  // the content, for wire type 2
};

[[nodiscard]] std::vector<ProtoField> proto_fields(std::string_view message);

// The message without the listed fields (all occurrences), the others left byte for byte.
[[nodiscard]] std::string drop_proto_fields(std::string_view message,
                                            const std::vector<std::uint32_t>& numbers);

// The payload of the first length-delimited field `number`; throws if there is none.
[[nodiscard]] std::string_view proto_bytes(std::string_view message, std::uint32_t number);
// The value of the first varint field `number`; throws if there is none.
[[nodiscard]] std::uint64_t proto_varint(std::string_view message, std::uint32_t number);

}  // namespace bulwark::interop
