// Operators' signed approvals and refusals (lawful/approval.h).
#include "lawful/approval.h"

#include <gtest/gtest.h>

namespace bulwark::lawful {
namespace {

crypto::Ed25519SecretKey operator_key(std::uint8_t fill) {
  return *crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{fill}));
}

TEST(ApprovalTest, AnApprovalVerifiesOnlyForItsOrderAndKey) {
  const auto alice = operator_key(1);
  const auto bob = operator_key(2);
  OrderHash order{};
  order.fill(std::byte{7});
  const auto signature = sign_approval(alice, order);
  EXPECT_TRUE(verify_approval(alice.public_key(), order, signature));
  EXPECT_FALSE(verify_approval(bob.public_key(), order, signature));
  OrderHash other = order;
  other[0] = std::byte{8};
  EXPECT_FALSE(verify_approval(alice.public_key(), other, signature));
}

TEST(ApprovalTest, ARefusalBindsItsReasonAndIsNoApproval) {
  const auto alice = operator_key(1);
  OrderHash order{};
  auto refusal = sign_refusal(alice, order, "No suspect is named.");
  ASSERT_TRUE(refusal);
  EXPECT_TRUE(verify_refusal(alice.public_key(), order, "No suspect is named.", *refusal));
  EXPECT_FALSE(verify_refusal(alice.public_key(), order, "Approved.", *refusal));
  EXPECT_FALSE(verify_approval(alice.public_key(), order, *refusal));
  EXPECT_FALSE(verify_refusal(alice.public_key(), order, "x", sign_approval(alice, order)));
}

TEST(ApprovalTest, NamesAndReasonsAreChecked) {
  EXPECT_TRUE(is_operator_name("alice.legal-1"));
  EXPECT_FALSE(is_operator_name(""));
  EXPECT_FALSE(is_operator_name("alice smith"));
  EXPECT_FALSE(is_operator_name(std::string(65, 'a')));
  EXPECT_FALSE(is_refusal_reason(""));
  EXPECT_FALSE(is_refusal_reason("forged\rline"));
  EXPECT_FALSE(is_refusal_reason(std::string(1001, 'a')));
  EXPECT_EQ(sign_refusal(operator_key(1), OrderHash{}, "").error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::lawful
