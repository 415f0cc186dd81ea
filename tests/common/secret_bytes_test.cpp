#include "common/secret_bytes.h"

#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

namespace bulwark {
namespace {

static_assert(!std::is_copy_constructible_v<SecretBytes>);
static_assert(!std::is_copy_assignable_v<SecretBytes>);
static_assert(std::is_nothrow_move_constructible_v<SecretBytes>);
static_assert(!std::is_convertible_v<SecretBytes, ByteView>);

TEST(SecretBytesTest, StartsZeroFilled) {
  SecretBytes secret(16);
  ASSERT_EQ(secret.size(), 16u);
  for (std::byte b : secret.view()) EXPECT_EQ(b, std::byte{0});
}

TEST(SecretBytesTest, MoveLeavesTheSourceEmpty) {
  SecretBytes source = SecretBytes::copy_of(as_bytes("key material"));
  SecretBytes target = std::move(source);
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(source.view().size(), 0u);
  EXPECT_EQ(to_bytes(target.view()), to_bytes(as_bytes("key material")));
}

TEST(SecretBytesTest, MoveAssignmentReplacesTheOldSecret) {
  SecretBytes a = SecretBytes::copy_of(as_bytes("aaaa"));
  SecretBytes b = SecretBytes::copy_of(as_bytes("bb"));
  a = std::move(b);
  EXPECT_EQ(to_bytes(a.view()), to_bytes(as_bytes("bb")));
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SecretBytesTest, CloneIsAnIndependentCopy) {
  SecretBytes original = SecretBytes::copy_of(as_bytes("abc"));
  SecretBytes copy = original.clone();
  copy.writable()[0] = std::byte{'x'};
  EXPECT_EQ(to_bytes(original.view()), to_bytes(as_bytes("abc")));
}

TEST(SecretBytesTest, PrintsOnlyItsLength) {
  SecretBytes secret = SecretBytes::copy_of(as_bytes("hunter2"));
  EXPECT_EQ(secret.describe(), "SecretBytes(7 bytes)");
  std::ostringstream out;
  PrintTo(secret, &out);
  EXPECT_EQ(out.str(), "SecretBytes(7 bytes)");
  EXPECT_EQ(out.str().find("hunter2"), std::string::npos);
}

TEST(SecretBytesTest, SecureWipeZeroesABuffer) {
  std::array<std::byte, 8> buffer{};
  buffer.fill(std::byte{0xaa});
  secure_wipe(buffer);
  for (std::byte b : buffer) EXPECT_EQ(b, std::byte{0});
}

}  // namespace
}  // namespace bulwark
