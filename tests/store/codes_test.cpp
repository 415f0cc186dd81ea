// Conformance: pending verification codes, one per phone number.
#include "conformance.h"

namespace bulwark::store::conformance {
namespace {

PendingCode code_for(const std::string& number, std::uint8_t tag) {
  PendingCode code;
  code.phone = number;
  code.code_hash = filled(32, tag);
  code.salt = filled(16, static_cast<std::uint8_t>(tag + 1));
  code.created_at_ms = 1'000 + tag;
  code.expires_at_ms = 601'000 + tag;
  return code;
}

TEST_P(StoreCodesTest, StoredCodeReadsBackWhole) {
  PendingCode code = code_for(phone(1), 1);
  code.failed_attempts = 2;
  must(store().put_verification_code(code));
  const auto read = must(store().verification_code(phone(1)));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->phone, code.phone);
  EXPECT_EQ(read->code_hash, code.code_hash);
  EXPECT_EQ(read->salt, code.salt);
  EXPECT_EQ(read->created_at_ms, code.created_at_ms);
  EXPECT_EQ(read->expires_at_ms, code.expires_at_ms);
  EXPECT_EQ(read->failed_attempts, 2u);
}

TEST_P(StoreCodesTest, UnknownPhoneHasNoCode) {
  must(store().put_verification_code(code_for(phone(1), 1)));
  EXPECT_FALSE(must(store().verification_code(phone(2))));
}

TEST_P(StoreCodesTest, NewCodeReplacesThePendingOneAndItsAttempts) {
  must(store().put_verification_code(code_for(phone(1), 1)));
  must(store().add_failed_attempt(phone(1)));
  must(store().put_verification_code(code_for(phone(1), 9)));
  const auto read = must(store().verification_code(phone(1)));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->code_hash, filled(32, 9));
  EXPECT_EQ(read->failed_attempts, 0u);
}

TEST_P(StoreCodesTest, FailedAttemptsCountUpPerPhone) {
  must(store().put_verification_code(code_for(phone(1), 1)));
  must(store().put_verification_code(code_for(phone(2), 2)));
  EXPECT_EQ(must(store().add_failed_attempt(phone(1))), 1u);
  EXPECT_EQ(must(store().add_failed_attempt(phone(1))), 2u);
  EXPECT_EQ(must(store().add_failed_attempt(phone(2))), 1u);
  EXPECT_EQ(must(store().verification_code(phone(1)))->failed_attempts, 2u);
}

TEST_P(StoreCodesTest, FailedAttemptWithoutPendingCodeIsNotFound) {
  EXPECT_EQ(error_of(store().add_failed_attempt(phone(1))), Errc::not_found);
}

TEST_P(StoreCodesTest, DeletedCodeIsGoneAndDeletingAgainSucceeds) {
  must(store().put_verification_code(code_for(phone(1), 1)));
  must(store().put_verification_code(code_for(phone(2), 2)));
  must(store().delete_verification_code(phone(1)));
  EXPECT_FALSE(must(store().verification_code(phone(1))));
  EXPECT_TRUE(must(store().verification_code(phone(2))));
  must(store().delete_verification_code(phone(1)));
}

TEST_P(StoreCodesTest, CodeWithoutPhoneIsInvalid) {
  EXPECT_EQ(error_of(store().put_verification_code(code_for("", 1))), Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::store::conformance
