// Moderators' signed admin requests (moderation/request_auth.h).
#include "moderation/request_auth.h"

#include <gtest/gtest.h>

#include "support/seeded_rng.h"

namespace bulwark::moderation {
using bulwark::testing::SeededRng;
namespace {

constexpr std::int64_t now = 1'800'000'000'000;

TEST(ModerationRequestAuthTest, SignedRequestVerifiesOnlyUnchanged) {
  SeededRng rng(9);
  auto keys = crypto::ed25519_keypair(rng);
  const Bytes body = to_bytes(as_bytes(R"({"action":"dismiss"})"));
  auto signature = sign_request(keys.secret_key, "POST", "/admin/moderation/cases/1/act", now, body);
  ASSERT_TRUE(signature);
  EXPECT_TRUE(verify_request(keys.public_key, "POST", "/admin/moderation/cases/1/act", now, body,
                             *signature, now + 1000));
  EXPECT_FALSE(verify_request(keys.public_key, "GET", "/admin/moderation/cases/1/act", now, body,
                              *signature, now));
  EXPECT_FALSE(verify_request(keys.public_key, "POST", "/admin/moderation/cases/2/act", now, body,
                              *signature, now));
  EXPECT_FALSE(verify_request(keys.public_key, "POST", "/admin/moderation/cases/1/act", now + 1,
                              body, *signature, now));
  const Bytes other_body = to_bytes(as_bytes(R"({"action":"reinstate"})"));
  auto changed = verify_request(keys.public_key, "POST", "/admin/moderation/cases/1/act", now,
                                other_body, *signature, now);
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, Errc::auth_failed);
}

TEST(ModerationRequestAuthTest, RequestOutsideTheClockSkewIsRefusedAsSuch) {
  SeededRng rng(10);
  auto keys = crypto::ed25519_keypair(rng);
  const std::int64_t old = now - max_request_skew.count() - 1;
  auto signature = sign_request(keys.secret_key, "GET", "/admin/moderation/queue", old, {});
  ASSERT_TRUE(signature);
  auto refused = verify_request(keys.public_key, "GET", "/admin/moderation/queue", old, {},
                                *signature, now);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().context.find("clock skew"), std::string::npos);
  const std::int64_t future = now + max_request_skew.count() + 1;
  auto ahead = sign_request(keys.secret_key, "GET", "/admin/moderation/queue", future, {});
  EXPECT_FALSE(verify_request(keys.public_key, "GET", "/admin/moderation/queue", future, {},
                              *ahead, now));
}

}  // namespace
}  // namespace bulwark::moderation

namespace bulwark::moderation {
namespace {

TEST(ModerationRequestAuthTest, AModeratorsRequestNeverPassesAsALawfulOperatorsOrBack) {
  SeededRng rng(10);
  auto keys = crypto::ed25519_keypair(rng);
  const Bytes body = to_bytes(as_bytes(R"({"signature":"..."})"));
  const std::string path = "/admin/lawful/orders/1/approve";
  auto as_moderator = sign_request(keys.secret_key, "POST", path, now, body);
  auto as_operator =
      sign_request(keys.secret_key, "POST", path, now, body, RequestRole::lawful_operator);
  ASSERT_TRUE(as_moderator && as_operator);
  EXPECT_TRUE(verify_request(keys.public_key, "POST", path, now, body, *as_operator, now,
                             RequestRole::lawful_operator));
  auto crossed = verify_request(keys.public_key, "POST", path, now, body, *as_moderator, now,
                                RequestRole::lawful_operator);
  ASSERT_FALSE(crossed);
  EXPECT_NE(crossed.error().context.find("operator's"), std::string::npos);
  EXPECT_FALSE(verify_request(keys.public_key, "POST", path, now, body, *as_operator, now));
}

}  // namespace
}  // namespace bulwark::moderation
