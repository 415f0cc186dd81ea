// A recipient's report and the server's verification (franking/report.h): a genuine report
// verifies; altered text, another sender claimed, another recipient, a stamp from a destroyed
// key, a message opened to a second text and context out of order are each refused.
#include "franking/report.h"

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "franking/support/franking_fixtures.h"

namespace bulwark::franking {
using bulwark::testing::SeededRng;
namespace {

using fixtures::account;
using fixtures::Conversation;

class FrankingReportTest : public ::testing::Test {
 protected:
  SeededRng rng{11};
  StampingKeys keys = fixtures::stamping_keys(rng);
  Bytes mallory = account(0x4d);
  Bytes alice = account(0x41);
  Conversation from_mallory{rng, keys, mallory, alice};
};

TEST_F(FrankingReportTest, AGenuineReportVerifies) {
  Report report{{from_mallory.send("you will regret this")}};
  EXPECT_TRUE(verify_report(keys, alice, report));
}

TEST_F(FrankingReportTest, AGenuineReportWithContextVerifiesItsOrder) {
  Report report;
  for (const char* text : {"hi", "I know where you live", "you will regret this"})
    report.messages.push_back(from_mallory.send(text));
  EXPECT_TRUE(verify_report(keys, alice, report));
}

TEST_F(FrankingReportTest, AlteredTextIsRefused) {
  Report report{{from_mallory.send("see you tomorrow")}};
  report.messages[0].content = to_bytes(as_bytes("see you in hell"));
  auto refused = verify_report(keys, alice, report);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::auth_failed);
  EXPECT_NE(refused.error().context.find("does not open"), std::string::npos);
}

TEST_F(FrankingReportTest, AnotherSenderClaimedIsRefused) {
  // Alice blames Bob for what Mallory sent: same text, key and tag, Bob named as the sender.
  Report report{{from_mallory.send("threat")}};
  const Bytes bob = account(0x42);
  ReportedMessage& message = report.messages[0];
  message.sender = bob;
  message.tag = *franking_tag(message.key, Franked{bob, message.conversation, message.message_id,
                                                    message.content, message.previous});
  auto refused = verify_report(keys, alice, report);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::auth_failed);  // the stamp names Mallory
}

TEST_F(FrankingReportTest, AMessageReportedByAnotherRecipientIsRefused) {
  Report report{{from_mallory.send("for Alice only")}};
  EXPECT_EQ(verify_report(keys, account(0x43), report).error().code, Errc::auth_failed);
}

TEST_F(FrankingReportTest, AStampFromADestroyedKeyIsRefused) {
  Report report{{from_mallory.send("long ago")}};
  SecretBytes next(stamp_key_bytes);
  rng.fill(next.writable());
  ASSERT_TRUE(keys.add_epoch(2, std::move(next)));
  keys.destroy_before(2);
  auto refused = verify_report(keys, alice, report);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::not_found);
}

// A sender who built a message to open to a second text (another key for another text under
// the same tag) cannot get that text through: the tag opens only to what Alice was shown.
TEST_F(FrankingReportTest, AMessageOpenedToASecondTextIsRefused) {
  Report report{{from_mallory.send("harmless")}};
  ReportedMessage& message = report.messages[0];
  message.content = to_bytes(as_bytes("a different text"));
  message.key = new_franking_key(rng);
  EXPECT_EQ(verify_report(keys, alice, report).error().code, Errc::auth_failed);
}

