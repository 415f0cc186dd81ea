// Garbage, oversize and text frames on the device WebSocket: the server answers or closes that
// one connection, and nothing else is affected: it stays healthy, serves clients, and keeps the
// messages it had queued.
#include <gtest/gtest.h>

#include "api/proto/api.pb.h"
#include "support/accounts.h"
#include "support/https_get.h"
#include "support/raw_websocket.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto io_timeout = std::chrono::seconds(10);
constexpr std::size_t max_frame_bytes = 1024 * 1024;  // api/limits.h

// Bytes that cannot parse as a Frame: every byte is a varint continuation, so the first tag
// never ends (and a tag of wire type 7 would be invalid anyway).
std::string garbage(std::size_t size) { return std::string(size, '\xff'); }

std::unique_ptr<RawWebSocket> connect_and_read_challenge(const ServerProcess& server) {
  auto ws = RawWebSocket::connect(server.port(), server.ca_file(), io_timeout);
  WsRead first = ws->read(io_timeout);
  require(first.kind == WsRead::Kind::message && first.binary,
          "expected the challenge, got " + first.describe());
  bulwark::api::Frame frame;
  require(frame.ParseFromString(first.data) && frame.has_push() && frame.push().has_challenge() &&
              frame.push().challenge().nonce().size() == 32,
          "the first frame is not a Challenge push");
  return ws;
}

// Reads one frame, which must be a Response with `status`.
void expect_response(RawWebSocket& ws, bulwark::api::Status status, const std::string& what) {
  WsRead read = ws.read(io_timeout);
  ASSERT_EQ(read.kind, WsRead::Kind::message) << what << ": " << read.describe();
  bulwark::api::Frame frame;
  ASSERT_TRUE(frame.ParseFromString(read.data)) << what << ": the answer is not a Frame";
  ASSERT_TRUE(frame.has_response()) << what << ": the answer is not a Response";
  EXPECT_EQ(frame.response().status(), status) << what << ": " << frame.response().message();
  EXPECT_EQ(frame.response().id(), 0u) << what;
}

// The next read sees the connection end (a close frame, or the socket going away), not a
// message and not silence.
void expect_closed(RawWebSocket& ws, const std::string& what, const std::string& reason = "") {
  WsRead read = ws.read(io_timeout);
  ASSERT_TRUE(read.kind == WsRead::Kind::closed || read.kind == WsRead::Kind::error)
      << what << ": " << read.describe();
  if (!reason.empty()) {
    ASSERT_EQ(read.kind, WsRead::Kind::closed) << what << ": " << read.describe();
    EXPECT_NE(read.close_reason.find(reason), std::string::npos) << what << ": " << read.describe();
  }
}

// The server still answers /healthz, then stops on SIGTERM with exit 0.
void expect_healthy_then_clean_stop(ServerProcess& server) {
  HttpResult health = https_get(server.port(), server.ca_file(), "/healthz");
  EXPECT_EQ(health.status, 200) << health.error;
  ExitStatus stopped = server.stop();
  EXPECT_TRUE(stopped.exited && stopped.code == 0) << stopped.describe();
}

// Two undecodable frames are answered BAD_REQUEST (one of exactly the largest size allowed,
// which is read whole); the third closes the connection.
void garbage_is_answered_then_closed(const ServerProcess& server) {
  auto ws = connect_and_read_challenge(server);
  ASSERT_EQ(ws->write_binary(garbage(16), io_timeout), "");
  expect_response(*ws, bulwark::api::BAD_REQUEST, "first garbage frame");
  ASSERT_EQ(ws->write_binary(garbage(max_frame_bytes), io_timeout), "");
  expect_response(*ws, bulwark::api::BAD_REQUEST, "garbage frame of max_frame_bytes");
  ASSERT_EQ(ws->write_binary(std::string("\x0f\x00\x01", 3), io_timeout), "");
  expect_closed(*ws, "third malformed frame", "malformed");
}

// The server refuses a frame over the limit from its header and drops the connection: either
// our write of the rest fails (reset by the peer), or it went through and the next read sees
// the end.
void oversize_frame_closes(const ServerProcess& server) {
  auto ws = connect_and_read_challenge(server);
  std::string write_error = ws->write_binary(garbage(max_frame_bytes + 1), io_timeout);
  if (write_error.empty()) {
    expect_closed(*ws, "frame of max_frame_bytes + 1");
  } else {
    EXPECT_EQ(write_error.find("timed out"), std::string::npos) << write_error;
  }
}

// The server's own WebSocket layer answers pings with their payload, interleaved with its
// responses in order, and completes a closing handshake the client starts.
TEST(WebSocketControlTest, PingsAreAnsweredAndAClientCloseIsCompleted) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  auto ws = connect_and_read_challenge(server);
  ASSERT_EQ(ws->ping("first", io_timeout), "");
  ASSERT_EQ(ws->ping("second", io_timeout), "");
  // A request after the pings: by the time its answer is read, both pongs have been.
  ASSERT_EQ(ws->write_binary(garbage(4), io_timeout), "");
  expect_response(*ws, bulwark::api::BAD_REQUEST, "garbage after two pings");
  EXPECT_EQ(ws->pongs(), (std::vector<std::string>{"first", "second"}));
  // Beast's close waits for the server's close frame and then the end of the stream.
  EXPECT_EQ(ws->close(1000, io_timeout), "");
  EXPECT_TRUE(
      poll_until(io_timeout, [&] { return server.metric("bulwark_connections_open") == 0; }))
      << server.metric("bulwark_connections_open") << " connections still open";
  ExitStatus stopped = server.stop();
  EXPECT_TRUE(stopped.exited && stopped.code == 0) << stopped.describe();
}

