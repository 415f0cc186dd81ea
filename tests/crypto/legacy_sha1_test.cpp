// SHA-1 known answers (FIPS 180-4 examples "abc" and the 448-bit message; checked against
// Python hashlib). SHA-1 is used only for the WebSocket handshake token.
#include <gtest/gtest.h>

#include "common/bytes.h"
#include "crypto/legacy_sha1.h"

namespace bulwark::crypto {
namespace {

TEST(LegacySha1Test, FipsExamplesMatch) {
  EXPECT_EQ(to_hex(view_of(legacy_sha1(as_bytes("abc")))),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(to_hex(view_of(legacy_sha1(
                as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

}  // namespace
}  // namespace bulwark::crypto
