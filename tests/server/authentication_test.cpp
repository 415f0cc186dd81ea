#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;

TEST(AuthenticationTest, EveryConnectionStartsWithAFreshChallenge) {
  ServerHarness h;
  auto first = h.connect();
  auto second = h.connect();
  auto a = first->take_pushes();
  auto b = second->take_pushes();
  ASSERT_EQ(a.size(), 1u);
  ASSERT_TRUE(a[0].has_challenge());
  EXPECT_EQ(a[0].challenge().nonce().size(), 32u);
  EXPECT_NE(a[0].challenge().nonce(), b[0].challenge().nonce());
}

TEST(AuthenticationTest, DeviceSignatureOverTheChallengeAuthenticates) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto connection = h.connect();
  api::Response response = h.call(*connection, h.authenticate_request(alice, *connection));
  EXPECT_EQ(response.status(), api::OK);
  ASSERT_TRUE(connection->session().device().has_value());
  EXPECT_EQ(connection->session().device()->account, alice.account);
  api::Request whoami;
  whoami.mutable_whoami();
  EXPECT_EQ(h.call(*connection, whoami).whoami().phone(), "+12015550123");
}

TEST(AuthenticationTest, SignatureFromAnotherConnectionIsRefused) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto observed = h.connect();
  api::Request replayed = h.authenticate_request(alice, *observed);
  // Same nonce cannot be forced, but even a different exporter alone must break it.
  auto victim = h.connect();
  victim->exporter_ = Bytes(32, std::byte{0x44});
  api::Response response = h.call(*victim, replayed);
  EXPECT_EQ(response.status(), api::UNAUTHENTICATED);
  EXPECT_FALSE(victim->session().device().has_value());
}

TEST(AuthenticationTest, WrongKeyAndUnknownDeviceGetTheSameAnswer) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto mallory = h.add_account("+12015550124");
  auto connection = h.connect();
  api::Request forged = h.authenticate_request(mallory, *connection);
  forged.mutable_authenticate()->set_account_id(std::string(reinterpret_cast<const char*>(alice.account.bytes.data()), 16));
  api::Response wrong_key = h.call(*connection, forged);
  api::Request unknown = h.authenticate_request(alice, *connection);
  unknown.mutable_authenticate()->set_device_id(9);
  api::Response no_device = h.call(*connection, unknown);
  EXPECT_EQ(wrong_key.status(), api::UNAUTHENTICATED);
  EXPECT_EQ(no_device.status(), api::UNAUTHENTICATED);
  EXPECT_EQ(wrong_key.message(), no_device.message());
  EXPECT_EQ(h.metrics_.auth_failures.load(), 2u);
}

TEST(AuthenticationTest, AccountRequestsNeedAuthentication) {
  ServerHarness h;
  auto connection = h.connect();
  api::Request whoami;
  whoami.mutable_whoami();
  EXPECT_EQ(h.call(*connection, whoami).status(), api::UNAUTHENTICATED);
}

TEST(AuthenticationTest, TooManyRequestsBeforeAuthenticationClose) {
  ServerHarness h;
  auto connection = h.connect();
  api::Request whoami;
  whoami.mutable_whoami();
  for (int i = 0; i < 8; ++i) (void)h.call(*connection, whoami);
  EXPECT_FALSE(connection->closed_);
  api::Frame frame;
  *frame.mutable_request() = whoami;
  h.send_frame(*connection, frame);
  EXPECT_TRUE(connection->closed_);
}

TEST(AuthenticationTest, MalformedFramesGetAnErrorAndThenACleanClose) {
  ServerHarness h;
  auto connection = h.connect();
  (void)connection->take_all();
  connection->session().on_message("\xff\xff\xff");
  h.settle();
  auto frames = connection->take_all();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].response().status(), api::BAD_REQUEST);
  connection->session().on_message("\x0a\x05");
  EXPECT_FALSE(connection->closed_);
  connection->session().on_message("garbage");
  EXPECT_TRUE(connection->closed_);
  EXPECT_EQ(h.metrics_.frames_malformed.load(), 3u);
}

TEST(AuthenticationTest, NewConnectionForTheSameDeviceDisplacesTheOld) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto first = h.authenticated(alice);
  auto second = h.authenticated(alice);
  EXPECT_TRUE(first->closed_);
  EXPECT_EQ(first->close_reason_, "connected elsewhere");
  EXPECT_FALSE(second->closed_);
}

}  // namespace
}  // namespace bulwark::server
