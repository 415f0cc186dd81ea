// The benchmark's plaintext listener (config.h, plaintext_listen) on a real Server: refused
// unless loopback, absent unless configured, and a device authenticates over it with the
// plaintext auth message through a plain RFC 6455 WebSocket.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "server/server.h"
#include "server/support/harness.h"
#include "server/support/kt_support.h"

namespace bulwark::server {
namespace {

using kt_support::TempDir;

ServerConfig plaintext_test_config(const std::filesystem::path& dir, std::string host) {
  ServerConfig config;
  config.data_dir = dir;
  config.listen_port = 0;
  config.threads = 1;
  config.plaintext_listen = std::make_pair(std::move(host), std::uint16_t{0});
  return config;
}

// A device registered straight in the store before the server opens it.
struct PlaintextTestDevice {
  store::AccountId account;
  crypto::Ed25519KeyPair auth;
};

PlaintextTestDevice plaintext_test_account(const std::filesystem::path& dir, Rng& rng) {
  PlaintextTestDevice device{{}, crypto::ed25519_keypair(rng)};
  rng.fill(device.account.bytes);
  auto opened = store::open_sqlite_store(dir / "bulwark.db");
  EXPECT_TRUE(opened.has_value());
  store::NewDevice keys;
  keys.registration_id = RegistrationId(7);
  keys.auth_key = to_bytes(device.auth.public_key.bytes());
  keys.signed_pre_key = {1, Bytes(33, std::byte{5}), Bytes(64, std::byte{1})};
  keys.last_resort_kyber_pre_key = {1, Bytes(1569, std::byte{8}), Bytes(64, std::byte{2})};
  store::NewAccount account{device.account, "+12015550123", Bytes(33, std::byte{5}), false, 0};
  auto id = (*opened)->register_account(account, keys);
  EXPECT_TRUE(id.has_value()) << id.error().describe();
  return device;
}

// A blocking plaintext WebSocket client, 10 s receive timeout: enough for one exchange.
class PlainSocketClient {
 public:
  explicit PlainSocketClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~PlainSocketClient() { ::close(fd_); }
  PlainSocketClient(const PlainSocketClient&) = delete;
  PlainSocketClient& operator=(const PlainSocketClient&) = delete;

  bool upgrade() {
    send_all(
        "GET /v1/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n");
    while (in_.find("\r\n\r\n") == std::string::npos)
      if (!receive_more()) return false;
    const bool switched = in_.rfind("HTTP/1.1 101", 0) == 0;
    in_.erase(0, in_.find("\r\n\r\n") + 4);
    return connected_ && switched;
  }

  // One binary frame, masked as a client's must be (RFC 6455 5.3); payloads under 126 bytes.
  void send_frame(const std::string& payload) {
    EXPECT_LT(payload.size(), 126u);
    std::string frame{'\x82', static_cast<char>(0x80 | payload.size()), 1, 2, 3, 4};
    for (std::size_t i = 0; i < payload.size(); ++i)
      frame.push_back(static_cast<char>(payload[i] ^ frame[2 + i % 4]));
    send_all(frame);
  }

  // The next server frame's payload (server frames are unmasked); nullopt on timeout or close.
  std::optional<api::Frame> next_frame() {
    for (;;) {
      if (in_.size() >= 2) {
        std::size_t size = static_cast<unsigned char>(in_[1]) & 0x7F, header = 2;
        if (size == 126 && in_.size() >= 4) {
          size = (static_cast<std::size_t>(static_cast<unsigned char>(in_[2])) << 8) |
                 static_cast<unsigned char>(in_[3]);
          header = 4;
        }
        if (size < 126 || header == 4) {
          if (in_.size() >= header + size) {
            api::Frame frame;
            const bool parsed = frame.ParseFromArray(in_.data() + header, static_cast<int>(size));
            in_.erase(0, header + size);
            if (!parsed) return std::nullopt;
            return frame;
          }
        }
      }
      if (!receive_more()) return std::nullopt;
    }
  }

 private:
  void send_all(const std::string& bytes) {
    EXPECT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  bool receive_more() {
    char buffer[4096];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) return false;
    in_.append(buffer, static_cast<std::size_t>(got));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string in_;
};

TEST(PlaintextListenerTest, ANonLoopbackAddressIsRefused) {
  TempDir dir;
  auto server = Server::create(plaintext_test_config(dir.path(), "0.0.0.0"));
  ASSERT_TRUE(server.has_value()) << server.error().describe();
  auto port = (*server)->listen();
  ASSERT_FALSE(port.has_value());
  EXPECT_EQ(port.error().code, Errc::invalid_argument);
  EXPECT_NE(port.error().context.find("not a loopback address"), std::string::npos);
  EXPECT_EQ((*server)->plaintext_port(), 0);
}

TEST(PlaintextListenerTest, ThereIsNoPlaintextListenerUnlessConfigured) {
  TempDir dir;
  ServerConfig config = plaintext_test_config(dir.path(), "127.0.0.1");
  config.plaintext_listen.reset();
  auto server = Server::create(config);
  ASSERT_TRUE(server.has_value()) << server.error().describe();
  ASSERT_TRUE((*server)->listen().has_value());
  EXPECT_EQ((*server)->plaintext_port(), 0);
}

// Upgrade, Challenge, Authenticate signed over the plaintext message: the answer to it, or
// nullopt when any step fails (the caller stops the server before asserting).
std::optional<api::Frame> authenticate_over_plaintext(std::uint16_t port,
                                                      const PlaintextTestDevice& device) {
  PlainSocketClient client(port);
  if (!client.upgrade()) return std::nullopt;
  auto challenge = client.next_frame();
  if (!challenge || !challenge->push().has_challenge()) return std::nullopt;
  const Bytes message = api::plaintext_device_auth_message(
      as_bytes(challenge->push().challenge().nonce()), view_of(device.account.bytes), 1);
  const auto signature = crypto::ed25519_sign(device.auth.secret_key, message);
  api::Frame request;
  request.mutable_request()->set_id(1);
  auto* auth = request.mutable_request()->mutable_authenticate();
  auth->set_account_id(std::string(reinterpret_cast<const char*>(device.account.bytes.data()), 16));
  auth->set_device_id(1);
  auth->set_signature(
      std::string(reinterpret_cast<const char*>(signature.data()), signature.size()));
  client.send_frame(request.SerializeAsString());
  std::optional<api::Frame> answer;
  do answer = client.next_frame();
  while (answer && !answer->has_response());
  return answer;
}

TEST(PlaintextListenerTest, ADeviceAuthenticatesOverPlaintextWebSocket) {
  TempDir dir;
  testing::SeededRng rng(5);
  const PlaintextTestDevice device = plaintext_test_account(dir.path(), rng);
  auto server = Server::create(plaintext_test_config(dir.path(), "127.0.0.1"));
  ASSERT_TRUE(server.has_value()) << server.error().describe();
  ASSERT_TRUE((*server)->listen().has_value());
  const std::uint16_t port = (*server)->plaintext_port();
  ASSERT_NE(port, 0);
  std::thread serving([&server] { (*server)->run(); });
  const std::optional<api::Frame> answer = authenticate_over_plaintext(port, device);
  (*server)->stop();
  serving.join();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->response().id(), 1u);
  EXPECT_EQ(answer->response().status(), api::OK) << answer->response().message();
}

}  // namespace
}  // namespace bulwark::server
