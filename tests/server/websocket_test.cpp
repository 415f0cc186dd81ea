// The server's own RFC 6455 layer: frame parsing (what a client may send), frame writing, and
// the opening handshake.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "server/websocket/frame_parser.h"
#include "server/websocket/frame_writer.h"
#include "server/websocket/handshake.h"

namespace bulwark::server::websocket {
namespace {

namespace http = boost::beast::http;

struct Seen {
  Event::Kind kind;
  std::string payload;
  std::uint16_t close_code;
  bool operator==(const Seen&) const = default;
};

class Recorder : public FrameSink {
 public:
  bool on_event(const Event& event) override {
    events.push_back({event.kind, std::string(event.payload), event.close_code});
    return events.size() < stop_after;
  }
  std::vector<Seen> events;
  std::size_t stop_after = SIZE_MAX;
};

// A client frame: masked with `mask`, optional FIN, optional raw first byte bits.
std::string client_frame(Opcode opcode, std::string_view payload, bool fin = true,
                         std::uint32_t mask = 0x37fa213d) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(opcode)));
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(0x80 | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xFF));
  }
  unsigned char key[4] = {static_cast<unsigned char>(mask >> 24),
                          static_cast<unsigned char>(mask >> 16),
                          static_cast<unsigned char>(mask >> 8), static_cast<unsigned char>(mask)};
  out.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    out.push_back(static_cast<char>(static_cast<unsigned char>(payload[i]) ^ key[i % 4]));
  return out;
}

std::optional<Violation> feed_all(FrameParser& parser, std::string bytes, Recorder& sink) {
  return parser.feed(std::span<char>(bytes.data(), bytes.size()), sink);
}

std::optional<Violation> feed_bytewise(FrameParser& parser, const std::string& bytes,
                                       Recorder& sink) {
  for (char c : bytes) {
    char one = c;
    if (auto violation = parser.feed(std::span<char>(&one, 1), sink)) return violation;
  }
  return std::nullopt;
}

TEST(FrameParserTest, WholeMaskedBinaryFrameIsOneMessage) {
  FrameParser parser(1024);
  Recorder sink;
  EXPECT_FALSE(feed_all(parser, client_frame(Opcode::binary, "hello"), sink));
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0], (Seen{Event::Kind::binary, "hello", close_code::no_status}));
  EXPECT_TRUE(parser.idle());
}

TEST(FrameParserTest, EverySplitOfAStreamGivesTheSameEvents) {
  std::string stream = client_frame(Opcode::binary, std::string(300, 'a')) +
                       client_frame(Opcode::binary, "first ", false) +
                       client_frame(Opcode::ping, "are you there") +
                       client_frame(Opcode::continuation, "second", true) +
                       client_frame(Opcode::binary, std::string(70000, 'z')) +
                       client_frame(Opcode::binary, "") +
                       client_frame(Opcode::close, std::string("\x03\xe8" "bye", 5));
  std::vector<Seen> expected = {
      {Event::Kind::binary, std::string(300, 'a'), close_code::no_status},
      {Event::Kind::ping, "are you there", close_code::no_status},
      {Event::Kind::binary, "first second", close_code::no_status},
      {Event::Kind::binary, std::string(70000, 'z'), close_code::no_status},
      {Event::Kind::binary, "", close_code::no_status},
      {Event::Kind::close, "bye", close_code::normal},
  };
  {
    FrameParser parser(100000);
    Recorder sink;
    EXPECT_FALSE(feed_all(parser, stream, sink));
    EXPECT_EQ(sink.events, expected);
  }
  {
    FrameParser parser(100000);
    Recorder sink;
    EXPECT_FALSE(feed_bytewise(parser, stream, sink));
    EXPECT_EQ(sink.events, expected);
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    FrameParser parser(100000);
    Recorder sink;
    std::string copy = stream;
    std::size_t at = 0;
    while (at < copy.size()) {
      std::size_t take = std::min<std::size_t>(copy.size() - at, 1 + rng() % 5000);
      ASSERT_FALSE(parser.feed(std::span<char>(copy.data() + at, take), sink));
      at += take;
    }
    EXPECT_EQ(sink.events, expected) << "round " << round;
    EXPECT_TRUE(parser.idle());
  }
}

