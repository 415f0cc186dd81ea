// The messages nodes exchange over NATS (docs/OPERATIONS.md "Cluster: the bus"): a small
// versioned binary format, big-endian, every length bounded. NATS is the operator's own
// network, but a message is still decoded defensively: anything malformed is an error (the bus
// drops and counts it), never a crash or an unbounded allocation.
//
//   struct {
//     uint8 version = 1;
//     uint8 kind;                       // BusKind
//     select (kind) {
//       case envelope:                  // a committed 1:1 envelope for one device
//         opaque id[16]; DeviceAddress destination; opaque source_account[16];
//         uint32 source_device; uint32 type; opaque content<1..2^32-1>;
//         int64 server_timestamp_ms; int64 client_timestamp_ms; int64 expires_at_ms;
//         uint64 seq; opaque franking_tag<0..2^32-1>; opaque group_id<0..2^32-1>;
//         uint64 group_epoch;
//       case shared_envelope:           // one device's copy of a group message
//         DeviceAddress device; uint64 seq; opaque id[16]; opaque frame<1..2^32-1>;
//       case channel_frame:             // a channel's new entry, as its Push frame
//         opaque channel[16]; opaque frame<1..2^32-1>;
//       case displace:                  // `device` connected to node `node_id`
//         DeviceAddress device; opaque node_id<1..2^32-1>;
//       case device_control:            // a request for wherever `device` is connected
//         DeviceAddress device; uint8 op;  // BusControl
//         opaque channel[16];             // join_channel, leave_channel; zeros otherwise
//     };
//   } BusMessage;                       // nothing may follow
//   struct { opaque account[16]; uint32 device; } DeviceAddress;
//
// Every opaque<> field is at most max_bus_field_bytes; a whole message at most
// max_bus_message_bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "api/limits.h"
#include "common/bytes.h"
#include "common/result.h"
#include "store/records.h"

namespace bulwark::server {

inline constexpr std::uint8_t bus_wire_version = 1;
// A field holds at most one api frame; a message adds fixed-size fields around it.
inline constexpr std::size_t max_bus_field_bytes = api::max_frame_bytes;
inline constexpr std::size_t max_bus_message_bytes = api::max_frame_bytes + 1024;
inline constexpr std::size_t max_node_id_bytes = 128;

enum class BusKind : std::uint8_t {
  envelope = 1,
  shared_envelope = 2,
  channel_frame = 3,
  displace = 4,
  device_control = 5,
};

enum class BusControl : std::uint8_t {
  close_replaced = 1,  // its account was registered again: close the connection
  join_channel = 2,    // its account subscribed to `channel`
  leave_channel = 3,   // its account unsubscribed
};

struct BusSharedEnvelope {
  store::DeviceAddress device;
  std::uint64_t seq = 0;
  store::EnvelopeId id;
  std::string frame;
};

struct BusChannelFrame {
  store::ChannelId channel;
  std::string frame;
};

struct BusDisplace {
  store::DeviceAddress device;
  std::string node_id;
};

struct BusDeviceControl {
  store::DeviceAddress device;
  BusControl op = BusControl::close_replaced;
  store::ChannelId channel;
};

using BusMessage = std::variant<store::Envelope, BusSharedEnvelope, BusChannelFrame, BusDisplace,
                                BusDeviceControl>;

[[nodiscard]] Result<Bytes> encode_bus_envelope(const store::Envelope& envelope);
[[nodiscard]] Result<Bytes> encode_bus_shared(const store::DeviceAddress& device, std::uint64_t seq,
                                              const store::EnvelopeId& id, std::string_view frame);
[[nodiscard]] Result<Bytes> encode_bus_channel_frame(const store::ChannelId& channel,
                                                     std::string_view frame);
// Requires 1 <= node_id.size() <= max_node_id_bytes.
[[nodiscard]] Result<Bytes> encode_bus_displace(const store::DeviceAddress& device,
                                                std::string_view node_id);

[[nodiscard]] Result<Bytes> encode_bus_control(const BusDeviceControl& control);

// Errc::invalid_message (or truncated / trailing_data) for anything but one well-formed
// message of a known version and kind.
[[nodiscard]] Result<BusMessage> decode_bus_message(ByteView bytes);

}  // namespace bulwark::server
