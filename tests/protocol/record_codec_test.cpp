#include "protocol/state/record_codec.h"

#include <gtest/gtest.h>

#include "party.h"

namespace bulwark::testing {
namespace {

using protocol::deserialize_session_record;
using protocol::serialize_session_record;

Bytes bytes_of(const SecretBytes& secret) { return to_bytes(secret.view()); }

// A record with everything in it: archived states, several receiver chains, skipped keys and
// a pending prekey (Alice's second session is unacknowledged).
protocol::SessionRecord rich_record(Party& alice, Party& bob) {
  alice.connect_to(bob);
  EXPECT_EQ(bob.receive(alice, alice.send(bob, "a")), "a");
  for (int turn = 0; turn < 3; ++turn) {
    (void)bob.send(alice, "never delivered: leaves a skipped key");
    EXPECT_EQ(alice.receive(bob, bob.send(alice, "b")), "b");
    EXPECT_EQ(bob.receive(alice, alice.send(bob, "c")), "c");
  }
  alice.connect_to(bob);
  return alice.stores.sessions.load_session(bob.address).value().value();
}

TEST(RecordCodecTest, RoundTripKeepsEveryField) {
  Party alice("alice", 51);
  Party bob("bob", 52);
  auto record = rich_record(alice, bob);
  ASSERT_EQ(record.archived_count(), 1u);
  ASSERT_TRUE(record.current().pending_pre_key().has_value());
  ASSERT_EQ(record.archived(0).receiver_chain_count(), 4u);
  auto bytes = serialize_session_record(record);
  auto again = deserialize_session_record(bytes.view());
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(bytes_of(serialize_session_record(*again)), bytes_of(bytes));
  EXPECT_EQ(again->archived(0).receiver_chains().back().skipped.size(), 1u);
}

TEST(RecordCodecTest, EmptyRecordRoundTrips) {
  auto bytes = serialize_session_record({});
  auto again = deserialize_session_record(bytes.view());
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_current_state());
}

TEST(RecordCodecTest, TruncatedOrCorruptedRecordsAreErrors) {
  Party alice("alice", 53);
  Party bob("bob", 54);
  auto bytes = bytes_of(serialize_session_record(rich_record(alice, bob)));
  int rejected = 0;
  for (std::size_t length = 1; length < bytes.size(); length += 7) {
    auto result = deserialize_session_record(ByteView(bytes).first(length));
    if (!result) {
      EXPECT_EQ(result.error().code, Errc::invalid_encoding);
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
  Bytes garbage(64, std::byte{0xff});
  EXPECT_EQ(deserialize_session_record(garbage).error().code, Errc::invalid_encoding);
}

TEST(RecordCodecTest, StoresRoundTripEveryRecordThroughTheCodec) {
  Party alice("alice", 55);
  Party bob("bob", 56);
  auto record = rich_record(alice, bob);
  // What the store hands back is exactly what was stored.
  ASSERT_TRUE(alice.stores.sessions.store_session(bob.address, record));
  auto loaded = alice.stores.sessions.load_session(bob.address).value().value();
  EXPECT_EQ(bytes_of(serialize_session_record(loaded)), bytes_of(serialize_session_record(record)));
}

}  // namespace
}  // namespace bulwark::testing
