// Envelope deduplication and the inbox: arrival order, shown flags, the batch bound, and
// pruning of old envelope ids.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace bulwark::testing {
namespace {

using client::InboxMessage;
using client::LocalStore;

Bytes envelope(std::uint8_t n) { return Bytes(16, std::byte{n}); }

InboxMessage message(std::uint8_t n, std::string body) {
  InboxMessage m;
  m.envelope_id = envelope(n);
  m.sender_account = account_id(0xb0);
  m.sender_device = 3;
  m.body = std::move(body);
  m.sent_at_ms = 10'000 + n;
  m.received_at_ms = 20'000 + n;
  return m;
}

class LocalStoreInboxTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::unique_ptr<LocalStore> store_ = open_store(dir_.data());
};

TEST_F(LocalStoreInboxTest, EnvelopeIsSeenOnlyAfterMarking) {
  EXPECT_FALSE(store_->envelope_seen(envelope(1)).value());
  ASSERT_TRUE(store_->mark_envelope_seen(envelope(1), 1000));
  EXPECT_TRUE(store_->envelope_seen(envelope(1)).value());
  EXPECT_FALSE(store_->envelope_seen(envelope(2)).value());
  ASSERT_TRUE(store_->mark_envelope_seen(envelope(1), 2000));  // marking again is fine
}

TEST_F(LocalStoreInboxTest, EnvelopeIdsMustBeSixteenBytes) {
  EXPECT_EQ(store_->envelope_seen(Bytes(15)).error().code, Errc::invalid_length);
  EXPECT_EQ(store_->mark_envelope_seen(Bytes(17), 0).error().code, Errc::invalid_length);
  auto bad = message(1, "x");
  bad.envelope_id = Bytes(4);
  EXPECT_EQ(store_->add_to_inbox(bad).error().code, Errc::invalid_length);
  bad = message(1, "x");
  bad.sender_account = Bytes(4);
  EXPECT_EQ(store_->add_to_inbox(bad).error().code, Errc::invalid_length);
}

TEST_F(LocalStoreInboxTest, PruneForgetsIdsOlderThanTheRetentionOnly) {
  const std::int64_t now = 100 * LocalStore::seen_envelope_retention_ms;
  ASSERT_TRUE(
      store_->mark_envelope_seen(envelope(1), now - LocalStore::seen_envelope_retention_ms - 1));
  ASSERT_TRUE(
      store_->mark_envelope_seen(envelope(2), now - LocalStore::seen_envelope_retention_ms));
  ASSERT_TRUE(store_->mark_envelope_seen(envelope(3), now));
  ASSERT_TRUE(store_->prune(now));
  EXPECT_FALSE(store_->envelope_seen(envelope(1)).value());
  EXPECT_TRUE(store_->envelope_seen(envelope(2)).value());
  EXPECT_TRUE(store_->envelope_seen(envelope(3)).value());
}

TEST_F(LocalStoreInboxTest, RetentionCountsFromTheFirstSighting) {
  const std::int64_t retention = LocalStore::seen_envelope_retention_ms;
  ASSERT_TRUE(store_->mark_envelope_seen(envelope(1), 0));
  ASSERT_TRUE(store_->mark_envelope_seen(envelope(1), retention));
  ASSERT_TRUE(store_->prune(retention + 1));
  EXPECT_FALSE(store_->envelope_seen(envelope(1)).value());
}

TEST_F(LocalStoreInboxTest, MessagesComeBackInArrivalOrderWithEveryField) {
  const auto seq1 = store_->add_to_inbox(message(9, "first")).value();
  const auto seq2 = store_->add_to_inbox(message(3, "second")).value();
  const auto seq3 = store_->add_to_inbox(message(6, "third")).value();
  EXPECT_LT(seq1, seq2);
  EXPECT_LT(seq2, seq3);
  auto messages = store_->unshown_messages(10).value();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].body, "first");
  EXPECT_EQ(messages[1].body, "second");
  EXPECT_EQ(messages[2].body, "third");
  const auto& m = messages[0];
  EXPECT_EQ(m.seq, seq1);
  EXPECT_EQ(m.envelope_id, envelope(9));
  EXPECT_EQ(m.sender_account, account_id(0xb0));
  EXPECT_EQ(m.sender_device, 3u);
  EXPECT_EQ(m.sent_at_ms, 10'009);
  EXPECT_EQ(m.received_at_ms, 20'009);
  EXPECT_FALSE(m.shown);
}

TEST_F(LocalStoreInboxTest, BodyKeepsArbitraryBytes) {
  const std::string body("emoji \xF0\x9F\x94\x92 and a \0 byte", 23);
  ASSERT_TRUE(store_->add_to_inbox(message(1, body)));
  ASSERT_TRUE(store_->add_to_inbox(message(2, "")));
  auto messages = store_->unshown_messages(10).value();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].body, body);
  EXPECT_EQ(messages[1].body, "");
}

