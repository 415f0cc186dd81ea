// A moderator's signed request is accepted once while its time is in the window
// (moderation/request_replay.h).
#include "moderation/request_replay.h"

#include <optional>

#include <gtest/gtest.h>

#include "moderation/request_auth.h"

namespace bulwark::moderation {
namespace {

constexpr std::int64_t replay_now = 1'780'000'000'000;
constexpr std::int64_t replay_window = max_request_skew.count();

Bytes signature_of(std::uint8_t n) { return Bytes(64, std::byte{n}); }

std::optional<Errc> error_of(const Result<void>& result) {
  if (result) return std::nullopt;
  return result.error().code;
}

TEST(RequestReplayGuardTest, ASignatureIsAdmittedOnceWhileItsTimeIsInTheWindow) {
  RequestReplayGuard guard;
  ASSERT_TRUE(guard.admit(signature_of(1), replay_now, replay_now));
  EXPECT_EQ(error_of(guard.admit(signature_of(1), replay_now, replay_now + 1)), Errc::conflict);
  // Until the last moment the clock check would still accept it.
  EXPECT_EQ(error_of(guard.admit(signature_of(1), replay_now, replay_now + replay_window)), Errc::conflict);
  EXPECT_TRUE(guard.admit(signature_of(2), replay_now, replay_now + 1)) << "another request";
  EXPECT_EQ(guard.size(), 2u);
}

TEST(RequestReplayGuardTest, SignaturesAreForgottenOnceTheClockCheckRefusesThem) {
  RequestReplayGuard guard;
  ASSERT_TRUE(guard.admit(signature_of(1), replay_now - replay_window, replay_now));  // the oldest time accepted
  ASSERT_TRUE(guard.admit(signature_of(2), replay_now + replay_window, replay_now));  // the newest
  EXPECT_EQ(guard.size(), 2u);
  // One millisecond later the first is outside the replay_window (request_auth refuses it), so it
  // need not be remembered; the second still is.
  EXPECT_TRUE(guard.admit(signature_of(3), replay_now, replay_now + 1));
  EXPECT_EQ(guard.size(), 2u);
  EXPECT_EQ(error_of(guard.admit(signature_of(2), replay_now + replay_window, replay_now + 1)), Errc::conflict);
}

TEST(RequestReplayGuardTest, AFullGuardRefusesRatherThanForgets) {
  RequestReplayGuard guard(3);
  for (std::uint8_t n = 1; n <= 3; ++n) ASSERT_TRUE(guard.admit(signature_of(n), replay_now, replay_now));
  EXPECT_EQ(error_of(guard.admit(signature_of(4), replay_now, replay_now)), Errc::unavailable);
  EXPECT_EQ(error_of(guard.admit(signature_of(1), replay_now, replay_now)), Errc::conflict)
      << "a full guard still knows what it saw";
  EXPECT_TRUE(guard.admit(signature_of(4), replay_now, replay_now + replay_window + 1)) << "room again later";
}

}  // namespace
}  // namespace bulwark::moderation
