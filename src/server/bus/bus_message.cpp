#include "server/bus/bus_message.h"

#include <algorithm>
#include <limits>

#include "common/reader.h"
#include "common/writer.h"
#include "store/envelope_codec.h"

namespace bulwark::server {
namespace {

ByteView view_of(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

void header(Writer& out, BusKind kind) {
  out.u8(bus_wire_version);
  out.u8(static_cast<std::uint8_t>(kind));
}

void opaque(Writer& out, ByteView value) {
  // Over the bound, the writer fails as a whole (max_bus_message_bytes < 2 fields' worth).
  out.u32_be(static_cast<std::uint32_t>(
      std::min<std::size_t>(value.size(), std::numeric_limits<std::uint32_t>::max())));
  out.bytes(value);
}

Result<ByteView> read_opaque(Reader& in, std::size_t min_bytes) {
  const std::uint32_t length = BULWARK_TRY(in.u32_be());
  if (length < min_bytes || length > max_bus_field_bytes)
    return fail(Errc::invalid_message, "bus: a field's length is out of range");
  return in.bytes(length);
}

std::string text_of(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Result<BusSharedEnvelope> read_shared(Reader& in) {
  BusSharedEnvelope shared;
  shared.device = BULWARK_TRY(store::read_device_address(in));
  shared.seq = BULWARK_TRY(in.u64_be());
  shared.id.bytes = BULWARK_TRY(in.array<16>());
  const ByteView frame = BULWARK_TRY(read_opaque(in, 1));
  shared.frame = text_of(frame);
  return shared;
}

Result<BusChannelFrame> read_channel_frame(Reader& in) {
  BusChannelFrame post;
  post.channel.bytes = BULWARK_TRY(in.array<16>());
  const ByteView frame = BULWARK_TRY(read_opaque(in, 1));
  post.frame = text_of(frame);
  return post;
}

Result<BusDisplace> read_displace(Reader& in) {
  BusDisplace displace;
  displace.device = BULWARK_TRY(store::read_device_address(in));
  const ByteView node = BULWARK_TRY(read_opaque(in, 1));
  if (node.size() > max_node_id_bytes)
    return fail(Errc::invalid_message, "bus: a node id is longer than 128 bytes");
  displace.node_id = text_of(node);
  return displace;
}

Result<BusDeviceControl> read_control(Reader& in) {
  BusDeviceControl control;
  control.device = BULWARK_TRY(store::read_device_address(in));
  const std::uint8_t op = BULWARK_TRY(in.u8());
  if (op < 1 || op > 3) return fail(Errc::invalid_message, "bus: unknown device control");
  control.op = static_cast<BusControl>(op);
  control.channel.bytes = BULWARK_TRY(in.array<16>());
  return control;
}

Result<BusMessage> read_body(Reader& in, std::uint8_t kind) {
  switch (static_cast<BusKind>(kind)) {
    case BusKind::envelope: {
      store::Envelope envelope = BULWARK_TRY(store::read_envelope(in, max_bus_field_bytes));
      return envelope;
    }
    case BusKind::shared_envelope: {
      BusSharedEnvelope shared = BULWARK_TRY(read_shared(in));
      return shared;
    }
    case BusKind::channel_frame: {
      BusChannelFrame post = BULWARK_TRY(read_channel_frame(in));
      return post;
    }
    case BusKind::displace: {
      BusDisplace displace = BULWARK_TRY(read_displace(in));
      return displace;
    }
    case BusKind::device_control: {
      BusDeviceControl control = BULWARK_TRY(read_control(in));
      return control;
    }
  }
  return fail(Errc::invalid_message, "bus: unknown message kind");
}

}  // namespace

Result<Bytes> encode_bus_envelope(const store::Envelope& envelope) {
  Writer out(max_bus_message_bytes);
  header(out, BusKind::envelope);
  store::write_envelope(out, envelope);
  return std::move(out).finish();
}

Result<Bytes> encode_bus_shared(const store::DeviceAddress& device, std::uint64_t seq,
                                const store::EnvelopeId& id, std::string_view frame) {
  Writer out(max_bus_message_bytes);
  header(out, BusKind::shared_envelope);
  store::write_device_address(out, device);
  out.u64_be(seq);
  out.bytes(id.bytes);
  opaque(out, view_of(frame));
  return std::move(out).finish();
}

Result<Bytes> encode_bus_channel_frame(const store::ChannelId& channel, std::string_view frame) {
  Writer out(max_bus_message_bytes);
  header(out, BusKind::channel_frame);
  out.bytes(channel.bytes);
  opaque(out, view_of(frame));
  return std::move(out).finish();
}

Result<Bytes> encode_bus_displace(const store::DeviceAddress& device, std::string_view node_id) {
  if (node_id.empty() || node_id.size() > max_node_id_bytes)
    return fail(Errc::invalid_argument, "bus: a node id is 1-128 bytes");
  Writer out(max_bus_message_bytes);
  header(out, BusKind::displace);
  store::write_device_address(out, device);
  opaque(out, view_of(node_id));
  return std::move(out).finish();
}

Result<Bytes> encode_bus_control(const BusDeviceControl& control) {
  Writer out(max_bus_message_bytes);
  header(out, BusKind::device_control);
  store::write_device_address(out, control.device);
  out.u8(static_cast<std::uint8_t>(control.op));
  out.bytes(control.channel.bytes);
  return std::move(out).finish();
}

Result<BusMessage> decode_bus_message(ByteView bytes) {
  if (bytes.size() > max_bus_message_bytes)
    return fail(Errc::invalid_message, "bus: message too large");
  Reader in(bytes);
  const std::uint8_t version = BULWARK_TRY(in.u8());
  if (version != bus_wire_version) return fail(Errc::invalid_message, "bus: unknown version");
  const std::uint8_t kind = BULWARK_TRY(in.u8());
  BusMessage message = BULWARK_TRY(read_body(in, kind));
  BULWARK_TRY(in.expect_end());
  return message;
}

}  // namespace bulwark::server