TEST_F(LocalStoreInboxTest, MarkShownHidesAMessageFromTheUnshownList) {
  const auto seq1 = store_->add_to_inbox(message(1, "one")).value();
  ASSERT_TRUE(store_->add_to_inbox(message(2, "two")));
  ASSERT_TRUE(store_->mark_shown(seq1));
  ASSERT_TRUE(store_->mark_shown(seq1));  // idempotent
  auto messages = store_->unshown_messages(10).value();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "two");
  EXPECT_EQ(store_->mark_shown(seq1 + 100).error().code, Errc::not_found);
}

TEST_F(LocalStoreInboxTest, LimitTakesTheOldestAndIsBounded) {
  for (std::uint8_t n = 1; n <= 5; ++n)
    ASSERT_TRUE(store_->add_to_inbox(message(n, std::to_string(n))));
  auto two = store_->unshown_messages(2).value();
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].body, "1");
  EXPECT_EQ(two[1].body, "2");
  EXPECT_TRUE(store_->unshown_messages(0).value().empty());
  EXPECT_TRUE(store_->unshown_messages(LocalStore::max_unshown_batch));
  EXPECT_EQ(store_->unshown_messages(LocalStore::max_unshown_batch + 1).error().code,
            Errc::invalid_argument);
}

TEST_F(LocalStoreInboxTest, SameEnvelopeCannotEnterTheInboxTwice) {
  ASSERT_TRUE(store_->add_to_inbox(message(1, "once")));
  auto again = store_->add_to_inbox(message(1, "twice"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(store_->unshown_messages(10).value().size(), 1u);
}

TEST_F(LocalStoreInboxTest, InboxAndSeenIdsPersistAcrossReopen) {
  const auto seq = store_->add_to_inbox(message(1, "durable")).value();
  ASSERT_TRUE(store_->add_to_inbox(message(2, "shown")));
  ASSERT_TRUE(store_->mark_shown(seq + 1));
  ASSERT_TRUE(store_->mark_envelope_seen(envelope(1), 5));
  store_.reset();
  store_ = open_store(dir_.data());
  auto messages = store_->unshown_messages(10).value();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, "durable");
  EXPECT_EQ(messages[0].seq, seq);
  EXPECT_TRUE(store_->envelope_seen(envelope(1)).value());
  // Sequence numbers keep growing after a reopen.
  EXPECT_GT(store_->add_to_inbox(message(3, "later")).value(), seq + 1);
}

TEST_F(LocalStoreInboxTest, AMessagesFrankingOpeningIsKeptAndItsChainCanBeWalked) {
  const std::uint64_t first = store_->add_to_inbox(message(1, "first")).value();
  const std::uint64_t second = store_->add_to_inbox(message(2, "second")).value();
  client::InboxFranking opening;
  opening.seq = first;
  opening.message_id = Bytes(16, std::byte{1});
  opening.franking_key = Bytes(32, std::byte{2});
  opening.previous = Bytes(32, std::byte{0});
  opening.tag = Bytes(32, std::byte{0x71});
  opening.stamp = Bytes(150, std::byte{4});
  ASSERT_TRUE(store_->add_inbox_franking(opening));
  client::InboxFranking next = opening;
  next.seq = second;
  next.previous = opening.tag;
  next.tag = Bytes(32, std::byte{0x72});
  ASSERT_TRUE(store_->add_inbox_franking(next));

  auto found = store_->inbox_franking(second).value();
  ASSERT_TRUE(found);
  EXPECT_EQ(found->previous, opening.tag);
  EXPECT_EQ(found->stamp, opening.stamp);
  // Back through `previous`, from the same sender only.
  auto earlier = store_->inbox_franking_by_tag(account_id(0xb0), found->previous).value();
  ASSERT_TRUE(earlier);
  EXPECT_EQ(earlier->seq, first);
  EXPECT_FALSE(store_->inbox_franking_by_tag(account_id(0xc0), found->previous).value());
  EXPECT_EQ(store_->inbox_message(envelope(2)).value()->body, "second");
  EXPECT_FALSE(store_->inbox_message(envelope(9)).value());
  EXPECT_EQ(store_->inbox_message_at(first).value()->body, "first");

  client::InboxFranking bad = opening;
  bad.tag = Bytes(31);
  EXPECT_EQ(store_->add_inbox_franking(bad).error().code, Errc::invalid_length);
}

}  // namespace
}  // namespace bulwark::testing