// A peer that pings without ever reading cannot make the server queue pongs without limit:
// once its socket is full, only the latest ping waits for an answer (RFC 6455 5.5.3).
TEST(WebSocketControlTest, PingFloodFromAPeerThatDoesNotReadIsAnsweredOnlyForTheLatest) {
  TempDir tmp;
  // The flood comes before authentication: the handshake deadline is lifted so that a slow
  // build (the sanitizers at -O0) is not cut off part way.
  ServerProcess server(tmp.path() / "srv", ServerOptions{"[limits]\nauth_timeout_seconds = 3600\n"});
  auto ws = connect_and_read_challenge(server);
  // 200,000 pongs of 127 bytes are 25 MB, far more than loopback socket buffers hold.
  constexpr int pings = 200'000;
  auto payload = [](int n) {
    std::string text = "ping " + std::to_string(n);
    text.resize(125, '.');
    return text;
  };
  for (int n = 1; n <= pings; ++n) ASSERT_EQ(ws->ping(payload(n), io_timeout), "") << n;
  // A request after the flood: its answer comes after every pong the server sent.
  ASSERT_EQ(ws->write_binary(garbage(4), io_timeout), "");
  expect_response(*ws, bulwark::api::BAD_REQUEST, "garbage after the flood");
  ASSERT_FALSE(ws->pongs().empty());
  EXPECT_LT(ws->pongs().size(), static_cast<std::size_t>(pings / 2));
  EXPECT_EQ(ws->pongs().back(), payload(pings));  // the latest is always answered
  expect_healthy_then_clean_stop(server);
}

// HTTP requests are bounded too: headers past 8 KiB are refused with 413, and the server
// goes on serving.
TEST(HttpLimitsTest, OversizeHeadersAreRefused) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  HttpResult small = https_get(server.port(), server.ca_file(), "/healthz", io_timeout, 1024);
  EXPECT_EQ(small.status, 200) << small.error;
  HttpResult large = https_get(server.port(), server.ca_file(), "/healthz", io_timeout, 9000);
  EXPECT_EQ(large.status, 413) << large.error;
  expect_healthy_then_clean_stop(server);
}

TEST(HostileFramesTest, GarbageOversizeAndTextFramesEndOnlyTheirOwnConnection) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));
  // Queued for Bob, who stays offline until the end.
  CliResult queued = send_message(alice, bob.phone, "queued before the attack");
  ASSERT_EQ(queued.exit_code(), 0) << queued.describe();

  {
    SCOPED_TRACE("garbage frames");
    garbage_is_answered_then_closed(server);
  }
  {
    SCOPED_TRACE("oversize frame");
    oversize_frame_closes(server);
  }
  {
    SCOPED_TRACE("text frame");
    auto ws = connect_and_read_challenge(server);
    ASSERT_EQ(ws->write_text("{\"hello\":\"json\"}", io_timeout), "");
    expect_closed(*ws, "text frame", "text frames");
  }
  {
    SCOPED_TRACE("a frame only the server may send");
    auto ws = connect_and_read_challenge(server);
    bulwark::api::Frame push_from_client;
    push_from_client.mutable_push()->mutable_queue_empty();
    ASSERT_EQ(ws->write_binary(push_from_client.SerializeAsString(), io_timeout), "");
    expect_response(*ws, bulwark::api::BAD_REQUEST, "a Push sent by a client");
  }

  EXPECT_GE(server.metric("bulwark_frames_malformed_total"), 3);
  // Every hostile connection is gone from the server, not just from our side.
  EXPECT_TRUE(
      poll_until(io_timeout, [&] { return server.metric("bulwark_connections_open") == 0; }))
      << server.metric("bulwark_connections_open") << " connections still open";
  HttpResult health = https_get(server.port(), server.ca_file(), "/healthz");
  EXPECT_EQ(health.status, 200) << health.error;
  EXPECT_EQ(health.body, "ok\n");

  // Bob's queued message is intact, and normal traffic flows.
  auto at_bob = receive_messages(bob, 1);
  ASSERT_EQ(at_bob.size(), 1u);
  EXPECT_EQ(at_bob[0]["body"], "queued before the attack");
  CliResult reply = send_message(bob, alice.phone, "still working");
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  auto at_alice = receive_messages(alice, 1);
  ASSERT_EQ(at_alice.size(), 1u);
  EXPECT_EQ(at_alice[0]["body"], "still working");
  ExitStatus stopped = server.stop();
  EXPECT_TRUE(stopped.exited && stopped.code == 0) << stopped.describe();
}

}  // namespace
}  // namespace bulwark::e2e
