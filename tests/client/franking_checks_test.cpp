// The recipient's franking checks (client/detail/franking_ops.h): a message is kept only when
// its content opens the tag its sender committed to and the stamp is the server's - so what a
// user reads is exactly what they can report.
#include "client/detail/franking_ops.h"

#include <gtest/gtest.h>

#include "franking/stamp.h"
#include "support/seeded_rng.h"

namespace bulwark::client {
namespace {

using bulwark::testing::SeededRng;

const Bytes alice(16, std::byte{0xa1});
const Bytes bob(16, std::byte{0xb0});
constexpr std::int64_t server_time = 1'700'000'000'000;

class FrankingChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.add_epoch(1, SecretBytes::copy_of(Bytes(32, std::byte{7}))));
    content.body = "see you tonight";
    const franking::FrankingKey key = franking::new_franking_key(rng);
    content.franking_key = to_bytes(key);
    content.message_id = Bytes(16, std::byte{9});
    content.franking_previous = Bytes(32, std::byte{0});
    const franking::FrankingTag tag = *franking::franking_tag(
        key, {alice, franking::one_to_one_conversation(alice, bob), content.message_id,
              as_bytes(content.body), franking::FrankingTag{}});
    envelope.set_source_account(std::string(reinterpret_cast<const char*>(alice.data()), alice.size()));
    envelope.set_franking_tag(std::string(reinterpret_cast<const char*>(tag.data()), tag.size()));
    stamp_with(server, tag);
  }
  void stamp_with(const franking::StampingKeys& keys, const franking::FrankingTag& tag) {
    const Bytes stamp = franking::encode_stamp(*keys.stamp(tag, alice, bob, server_time));
    envelope.set_franking_stamp(std::string(reinterpret_cast<const char*>(stamp.data()), stamp.size()));
    envelope.set_server_timestamp_ms(server_time);
  }
  [[nodiscard]] Result<InboxFranking> check() const {
    return detail::check_incoming(server.public_key(), envelope, content, bob);
  }

  SeededRng rng{11};
  franking::StampingKeys server{crypto::ed25519_keypair(rng).secret_key};
  Content content;
  api::Envelope envelope;
};

TEST_F(FrankingChecksTest, AGenuineMessageIsKeptWithItsOpening) {
  auto kept = check();
  ASSERT_TRUE(kept) << kept.error().describe();
  EXPECT_EQ(kept->franking_key, content.franking_key);
  EXPECT_EQ(kept->message_id, content.message_id);
  EXPECT_EQ(to_bytes(as_bytes(envelope.franking_tag())), kept->tag);
  EXPECT_EQ(to_bytes(as_bytes(envelope.franking_stamp())), kept->stamp);
}

TEST_F(FrankingChecksTest, AMessageWhoseContentDoesNotOpenItsTagIsDropped) {
  // A sender shows one text and commits to another: the victim could not report what it read.
  content.body = "something else entirely";
  auto kept = check();
  ASSERT_FALSE(kept);
  EXPECT_EQ(kept.error().code, Errc::auth_failed);
  EXPECT_NE(kept.error().describe().find("does not match the franking tag"), std::string::npos);
}

TEST_F(FrankingChecksTest, AMessageWithoutACommitmentIsDropped) {
  envelope.clear_franking_tag();
  EXPECT_EQ(check().error().code, Errc::auth_failed);
  envelope.set_franking_tag(std::string(32, 'x'));
  content.franking_key.clear();
  EXPECT_EQ(check().error().code, Errc::auth_failed);
}

TEST_F(FrankingChecksTest, AMessageAddressedToSomeoneElseDoesNotOpen) {
  // The tag commits to the conversation: forwarded to a third party it does not check.
  EXPECT_FALSE(detail::check_incoming(server.public_key(), envelope, content, Bytes(16, std::byte{0xcc})));
}

TEST_F(FrankingChecksTest, AStampNotSignedByTheServerOrFromBeforeTheMessageIsDropped) {
  SeededRng other_rng{12};
  franking::StampingKeys impostor{crypto::ed25519_keypair(other_rng).secret_key};
  ASSERT_TRUE(impostor.add_epoch(1, SecretBytes::copy_of(Bytes(32, std::byte{7}))));
  franking::FrankingTag tag{};
  std::memcpy(tag.data(), envelope.franking_tag().data(), tag.size());
  stamp_with(impostor, tag);
  auto kept = check();
  ASSERT_FALSE(kept);
  EXPECT_NE(kept.error().describe().find("stamp"), std::string::npos);

  stamp_with(server, tag);
  envelope.set_server_timestamp_ms(server_time - 5000);
  EXPECT_TRUE(check()) << "stamped when it left for the device, after it was accepted";
  envelope.set_server_timestamp_ms(server_time + 1);
  EXPECT_FALSE(check()) << "a stamp from before the server accepted the message";
  envelope.set_server_timestamp_ms(server_time);
  envelope.set_franking_stamp("garbage");
  EXPECT_FALSE(check());
}

TEST(FrankingConversationTest, BothEndsNameTheConversationAlike) {
  EXPECT_EQ(detail::conversation_id(alice, bob), detail::conversation_id(bob, alice));
  EXPECT_EQ(detail::conversation_id(alice, bob).size(), 32u);
}

}  // namespace
}  // namespace bulwark::client
