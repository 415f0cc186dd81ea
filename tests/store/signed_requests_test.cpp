// Conformance: signed admin requests are accepted once while their time is in the clock
// window, on every node sharing the database (store.h "signed admin requests").
#include "conformance.h"
#include "moderation/request_auth.h"

namespace bulwark::store::conformance {
namespace {

constexpr std::int64_t request_now = 1'780'000'000'000;
constexpr std::int64_t request_window = moderation::max_request_skew.count();

Bytes request_signature(std::uint8_t n) { return Bytes(64, std::byte{n}); }

TEST_P(StoreSignedRequestsTest, ASignatureIsAdmittedOnceWhileItsTimeIsInTheWindow) {
  const std::int64_t expires = request_now + request_window;
  must(store().admit_signed_request(request_signature(1), expires, request_now));
  EXPECT_EQ(error_of(store().admit_signed_request(request_signature(1), expires, request_now + 1)),
            Errc::conflict);
  // Until the last moment the clock check would still accept it.
  EXPECT_EQ(error_of(store().admit_signed_request(request_signature(1), expires, expires)),
            Errc::conflict);
  must(store().admit_signed_request(request_signature(2), expires, request_now + 1));
}

TEST_P(StoreSignedRequestsTest, SignaturesAreForgottenOnceTheClockCheckRefusesThem) {
  // The oldest time the clock check accepts now, and the newest.
  must(store().admit_signed_request(request_signature(1), request_now, request_now));
  must(store().admit_signed_request(request_signature(2), request_now + 2 * request_window,
                                    request_now));
  // One millisecond later the first is outside the window (request_auth refuses it), so it
  // need not be remembered: the store forgets it, and would take it again. The second it keeps.
  const std::int64_t later = request_now + 1;
  must(store().admit_signed_request(request_signature(3), later + request_window, later));
  must(store().admit_signed_request(request_signature(1), later + request_window, later));
  EXPECT_EQ(error_of(store().admit_signed_request(request_signature(2),
                                                  request_now + 2 * request_window, later)),
            Errc::conflict);
}

TEST_P(StoreSignedRequestsTest, SignaturesOfABadSizeAreRefused) {
  EXPECT_EQ(error_of(store().admit_signed_request(Bytes{}, request_now, request_now)),
            Errc::invalid_argument);
  EXPECT_EQ(
      error_of(store().admit_signed_request(Bytes(65, std::byte{1}), request_now, request_now)),
      Errc::invalid_argument);
}

}  // namespace
}  // namespace bulwark::store::conformance
