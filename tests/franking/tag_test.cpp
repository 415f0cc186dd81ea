// The sender's commitment (franking/tag.h).
#include "franking/tag.h"

#include <gtest/gtest.h>

#include "support/seeded_rng.h"

namespace bulwark::franking {
using bulwark::testing::SeededRng;
namespace {

struct Fixed {
  FrankingKey key{};
  Bytes sender = Bytes(16, std::byte{0x11});
  Bytes conversation = Bytes(16, std::byte{0x22});
  Bytes message_id = to_bytes(as_bytes("msg-0001"));
  Bytes content = to_bytes(as_bytes("hello, world"));
  Fixed() {
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = std::byte(i);
  }
  [[nodiscard]] Franked franked() const { return {sender, conversation, message_id, content, {}}; }
};

// Computed independently with Python's hmac module over the byte layout tag.h documents.
TEST(FrankingTagTest, MatchesAnIndependentImplementation) {
  Fixed fixed;
  auto tag = franking_tag(fixed.key, fixed.franked());
  ASSERT_TRUE(tag) << tag.error().describe();
  EXPECT_EQ(to_hex(*tag), "b1b9007158b614b6da4b88fef041c1c3067ab895c6bb2b836801d1e010b319e7");
}

TEST(FrankingTagTest, OpensOnlyWithTheSameKeyAndEveryCommittedField) {
  Fixed fixed;
  const FrankingTag tag = *franking_tag(fixed.key, fixed.franked());
  EXPECT_TRUE(opens(tag, fixed.key, fixed.franked()));

  const Bytes altered = to_bytes(as_bytes("hello, world!"));
  const Bytes other_account(16, std::byte{0x12});
  const Bytes other_id = to_bytes(as_bytes("msg-0002"));
  Franked changed = fixed.franked();
  changed.content = altered;
  EXPECT_FALSE(opens(tag, fixed.key, changed)) << "altered text";
  changed = fixed.franked();
  changed.sender = other_account;
  EXPECT_FALSE(opens(tag, fixed.key, changed)) << "another sender";
  changed = fixed.franked();
  changed.conversation = other_account;
  EXPECT_FALSE(opens(tag, fixed.key, changed)) << "another conversation";
  changed = fixed.franked();
  changed.message_id = other_id;
  EXPECT_FALSE(opens(tag, fixed.key, changed)) << "another message id";
  changed = fixed.franked();
  changed.previous[0] = std::byte{1};
  EXPECT_FALSE(opens(tag, fixed.key, changed)) << "another place in the chain";
  FrankingKey other_key = fixed.key;
  other_key[31] ^= std::byte{1};
  EXPECT_FALSE(opens(tag, other_key, fixed.franked())) << "another key";
}

// Field boundaries are length-prefixed: moving bytes from one field to the next changes the tag.
TEST(FrankingTagTest, FieldBoundariesCannotBeShifted) {
  Fixed fixed;
  const FrankingTag tag = *franking_tag(fixed.key, fixed.franked());
  Bytes longer_id = fixed.message_id;
  longer_id.push_back(fixed.content.front());
  const Bytes shorter_content(fixed.content.begin() + 1, fixed.content.end());
  Franked shifted{fixed.sender, fixed.conversation, longer_id, shorter_content, {}};
  EXPECT_FALSE(opens(tag, fixed.key, shifted));
}

// The "invisible salamanders" attack needs one commitment that opens to two texts. A sender
// who tries every key it likes for a second text finds none that opens the first text's tag.
TEST(FrankingTagTest, ATagCannotBeOpenedToASecondText) {
  SeededRng rng(7);
  Fixed fixed;
  const FrankingTag tag = *franking_tag(fixed.key, fixed.franked());
  Franked second = fixed.franked();
  const Bytes abusive = to_bytes(as_bytes("something else entirely"));
  second.content = abusive;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    EXPECT_FALSE(opens(tag, new_franking_key(rng), second));
  }
  EXPECT_FALSE(opens(tag, fixed.key, second));
}

TEST(FrankingTagTest, IdsAndContentAreBounded) {
  Fixed fixed;
  Franked bad = fixed.franked();
  const Bytes empty;
  bad.sender = empty;
  EXPECT_EQ(franking_tag(fixed.key, bad).error().code, Errc::invalid_length);
  const Bytes long_id(max_id_bytes + 1, std::byte{1});
  bad = fixed.franked();
  bad.message_id = long_id;
  EXPECT_EQ(franking_tag(fixed.key, bad).error().code, Errc::invalid_length);
  const Bytes huge(max_content_bytes + 1, std::byte{'a'});
  bad = fixed.franked();
  bad.content = huge;
  EXPECT_EQ(franking_tag(fixed.key, bad).error().code, Errc::invalid_length);
  const Bytes largest(max_content_bytes, std::byte{'a'});
  bad.content = largest;
  EXPECT_TRUE(franking_tag(fixed.key, bad));
  EXPECT_FALSE(opens(FrankingTag{}, fixed.key, bad));
}

TEST(FrankingTagTest, EachMessageGetsAFreshKey) {
  SeededRng rng(1);
  EXPECT_NE(new_franking_key(rng), new_franking_key(rng));
}

}  // namespace
}  // namespace bulwark::franking
