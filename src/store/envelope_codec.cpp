#include "store/envelope_codec.h"

#include <algorithm>
#include <limits>

namespace bulwark::store {
namespace {

void opaque(Writer& out, ByteView value) {
  // A field beyond u32 cannot fit any writer's bound, so the writer fails as a whole.
  out.u32_be(static_cast<std::uint32_t>(
      std::min<std::size_t>(value.size(), std::numeric_limits<std::uint32_t>::max())));
  out.bytes(value);
}

Result<ByteView> read_opaque(Reader& in, std::size_t min_bytes, std::size_t max_bytes) {
  const std::uint32_t length = BULWARK_TRY(in.u32_be());
  if (length < min_bytes || length > max_bytes)
    return fail(Errc::invalid_message, "envelope: a field's length is out of range");
  return in.bytes(length);
}

}  // namespace

void write_device_address(Writer& out, const DeviceAddress& device) {
  out.bytes(device.account.bytes);
  out.u32_be(device.device.value());
}

Result<DeviceAddress> read_device_address(Reader& in) {
  DeviceAddress device;
  device.account.bytes = BULWARK_TRY(in.array<16>());
  const std::uint32_t id = BULWARK_TRY(in.u32_be());
  device.device = DeviceId(id);
  return device;
}

void write_envelope(Writer& out, const Envelope& envelope) {
  out.bytes(envelope.id.bytes);
  write_device_address(out, envelope.destination);
  out.bytes(envelope.source_account.bytes);
  out.u32_be(envelope.source_device.value());
  out.u32_be(envelope.type);
  opaque(out, envelope.content);
  out.u64_be(static_cast<std::uint64_t>(envelope.server_timestamp_ms));
  out.u64_be(static_cast<std::uint64_t>(envelope.client_timestamp_ms));
  out.u64_be(static_cast<std::uint64_t>(envelope.expires_at_ms));
  out.u64_be(envelope.seq);
  opaque(out, envelope.franking_tag);
  opaque(out, envelope.group_id);
  out.u64_be(envelope.group_epoch);
}

Result<Envelope> read_envelope(Reader& in, std::size_t max_field_bytes) {
  Envelope envelope;
  envelope.id.bytes = BULWARK_TRY(in.array<16>());
  envelope.destination = BULWARK_TRY(read_device_address(in));
  envelope.source_account.bytes = BULWARK_TRY(in.array<16>());
  const std::uint32_t source_device = BULWARK_TRY(in.u32_be());
  envelope.source_device = DeviceId(source_device);
  envelope.type = BULWARK_TRY(in.u32_be());
  const ByteView content = BULWARK_TRY(read_opaque(in, 1, max_field_bytes));
  envelope.content = to_bytes(content);
  const std::uint64_t server_time = BULWARK_TRY(in.u64_be());
  const std::uint64_t client_time = BULWARK_TRY(in.u64_be());
  const std::uint64_t expires = BULWARK_TRY(in.u64_be());
  envelope.server_timestamp_ms = static_cast<std::int64_t>(server_time);
  envelope.client_timestamp_ms = static_cast<std::int64_t>(client_time);
  envelope.expires_at_ms = static_cast<std::int64_t>(expires);
  envelope.seq = BULWARK_TRY(in.u64_be());
  const ByteView tag = BULWARK_TRY(read_opaque(in, 0, max_field_bytes));
  envelope.franking_tag = to_bytes(tag);
  const ByteView group = BULWARK_TRY(read_opaque(in, 0, max_field_bytes));
  envelope.group_id = to_bytes(group);
  envelope.group_epoch = BULWARK_TRY(in.u64_be());
  return envelope;
}

}  // namespace bulwark::store