TEST(FrameParserTest, ProtocolViolationsAreRefusedWithTheirCloseCode) {
  struct Case {
    const char* what;
    std::string bytes;
    std::uint16_t code;
  };
  std::string unmasked = client_frame(Opcode::binary, "x");
  unmasked[1] = static_cast<char>(unmasked[1] & 0x7F);
  std::string reserved = client_frame(Opcode::binary, "x");
  reserved[0] = static_cast<char>(reserved[0] | 0x40);
  std::string unknown_opcode = client_frame(Opcode::binary, "x");
  unknown_opcode[0] = static_cast<char>(0x83);
  std::string non_minimal("\x82\xfe\x00\x05" "abcd" "hello", 13);
  std::vector<Case> cases = {
      {"unmasked", unmasked, close_code::protocol_error},
      {"reserved bit", reserved, close_code::protocol_error},
      {"unknown opcode", unknown_opcode, close_code::protocol_error},
      {"non-minimal length", non_minimal, close_code::protocol_error},
      {"long ping", client_frame(Opcode::ping, std::string(126, 'p')), close_code::protocol_error},
      {"fragmented ping", client_frame(Opcode::ping, "p", false), close_code::protocol_error},
      {"stray continuation", client_frame(Opcode::continuation, "c"), close_code::protocol_error},
      {"new message inside a fragmented one",
       client_frame(Opcode::binary, "a", false) + client_frame(Opcode::binary, "b"),
       close_code::protocol_error},
      {"one-byte close", client_frame(Opcode::close, "\x03"), close_code::protocol_error},
      {"close code 1005 on the wire", client_frame(Opcode::close, "\x03\xed"),
       close_code::protocol_error},
      {"too big", client_frame(Opcode::binary, std::string(101, 'b')), close_code::too_big},
      {"too big in fragments",
       client_frame(Opcode::binary, std::string(60, 'b'), false) +
           client_frame(Opcode::continuation, std::string(41, 'b')),
       close_code::too_big},
  };
  for (const Case& c : cases) {
    FrameParser parser(100);
    Recorder sink;
    auto violation = feed_all(parser, c.bytes, sink);
    ASSERT_TRUE(violation) << c.what;
    EXPECT_EQ(violation->close_code, c.code) << c.what;
    EXPECT_FALSE(violation->reason.empty()) << c.what;
    EXPECT_TRUE(sink.events.empty()) << c.what;
  }
}

TEST(FrameParserTest, OversizeIsRefusedFromTheHeaderBeforeThePayloadArrives) {
  FrameParser parser(1000);
  Recorder sink;
  std::string frame = client_frame(Opcode::binary, std::string(5000, 'x'));
  auto violation = parser.feed(std::span<char>(frame.data(), 8), sink);  // header and mask only
  ASSERT_TRUE(violation);
  EXPECT_EQ(violation->close_code, close_code::too_big);
}

TEST(FrameParserTest, TextAndPongAndEmptyCloseAreReportedAsSuch) {
  FrameParser parser(100);
  Recorder sink;
  EXPECT_FALSE(feed_all(parser,
                        client_frame(Opcode::text, "{}") + client_frame(Opcode::pong, "") +
                            client_frame(Opcode::close, ""),
                        sink));
  ASSERT_EQ(sink.events.size(), 3u);
  EXPECT_EQ(sink.events[0].kind, Event::Kind::text);
  EXPECT_EQ(sink.events[1].kind, Event::Kind::pong);
  EXPECT_EQ(sink.events[2], (Seen{Event::Kind::close, "", close_code::no_status}));
}

TEST(FrameParserTest, SinkCanStopParsing) {
  FrameParser parser(100);
  Recorder sink;
  sink.stop_after = 1;
  EXPECT_FALSE(feed_all(parser, client_frame(Opcode::binary, "one") + client_frame(Opcode::binary, "two"),
                        sink));
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].payload, "one");
}

TEST(FrameParserTest, PartialMessageIsBufferedOnlyUntilItCompletes) {
  FrameParser parser(100);
  Recorder sink;
  std::string frame = client_frame(Opcode::binary, "split message");
  EXPECT_FALSE(parser.feed(std::span<char>(frame.data(), 10), sink));
  EXPECT_FALSE(parser.idle());
  EXPECT_FALSE(parser.feed(std::span<char>(frame.data() + 10, frame.size() - 10), sink));
  EXPECT_TRUE(parser.idle());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].payload, "split message");
}

