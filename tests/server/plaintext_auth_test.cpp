// Device authentication on the benchmark's plaintext listener (config.h, plaintext_listen):
// the plaintext message authenticates only a plaintext connection, the TLS message only a TLS
// one, so neither kind of signature can be replayed on the other kind of connection.
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::FakeConnection;
using harness::ServerHarness;
using harness::TestDevice;

api::Request plaintext_auth_request(const TestDevice& device, FakeConnection& connection) {
  Bytes message = api::plaintext_device_auth_message(
      connection.session().challenge(), view_of(device.account.bytes), device.device.value());
  auto signature = crypto::ed25519_sign(device.auth->secret_key, message);
  api::Request request;
  auto* auth = request.mutable_authenticate();
  auth->set_account_id(std::string(reinterpret_cast<const char*>(device.account.bytes.data()),
                                   device.account.bytes.size()));
  auth->set_device_id(device.device.value());
  auth->set_signature(
      std::string(reinterpret_cast<const char*>(signature.data()), signature.size()));
  return request;
}

TEST(PlaintextAuthTest, PlaintextSignatureAuthenticatesAPlaintextConnection) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto connection = h.connect();
  connection->plaintext_ = true;
  api::Response response = h.call(*connection, plaintext_auth_request(alice, *connection));
  EXPECT_EQ(response.status(), api::OK) << response.message();
  ASSERT_TRUE(connection->session().device().has_value());
  EXPECT_EQ(connection->session().device()->account, alice.account);
}

TEST(PlaintextAuthTest, PlaintextSignatureIsRefusedOnATlsConnection) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto connection = h.connect();
  api::Response response = h.call(*connection, plaintext_auth_request(alice, *connection));
  EXPECT_EQ(response.status(), api::UNAUTHENTICATED);
  EXPECT_FALSE(connection->session().device().has_value());
}

TEST(PlaintextAuthTest, TlsSignatureIsRefusedOnAPlaintextConnection) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto connection = h.connect();
  // The signature a TLS client would make over this connection's challenge and exporter.
  api::Request tls_signed = h.authenticate_request(alice, *connection);
  connection->plaintext_ = true;
  api::Response response = h.call(*connection, tls_signed);
  EXPECT_EQ(response.status(), api::UNAUTHENTICATED);
  EXPECT_FALSE(connection->session().device().has_value());
}

TEST(PlaintextAuthTest, TheTwoMessagesAreDomainSeparated) {
  const Bytes nonce(32, std::byte{1});
  const Bytes account(16, std::byte{2});
  const Bytes plaintext = api::plaintext_device_auth_message(nonce, account, 1);
  // No exporter value turns the TLS message into the plaintext one: their prefixes differ.
  const Bytes tls = api::device_auth_message(nonce, account, 1, Bytes(32, std::byte{0}));
  const std::size_t compared = std::min(plaintext.size(), tls.size());
  EXPECT_FALSE(
      std::equal(plaintext.begin(), plaintext.begin() + static_cast<long>(compared), tls.begin()));
}

}  // namespace
}  // namespace bulwark::server
