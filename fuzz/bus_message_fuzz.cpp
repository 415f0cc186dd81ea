// The cluster bus's messages (server/bus/bus_message.h) on hostile input: every message a node
// takes from NATS passes through decode_bus_message first. Oracle: what decodes is canonical,
// so encoding it again gives back exactly the input; nothing crashes or allocates beyond the
// bound, whatever the length fields say.
#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <variant>

#include "fuzz_target.h"
#include "server/bus/bus_message.h"

namespace {

using namespace bulwark;
using namespace bulwark::server;

void check(bool condition) {
  if (!condition) std::abort();
}

Result<Bytes> encode_again(const BusMessage& message) {
  return std::visit(
      [](const auto& value) -> Result<Bytes> {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, store::Envelope>) {
          return encode_bus_envelope(value);
        } else if constexpr (std::is_same_v<T, BusSharedEnvelope>) {
          return encode_bus_shared(value.device, value.seq, value.id, value.frame);
        } else if constexpr (std::is_same_v<T, BusChannelFrame>) {
          return encode_bus_channel_frame(value.channel, value.frame);
        } else if constexpr (std::is_same_v<T, BusDisplace>) {
          return encode_bus_displace(value.device, value.node_id);
        } else {
          return encode_bus_control(value);
        }
      },
      message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  auto decoded = decode_bus_message(input);
  if (!decoded) return 0;
  auto encoded = encode_again(*decoded);
  check(encoded.has_value());
  check(ByteView(*encoded).size() == input.size() &&
        std::equal(encoded->begin(), encoded->end(), input.begin()));
  return 0;
}
