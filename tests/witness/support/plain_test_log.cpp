#include "witness/support/plain_test_log.h"

#include "kt/checkpoint.h"
#include "kt/merkle.h"

namespace bulwark::witness::testing {

kt::NoteSigner disclosure_signer() {
  return kt::NoteSigner::create(std::string(disclosure_origin), test_key(0x12)).value();
}

PlainTestLog::PlainTestLog() : signer_(disclosure_signer()) {}

void PlainTestLog::append(std::string_view entry) {
  entries_.push_back(to_bytes(as_bytes(entry)));
  tree_.append(kt::leaf_hash(entries_.back()));
}

kt::Checkpoint PlainTestLog::checkpoint(std::uint64_t size) const {
  return kt::Checkpoint{std::string(disclosure_origin), size, tree_.root(size), {}};
}

std::string PlainTestLog::signed_checkpoint(std::uint64_t size) const {
  return sign_checkpoint(checkpoint(size), signer_);
}

EntryFetcher PlainTestLog::fetcher() {
  return [this](std::uint64_t index) { return entry(index); };
}

Result<std::optional<std::string>> PlainTestLog::latest_checkpoint() {
  if (size() == 0) return std::nullopt;
  return cosigned_checkpoint(checkpoint(size()), signer_, submitted);
}

Result<Bytes> PlainTestLog::entry(std::uint64_t index) {
  if (entry_error) return tl::unexpected(*entry_error);
  if (index >= size()) return fail(Errc::not_found, "past the end");
  ++entries_fetched;
  if (const auto it = rewritten.find(index); it != rewritten.end()) return it->second;
  return entries_[index];
}

Result<void> PlainTestLog::submit_cosignature(std::uint64_t size, std::string_view line) {
  submitted.emplace_back(size, std::string(line));
  return {};
}

}  // namespace bulwark::witness::testing