TEST(FrameWriterTest, HeadersUseTheShortestLengthForm) {
  EXPECT_EQ(header_bytes(0), 2u);
  EXPECT_EQ(header_bytes(125), 2u);
  EXPECT_EQ(header_bytes(126), 4u);
  EXPECT_EQ(header_bytes(65535), 4u);
  EXPECT_EQ(header_bytes(65536), 10u);
  for (std::size_t size : {0u, 125u, 126u, 65535u, 65536u}) {
    std::string out;
    append_frame(out, Opcode::binary, std::string(size, 'q'));
    ASSERT_EQ(out.size(), header_bytes(size) + size);
    EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x82);  // FIN, binary
    EXPECT_EQ(static_cast<unsigned char>(out[1]) & 0x80, 0);  // never masked
    // The same bytes with a zero mask inserted are a valid client frame of the same payload.
    std::string client = out.substr(0, header_bytes(size));
    client[1] = static_cast<char>(client[1] | 0x80);
    client += std::string(4, '\0') + out.substr(header_bytes(size));
    FrameParser parser(70000);
    Recorder sink;
    ASSERT_FALSE(feed_all(parser, client, sink)) << size;
    ASSERT_EQ(sink.events.size(), 1u);
    EXPECT_EQ(sink.events[0].payload, std::string(size, 'q'));
  }
}

TEST(FrameWriterTest, ClosePayloadFitsAControlFrameWithoutSplittingACharacter) {
  std::string payload = close_payload(1001, "server restarting");
  EXPECT_EQ(payload, std::string("\x03\xe9server restarting", 19));
  std::string long_reason(120, 'a');
  long_reason += "\xc3\xa9\xc3\xa9\xc3\xa9";  // "ééé" straddles byte 123
  std::string cut = close_payload(1002, long_reason);
  EXPECT_LE(cut.size(), 125u);
  EXPECT_EQ(cut.substr(2), std::string(120, 'a') + "\xc3\xa9");
}

http::request<http::string_body> upgrade_request() {
  http::request<http::string_body> request(http::verb::get, "/v1/websocket", 11);
  request.set(http::field::host, "localhost");
  request.set(http::field::upgrade, "websocket");
  request.set(http::field::connection, "Upgrade");
  request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  request.set(http::field::sec_websocket_version, "13");
  return request;
}

TEST(HandshakeTest, AcceptTokenMatchesTheRfcExample) {
  // RFC 6455 §1.3.
  EXPECT_EQ(accept_token("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(HandshakeTest, ValidUpgradeGets101) {
  std::string refusal;
  auto response = accept_upgrade(upgrade_request(), refusal);
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u);
  EXPECT_NE(response->find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
            std::string::npos);
  EXPECT_EQ(response->substr(response->size() - 4), "\r\n\r\n");
  EXPECT_TRUE(refusal.empty());
}

TEST(HandshakeTest, OtherVersionGets426NamingVersion13) {
  auto request = upgrade_request();
  request.set(http::field::sec_websocket_version, "8");
  std::string refusal;
  EXPECT_FALSE(accept_upgrade(request, refusal));
  EXPECT_EQ(refusal.rfind("HTTP/1.1 426 ", 0), 0u);
  EXPECT_NE(refusal.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos);
}

TEST(HandshakeTest, BadKeyOrMethodGets400) {
  for (std::string key : {"", "short", "dGhlIHNhbXBsZSBub25jZQ", "!!!!!!!!!!!!!!!!!!!!!!=="}) {
    auto request = upgrade_request();
    request.set(http::field::sec_websocket_key, key);
    std::string refusal;
    EXPECT_FALSE(accept_upgrade(request, refusal)) << key;
    EXPECT_EQ(refusal.rfind("HTTP/1.1 400 ", 0), 0u) << key;
  }
  auto post = upgrade_request();
  post.method(http::verb::post);
  std::string refusal;
  EXPECT_FALSE(accept_upgrade(post, refusal));
  EXPECT_EQ(refusal.rfind("HTTP/1.1 400 ", 0), 0u);
}

}  // namespace
}  // namespace bulwark::server::websocket
