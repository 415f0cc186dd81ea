// The journal of the SQLite store's queues in memory (store/hot/journal_block.h) on hostile
// input: every row of hot_journal passes through decode_journal_block when the store opens, and
// a database file is input like any other. Oracle: what decodes is canonical, so appending its
// records again gives back exactly the input; nothing crashes or allocates beyond the bound,
// whatever the length fields say.
#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <variant>

#include "fuzz_target.h"
#include "store/hot/journal_block.h"

namespace {

using namespace bulwark;
using namespace bulwark::store::hot;

void check(bool condition) {
  if (!condition) std::abort();
}

Bytes encode_again(const std::vector<JournalRecord>& records) {
  Bytes block;
  for (const JournalRecord& record : records) {
    std::visit(
        [&block](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, JournalEnqueued>) {
            append_enqueued(block, value.envelope);
          } else if constexpr (std::is_same_v<T, JournalRemoved>) {
            append_removed(block, value.device, value.seq);
          } else if constexpr (std::is_same_v<T, JournalAccountDropped>) {
            append_account_dropped(block, value.account);
          } else {
            append_reset(block);
          }
        },
        record);
  }
  return block;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  auto decoded = decode_journal_block(input);
  if (!decoded) return 0;
  Bytes encoded = encode_again(*decoded);
  // A block of no records is the version byte alone.
  if (decoded->empty()) encoded.push_back(static_cast<std::byte>(journal_block_version));
  check(encoded.size() == input.size() &&
        std::equal(encoded.begin(), encoded.end(), input.begin()));
  return 0;
}
