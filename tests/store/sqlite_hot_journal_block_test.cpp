// The journal block of the SQLite store's queues in memory (store/hot/journal_block.h): every
// record decodes to what was appended, and bytes that are not a block are refused, never guessed.
#include <gtest/gtest.h>

#include <variant>

#include "conformance.h"
#include "store/hot/journal_block.h"

namespace bulwark::store::hot {
namespace {

using conformance::account_id;
using conformance::filled;

Envelope journalled_envelope() {
  Envelope out = conformance::envelope(DeviceAddress{account_id(4), DeviceId{2}}, 5);
  out.seq = 77;
  out.franking_tag = filled(32, 0x3c);
  out.group_id = filled(16, 0x21);
  out.group_epoch = 9;
  return out;
}

TEST(HotJournalBlockTest, EveryRecordDecodesToWhatWasAppended) {
  Bytes block;
  const Envelope queued = journalled_envelope();
  append_enqueued(block, queued);
  append_removed(block, DeviceAddress{account_id(4), DeviceId{2}}, 77);
  append_account_dropped(block, account_id(6));
  append_reset(block);
  const std::vector<JournalRecord> records = decode_journal_block(block).value();
  ASSERT_EQ(records.size(), 4u);
  const Envelope& decoded = std::get<JournalEnqueued>(records[0]).envelope;
  EXPECT_EQ(decoded.id, queued.id);
  EXPECT_EQ(decoded.destination, queued.destination);
  EXPECT_EQ(decoded.source_account, queued.source_account);
  EXPECT_EQ(decoded.source_device, queued.source_device);
  EXPECT_EQ(decoded.type, queued.type);
  EXPECT_EQ(decoded.content, queued.content);
  EXPECT_EQ(decoded.server_timestamp_ms, queued.server_timestamp_ms);
  EXPECT_EQ(decoded.client_timestamp_ms, queued.client_timestamp_ms);
  EXPECT_EQ(decoded.expires_at_ms, queued.expires_at_ms);
  EXPECT_EQ(decoded.seq, 77u);
  EXPECT_EQ(decoded.franking_tag, queued.franking_tag);
  EXPECT_EQ(decoded.group_id, queued.group_id);
  EXPECT_EQ(decoded.group_epoch, 9u);
  const auto& removed = std::get<JournalRemoved>(records[1]);
  EXPECT_EQ(removed.device, (DeviceAddress{account_id(4), DeviceId{2}}));
  EXPECT_EQ(removed.seq, 77u);
  EXPECT_EQ(std::get<JournalAccountDropped>(records[2]).account, account_id(6));
  EXPECT_TRUE(std::holds_alternative<JournalReset>(records[3]));
}

TEST(HotJournalBlockTest, EveryCutShortBlockIsRefused) {
  Bytes block;
  append_enqueued(block, journalled_envelope());
  append_removed(block, DeviceAddress{account_id(4), DeviceId{2}}, 1);
  // Cut after the version byte or at a record's end it is a shorter block (of 0 records, of
  // 1); anywhere else it ends mid-record, or has no version at all.
  const std::size_t first_end = block.size() - 29;
  for (std::size_t size = 0; size < block.size(); ++size) {
    auto decoded = decode_journal_block(ByteView(block).first(size));
    if (size == 1 || size == first_end) {
      EXPECT_TRUE(decoded) << size;
      continue;
    }
    ASSERT_FALSE(decoded) << size;
    EXPECT_EQ(decoded.error().code, Errc::invalid_encoding) << size;
  }
}

TEST(HotJournalBlockTest, UnknownVersionsKindsAndOversizedFieldsAreRefused) {
  Bytes block;
  append_account_dropped(block, account_id(1));
  Bytes wrong_version = block;
  wrong_version[0] = std::byte{2};
  EXPECT_EQ(decode_journal_block(wrong_version).error().code, Errc::invalid_encoding);
  Bytes wrong_kind = block;
  wrong_kind[1] = std::byte{9};
  EXPECT_EQ(decode_journal_block(wrong_kind).error().code, Errc::invalid_encoding);
  // An envelope whose content length claims more than an envelope in memory may hold.
  Envelope large = journalled_envelope();
  large.content = filled(max_hot_content_bytes + 1, 1);
  Bytes oversized;
  append_enqueued(oversized, large);
  EXPECT_EQ(decode_journal_block(oversized).error().code, Errc::invalid_encoding);
}

}  // namespace
}  // namespace bulwark::store::hot
