// Account ids as text: a 16-byte account id is written as a lowercase RFC 9562 UUID string
// (8-4-4-4-12 hex digits), which is the ProtocolAddress::name of every one of the account's
// devices. The client stores account ids as bytes and names protocol addresses with this text,
// so the two mappings below are the only place the two forms meet.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/result.h"
#include "protocol/address.h"

namespace bulwark::client {

inline constexpr std::size_t uuid_bytes = 16;
inline constexpr std::size_t uuid_text_chars = 36;

// "00112233-4455-6677-8899-aabbccddeeff"; Errc::invalid_length unless 16 bytes.
[[nodiscard]] Result<std::string> format_uuid(ByteView bytes);
// Either case of hex digits, dashes exactly at 8-4-4-4-12; Errc::invalid_encoding otherwise.
[[nodiscard]] Result<Bytes> parse_uuid(std::string_view text);

// The protocol address of one device of an account.
[[nodiscard]] Result<protocol::ProtocolAddress> protocol_address(ByteView account_id,
                                                                 DeviceId device);

}  // namespace bulwark::client
