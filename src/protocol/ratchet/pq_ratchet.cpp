#include "protocol/ratchet/pq_ratchet.h"

#include <cstdint>

namespace bulwark::protocol::ratchet {
namespace {

constexpr std::byte spqr_v1{0x01};
constexpr std::size_t max_varint_bytes = 10;

// LEB128, as SPQR encodes its epoch and index.
Result<std::uint64_t> read_varint(ByteView& in) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < max_varint_bytes && i < in.size(); ++i) {
    auto byte = std::to_integer<std::uint64_t>(in[i]);
    value |= (byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      in = in.subspan(i + 1);
      return value;
    }
  }
  return fail(Errc::invalid_message, "post-quantum ratchet: bad varint");
}

}  // namespace

Result<SecretBytes> PqRatchet::key_for_incoming(ByteView message) const {
  // libsignal reads an empty field as V0 and ignores versions it does not know.
  if (message.empty() || message[0] != spqr_v1) return SecretBytes{};
  ByteView rest = message.subspan(1);
  std::uint64_t epoch = BULWARK_TRY(read_varint(rest));
  std::uint64_t index = BULWARK_TRY(read_varint(rest));
  if (epoch == 0 || rest.empty())
    return fail(Errc::invalid_message, "post-quantum ratchet: malformed message");
  if (epoch == 1 && index == 0) return SecretBytes{};
  return fail(Errc::invalid_message, "post-quantum ratchet: keyed SPQR messages need SPQR (V1)");
}

}  // namespace bulwark::protocol::ratchet
