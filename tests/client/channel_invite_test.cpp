// Private channels' invite links and codes (client/channel_invite.h).
#include "client/channel_invite.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "support/seeded_rng.h"

namespace bulwark::testing {
namespace {

bool same(const SecretBytes& a, const SecretBytes& b) { return std::ranges::equal(a.view(), b.view()); }

TEST(ChannelInviteTest, LinkAndBareCodeBothGiveTheSecretBack) {
  SeededRng rng(3);
  const SecretBytes secret = client::new_invite_secret(rng);
  ASSERT_EQ(secret.size(), client::invite_secret_bytes);
  const std::string link = client::invite_link("free_press", secret);
  const std::string code = client::invite_code(secret);
  EXPECT_EQ(link, "bulwark:channel/free_press?invite=" + code);
  EXPECT_EQ(code.size(), 43u);
  EXPECT_EQ(code.find_first_of("+/="), std::string::npos) << code;
  auto from_link = client::parse_invite(link, "free_press");
  ASSERT_TRUE(from_link) << from_link.error().describe();
  EXPECT_TRUE(same(*from_link, secret));
  auto from_code = client::parse_invite(code, "free_press");
  ASSERT_TRUE(from_code) << from_code.error().describe();
  EXPECT_TRUE(same(*from_code, secret));
  // The link's handle is compared in canonical form.
  EXPECT_TRUE(client::parse_invite("bulwark:channel/Free_Press?invite=" + code, "free_press"));
}

TEST(ChannelInviteTest, TheServerGetsTheSecretsSha256) {
  SeededRng rng(4);
  const SecretBytes secret = client::new_invite_secret(rng);
  const auto digest = crypto::sha256(secret.view());
  EXPECT_EQ(client::invite_hash(secret), Bytes(digest.begin(), digest.end()));
}

TEST(ChannelInviteTest, LinkForAnotherChannelIsRefused) {
  SeededRng rng(5);
  const std::string link = client::invite_link("other_news", client::new_invite_secret(rng));
  auto refused = client::parse_invite(link, "free_press");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_NE(refused.error().context.find("@other_news"), std::string::npos);
}

TEST(ChannelInviteTest, AnythingElseIsRefusedWithoutQuotingIt) {
  SeededRng rng(6);
  const std::string code = client::invite_code(client::new_invite_secret(rng));
  std::string standard_alphabet = code;
  standard_alphabet[0] = '+';
  const std::vector<std::string> inputs{
      "", "hello", code.substr(1), code + "A", standard_alphabet, "bulwark:channel/free_press",
      "bulwark:channel/x?invite=" + code, "bulwark:channel/free_press?invite=" + code.substr(2)};
  for (const std::string& bad : inputs) {
    auto refused = client::parse_invite(bad, "free_press");
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, Errc::invalid_argument) << bad;
    if (bad.size() > 8) {
      EXPECT_EQ(refused.error().context.find(bad.substr(bad.size() - 8)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace bulwark::testing
