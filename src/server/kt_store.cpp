#include "server/kt_store.h"

#include <algorithm>
#include <future>
#include <memory>

namespace bulwark::server {
namespace {

constexpr std::uint32_t version_page = 8192;

template <std::size_t N>
Result<std::array<std::byte, N>> fixed(const Bytes& bytes, const char* what) {
  if (bytes.size() != N) return fail(Errc::invalid_proof, std::string("kt store: bad ") + what);
  std::array<std::byte, N> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

Result<kt::PublishedVersion> version_from(const store::KtVersion& stored) {
  kt::PublishedVersion version;
  version.label = stored.label;
  version.version = stored.version;
  version.opening = BULWARK_TRY(fixed<kt::opening_bytes>(stored.opening, "opening"));
  version.value = stored.value;
  version.leaf.vrf_output = BULWARK_TRY(fixed<kt::hash_bytes>(stored.vrf_output, "search key"));
  version.leaf.commitment = BULWARK_TRY(fixed<kt::hash_bytes>(stored.commitment, "commitment"));
  version.entry = stored.entry;
  return version;
}

}  // namespace

Result<void> run_store_job(StoreExecutor& store, store::Store::Job job) {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  if (!store.submit(std::move(job),
                    [promise](Result<void> result) { promise->set_value(std::move(result)); })) {
    return fail(Errc::unavailable, "kt: the store refused the job");
  }
  return future.get();
}

Result<kt::LogEntry> log_entry_from(const store::KtEntry& entry) {
  return kt::LogEntry{entry.timestamp_ms, BULWARK_TRY(fixed<kt::hash_bytes>(entry.prefix_root, "root"))};
}

store::KtEntry store_entry_from(std::uint64_t index, const kt::LogEntry& entry,
                                std::string checkpoint) {
  return store::KtEntry{index, entry.timestamp_ms, to_bytes(entry.prefix_root),
                        std::move(checkpoint)};
}

std::vector<store::KtVersion> store_versions_from(const std::vector<kt::PublishedVersion>& versions) {
  std::vector<store::KtVersion> stored;
  stored.reserve(versions.size());
  for (const kt::PublishedVersion& v : versions) {
    stored.push_back(store::KtVersion{v.label, v.version, to_bytes(v.opening), v.value,
                                      to_bytes(v.leaf.vrf_output), to_bytes(v.leaf.commitment),
                                      v.entry});
  }
  return stored;
}

Result<std::vector<store::KtEntry>> KtRestoreCursor::next_entries(std::uint32_t limit) {
  auto entries = std::make_shared<std::vector<store::KtEntry>>();
  const std::uint64_t from = next_entry_;
  store::Store::Job read = [entries, from, limit](store::Store& store) -> Result<void> {
    *entries = BULWARK_TRY(store.kt_entries(from, limit));
    return {};
  };
  BULWARK_TRY(run_store_job(store_, std::move(read)));
  for (std::size_t i = 0; i < entries->size(); ++i) {
    if ((*entries)[i].index != from + i) {
      return fail(Errc::invalid_proof, "kt store: log entries missing or out of order");
    }
  }
  next_entry_ += entries->size();
  // An empty version page read before these entries were committed said nothing about their
  // versions: a node catching up while another publishes gets an entry stored after that page,
  // and would otherwise take it as publishing no version (a root mismatch, and the follower
  // stopped). Its versions were committed with it, so the next page has them.
  if (!entries->empty()) exhausted_ = false;
  return std::move(*entries);
}

Result<void> KtRestoreCursor::refill() {
  auto page = std::make_shared<std::vector<store::KtVersion>>();
  const std::uint64_t entry = read_entry_;
  const std::uint64_t skip = read_skip_;
  store::Store::Job read = [page, entry, skip](store::Store& store) -> Result<void> {
    *page = BULWARK_TRY(store.kt_versions(entry, skip, version_page));
    return {};
  };
  BULWARK_TRY(run_store_job(store_, std::move(read)));
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(buffer_at_));
  buffer_at_ = 0;
  for (const store::KtVersion& version : *page) {
    if (version.entry == read_entry_) {
      ++read_skip_;
    } else {
      read_entry_ = version.entry;
      read_skip_ = 1;
    }
  }
  // Only an empty page is the end: the store returns fewer rows than asked for whenever its own
  // page bound (store::max_kt_page) is smaller, so a short page says nothing.
  exhausted_ = page->empty();
  buffer_.insert(buffer_.end(), page->begin(), page->end());
  return {};
}

Result<std::vector<kt::PublishedVersion>> KtRestoreCursor::versions_of(std::uint64_t entry) {
  std::vector<kt::PublishedVersion> versions;
  for (;;) {
    while (buffer_at_ < buffer_.size() && buffer_[buffer_at_].entry == entry) {
      versions.push_back(BULWARK_TRY(version_from(buffer_[buffer_at_++])));
    }
    if (buffer_at_ < buffer_.size()) {
      if (buffer_[buffer_at_].entry < entry) {
        return fail(Errc::invalid_proof, "kt store: a version of an entry that does not exist");
      }
      return versions;  // the next buffered version belongs to a later entry
    }
    if (exhausted_) return versions;
    BULWARK_TRY(refill());
  }
}

}  // namespace bulwark::server
