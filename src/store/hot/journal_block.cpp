#include "store/hot/journal_block.h"

#include "common/reader.h"
#include "common/writer.h"
#include "store/envelope_codec.h"

namespace bulwark::store::hot {
namespace {

enum class RecordKind : std::uint8_t { enqueued = 1, removed = 2, account_dropped = 3, reset = 4 };

// An envelope record: the kind byte, the envelope's fixed fields (100 bytes) and its three
// variable ones with their lengths.
constexpr std::size_t max_record_bytes = 1 + 112 + 3 * max_hot_field_bytes;

// Encodes one record with `write_body` and appends it to `block`.
template <class WriteBody>
void append_record(Bytes& block, RecordKind kind, WriteBody&& write_body) {
  if (block.empty()) block.push_back(static_cast<std::byte>(journal_block_version));
  Writer out(max_record_bytes);
  out.u8(static_cast<std::uint8_t>(kind));
  write_body(out);
  auto record = std::move(out).finish();
  // Callers keep envelopes within max_hot_content_bytes (HotQueues routes larger ones to the
  // envelopes table), so the bound cannot be reached; never write a partial record.
  if (!record) contract_violation("hot journal: a record over its bound");
  block.insert(block.end(), record->begin(), record->end());
}

Result<JournalRecord> read_record(Reader& in) {
  const std::uint8_t kind = BULWARK_TRY(in.u8());
  switch (static_cast<RecordKind>(kind)) {
    case RecordKind::enqueued: {
      auto envelope = read_envelope(in, max_hot_field_bytes);
      if (!envelope) return fail(Errc::invalid_encoding, "hot journal: a malformed envelope");
      return JournalEnqueued{std::move(*envelope)};
    }
    case RecordKind::removed: {
      JournalRemoved removed;
      removed.device = BULWARK_TRY(read_device_address(in));
      removed.seq = BULWARK_TRY(in.u64_be());
      return removed;
    }
    case RecordKind::account_dropped: {
      JournalAccountDropped dropped;
      dropped.account.bytes = BULWARK_TRY(in.array<16>());
      return dropped;
    }
    case RecordKind::reset:
      return JournalReset{};
  }
  return fail(Errc::invalid_encoding, "hot journal: an unknown record kind");
}

}  // namespace

void append_enqueued(Bytes& block, const Envelope& envelope) {
  append_record(block, RecordKind::enqueued, [&](Writer& out) { write_envelope(out, envelope); });
}

void append_removed(Bytes& block, const DeviceAddress& device, std::uint64_t seq) {
  append_record(block, RecordKind::removed, [&](Writer& out) {
    write_device_address(out, device);
    out.u64_be(seq);
  });
}

void append_account_dropped(Bytes& block, const AccountId& account) {
  append_record(block, RecordKind::account_dropped, [&](Writer& out) { out.bytes(account.bytes); });
}

void append_reset(Bytes& block) {
  append_record(block, RecordKind::reset, [](Writer&) {});
}

Result<std::vector<JournalRecord>> decode_journal_block(ByteView block) {
  Reader in(block);
  auto version = in.u8();
  if (!version || *version != journal_block_version)
    return fail(Errc::invalid_encoding, "hot journal: an unknown block version");
  std::vector<JournalRecord> records;
  while (!in.at_end()) {
    auto record = read_record(in);
    if (!record) {
      if (record.error().code == Errc::invalid_encoding) return tl::unexpected(record.error());
      return fail(Errc::invalid_encoding, "hot journal: a block ends mid-record");
    }
    records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace bulwark::store::hot
