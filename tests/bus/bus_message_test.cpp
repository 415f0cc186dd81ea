// The bus's wire format (server/bus/bus_message.h): every kind round-trips, and anything else
// (another version, an unknown kind, a cut or padded message, a length out of range) is refused.
#include "server/bus/bus_message.h"

#include <gtest/gtest.h>

#include <variant>

namespace bulwark::server {
namespace {

store::DeviceAddress wire_device(std::uint8_t fill, std::uint32_t device) {
  store::DeviceAddress address;
  address.account.bytes.fill(std::byte{fill});
  address.device = DeviceId(device);
  return address;
}

store::Envelope wire_envelope() {
  store::Envelope envelope;
  envelope.id.bytes.fill(std::byte{0x11});
  envelope.destination = wire_device(0x22, 3);
  envelope.source_account.bytes.fill(std::byte{0x33});
  envelope.source_device = DeviceId(7);
  envelope.type = 1;
  envelope.content = Bytes(100, std::byte{0x44});
  envelope.server_timestamp_ms = 1'800'000'000'000;
  envelope.client_timestamp_ms = -5;
  envelope.expires_at_ms = 1'900'000'000'000;
  envelope.seq = 123456789;
  envelope.franking_tag = Bytes(32, std::byte{0x55});
  envelope.group_id = Bytes(4, std::byte{0x66});
  envelope.group_epoch = 9;
  return envelope;
}

TEST(BusMessageTest, AnEnvelopeRoundTripsWithEveryField) {
  const store::Envelope envelope = wire_envelope();
  auto decoded = decode_bus_message(encode_bus_envelope(envelope).value());
  ASSERT_TRUE(decoded) << decoded.error().describe();
  const auto& out = std::get<store::Envelope>(*decoded);
  EXPECT_EQ(out.id, envelope.id);
  EXPECT_EQ(out.destination, envelope.destination);
  EXPECT_EQ(out.source_account, envelope.source_account);
  EXPECT_EQ(out.source_device, envelope.source_device);
  EXPECT_EQ(out.type, envelope.type);
  EXPECT_EQ(out.content, envelope.content);
  EXPECT_EQ(out.server_timestamp_ms, envelope.server_timestamp_ms);
  EXPECT_EQ(out.client_timestamp_ms, envelope.client_timestamp_ms);
  EXPECT_EQ(out.expires_at_ms, envelope.expires_at_ms);
  EXPECT_EQ(out.seq, envelope.seq);
  EXPECT_EQ(out.franking_tag, envelope.franking_tag);
  EXPECT_EQ(out.group_id, envelope.group_id);
  EXPECT_EQ(out.group_epoch, envelope.group_epoch);
}

TEST(BusMessageTest, ASharedCopyAChannelFrameAndADisplacementRoundTrip) {
  store::EnvelopeId id;
  id.bytes.fill(std::byte{9});
  auto shared = decode_bus_message(encode_bus_shared(wire_device(1, 2), 42, id, "frame").value());
  ASSERT_TRUE(shared);
  const auto& copy = std::get<BusSharedEnvelope>(*shared);
  EXPECT_EQ(copy.device, wire_device(1, 2));
  EXPECT_EQ(copy.seq, 42u);
  EXPECT_EQ(copy.id, id);
  EXPECT_EQ(copy.frame, "frame");

  store::ChannelId channel;
  channel.bytes.fill(std::byte{7});
  auto post = decode_bus_message(encode_bus_channel_frame(channel, "post").value());
  ASSERT_TRUE(post);
  EXPECT_EQ(std::get<BusChannelFrame>(*post).channel, channel);
  EXPECT_EQ(std::get<BusChannelFrame>(*post).frame, "post");

  auto displace = decode_bus_message(encode_bus_displace(wire_device(5, 6), "node-a").value());
  ASSERT_TRUE(displace);
  EXPECT_EQ(std::get<BusDisplace>(*displace).device, wire_device(5, 6));
  EXPECT_EQ(std::get<BusDisplace>(*displace).node_id, "node-a");
}

TEST(BusMessageTest, ADeviceControlRoundTripsAndAnUnknownOperationIsRefused) {
  BusDeviceControl control{wire_device(3, 4), BusControl::join_channel, {}};
  control.channel.bytes.fill(std::byte{8});
  const Bytes encoded = encode_bus_control(control).value();
  auto decoded = decode_bus_message(encoded);
  ASSERT_TRUE(decoded);
  const auto& out = std::get<BusDeviceControl>(*decoded);
  EXPECT_EQ(out.device, control.device);
  EXPECT_EQ(out.op, BusControl::join_channel);
  EXPECT_EQ(out.channel, control.channel);
  Bytes unknown = encoded;
  unknown[2 + 16 + 4] = std::byte{9};  // version, kind, account, device, then the op
  EXPECT_EQ(decode_bus_message(unknown).error().code, Errc::invalid_message);
}

TEST(BusMessageTest, EveryCutOfAMessageIsRefused) {
  const Bytes whole = encode_bus_envelope(wire_envelope()).value();
  for (std::size_t length = 0; length < whole.size(); ++length)
    EXPECT_FALSE(decode_bus_message(ByteView(whole).first(length))) << "length " << length;
}

TEST(BusMessageTest, TrailingBytesAnotherVersionAndAnUnknownKindAreRefused) {
  Bytes message = encode_bus_channel_frame(store::ChannelId{}, "post").value();
  Bytes padded = message;
  padded.push_back(std::byte{0});
  EXPECT_EQ(decode_bus_message(padded).error().code, Errc::trailing_data);
  Bytes version = message;
  version[0] = std::byte{2};
  EXPECT_EQ(decode_bus_message(version).error().code, Errc::invalid_message);
  Bytes kind = message;
  kind[1] = std::byte{9};
  EXPECT_EQ(decode_bus_message(kind).error().code, Errc::invalid_message);
  kind[1] = std::byte{0};
  EXPECT_EQ(decode_bus_message(kind).error().code, Errc::invalid_message);
}

TEST(BusMessageTest, AHugeLengthFieldIsRefusedWithoutReadingOn) {
  Bytes message = encode_bus_channel_frame(store::ChannelId{}, "post").value();
  // version, kind, channel[16], then the frame's u32 length.
  message[18] = std::byte{0xff};
  EXPECT_EQ(decode_bus_message(message).error().code, Errc::invalid_message);
}

TEST(BusMessageTest, AnEmptyFrameOrNodeIdIsRefused) {
  EXPECT_FALSE(decode_bus_message(encode_bus_channel_frame(store::ChannelId{}, "").value()));
  EXPECT_FALSE(encode_bus_displace(wire_device(1, 1), ""));
  EXPECT_FALSE(encode_bus_displace(wire_device(1, 1), std::string(max_node_id_bytes + 1, 'n')));
}

TEST(BusMessageTest, AFrameLargerThanTheBoundIsNotEncoded) {
  const std::string huge(max_bus_message_bytes, 'x');
  EXPECT_FALSE(encode_bus_channel_frame(store::ChannelId{}, huge));
}

}  // namespace
}  // namespace bulwark::server