TEST_F(FrankingReportTest, ContextOutOfOrderOrWithGapsIsRefused) {
  const ReportedMessage first = from_mallory.send("one");
  const ReportedMessage second = from_mallory.send("two");
  const ReportedMessage third = from_mallory.send("three");
  EXPECT_EQ(verify_report(keys, alice, Report{{second, first, third}}).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(verify_report(keys, alice, Report{{first, third}}).error().code,
            Errc::invalid_argument);  // "two" left out
  EXPECT_TRUE(verify_report(keys, alice, Report{{second, third}}));
}

TEST_F(FrankingReportTest, ContextFromAnotherSenderIsRefused) {
  Conversation from_bob{rng, keys, account(0x42), alice};
  Report report{{from_bob.send("hello"), from_mallory.send("threat")}};
  EXPECT_EQ(verify_report(keys, alice, report).error().code, Errc::invalid_argument);
}

TEST_F(FrankingReportTest, ReportsAreBounded) {
  EXPECT_EQ(verify_report(keys, alice, Report{}).error().code, Errc::invalid_argument);
  Report longest;
  for (std::size_t i = 0; i < max_report_messages; ++i)
    longest.messages.push_back(from_mallory.send("m"));
  EXPECT_TRUE(verify_report(keys, alice, longest));
  Report too_long = longest;
  too_long.messages.push_back(from_mallory.send("m"));
  EXPECT_EQ(verify_report(keys, alice, too_long).error().code, Errc::invalid_argument);
  EXPECT_FALSE(encode_report(too_long));
  EXPECT_FALSE(encode_report(Report{}));
  Report outside{{from_mallory.send("m")}};
  outside.messages[0].stamp.index = 1;  // a batch of one has only leaf 0
  EXPECT_EQ(encode_report(outside).error().code, Errc::invalid_argument);
  Report too_deep{{from_mallory.send("m")}};
  too_deep.messages[0].stamp.path.resize(max_stamp_depth + 1);
  EXPECT_EQ(encode_report(too_deep).error().code, Errc::invalid_argument);
}

TEST_F(FrankingReportTest, TheWireFormRoundTripsAndIsStrict) {
  Report report{{from_mallory.send("one"), from_mallory.send("two")}};
  const Bytes wire = *encode_report(report);
  auto decoded = decode_report(wire);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, report);
  EXPECT_TRUE(verify_report(keys, alice, *decoded));
  for (std::size_t size = 0; size < wire.size(); ++size)
    EXPECT_FALSE(decode_report(ByteView(wire).first(size))) << "truncated to " << size;
  Bytes longer = wire;
  longer.push_back(std::byte{0});
  EXPECT_FALSE(decode_report(longer));
  Bytes zero_messages = wire;
  zero_messages[1] = std::byte{0};
  EXPECT_FALSE(decode_report(zero_messages));
  Bytes empty_sender = wire;
  empty_sender[2] = std::byte{0};
  EXPECT_FALSE(decode_report(empty_sender));
}

// A two-message report built byte by byte with Python's hmac, hashlib and cryptography packages
// from the layouts the headers document (stamping key 0x52 x 32 for epoch 1, Ed25519 seed
// 0x51 x 32, sender 0x4d x 16, reporter 0x41 x 16; both messages stamped in one batch of two):
// it decodes, verifies, and each stamp's batch signature checks.
TEST(FrankingReportInteropTest, AReportBuiltByAnIndependentImplementationVerifies) {
  const Bytes wire = *from_hex(
    "0102104d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d20434343434343434343434343434343434343434343434343"
    "434343434343434308636f6e74657874200000000e636f6e74657874206265666f7265010101010101010101"
    "0101010101010101010101010101010101010101010101000000000000000000000000000000000000000000"
    "00000000000000000000002bbc01aa38bdc3c06eba06c2a140c1a0cca94ae4654b94e7354ee9159430b68f02"
    "00000001000001a3185c5000a4f2204866db26644bedc4091a0a0e8701000019bc015be5c7f6f957196d4fe9"
    "e155cb60e6aaaf2e2323dfe457ad5067b733c9bd68abafc49da1f573a7f08aa617daa213781e3fe27232abfa"
    "5e7efb128d126ac7a57192ab52524de6344135d0f0340c104d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d20434343"
    "434343434343434343434343434343434343434343434343434343434308746865207265706f000000137468"
    "65207265706f7274656420746872656174020202020202020202020202020202020202020202020202020202"
    "02020202022bbc01aa38bdc3c06eba06c2a140c1a0cca94ae4654b94e7354ee9159430b68f5fb7697baa68b0"
    "c9705949a1a77d908ed41036cf88dd8a1615ad7bc83b4457360200000001000001a3185c5000fff605ee0a15"
    "d1455d186d401636d43f01000140e347803d1894e8344abba8455537d060e6aaaf2e2323dfe457ad5067b733"
    "c9bd68abafc49da1f573a7f08aa617daa213781e3fe27232abfa5e7efb128d126ac7a57192ab52524de63441"
    "35d0f0340c");
  StampingKeys keys(crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x51})).value());
  ASSERT_TRUE(keys.add_epoch(1, SecretBytes::copy_of(Bytes(32, std::byte{0x52}))));
  auto report = decode_report(wire);
  ASSERT_TRUE(report) << report.error().describe();
  ASSERT_EQ(report->messages.size(), 2u);
  EXPECT_EQ(report->messages[1].content, to_bytes(as_bytes("the reported threat")));
  EXPECT_TRUE(verify_report(keys, account(0x41), *report));
  for (const ReportedMessage& message : report->messages) {
    EXPECT_EQ(message.stamp.path.size(), 1u);
    EXPECT_TRUE(verify_stamp_signature(keys.public_key(), message.stamp));
  }
  EXPECT_EQ(*encode_report(*report), wire);
}

}  // namespace
}  // namespace bulwark::franking
