#include "crypto/base64.h"

#include <gtest/gtest.h>

namespace bulwark::crypto {
namespace {

// RFC 4648 §10 test vectors.
TEST(Base64Test, EncodesRfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},          {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(as_bytes(plain)), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(to_bytes(as_bytes(plain)), *decoded);
  }
}

TEST(Base64Test, RejectsNonCanonicalInput) {
  for (std::string_view bad : {"Zg", "Zg=", "Z===", "Zm9v!", "Zm9v YmFy", "Zm8=Zm8=", "-_8=", "Zh==",
                               "Zm9vYmF\xff\xff\xff\xffy"}) {
    auto decoded = base64_decode(bad);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().code, Errc::invalid_encoding);
  }
}

}  // namespace
}  // namespace bulwark::crypto
