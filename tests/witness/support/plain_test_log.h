// Test support: a plain RFC 6962 log of opaque entries, shaped like the server's disclosure
// log, signed with its own origin and key and served as a LogSource. Two PlainTestLogs with
// the same entries are the same log, so a test forks one by giving the two different entries
// from some point on.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kt/log_tree.h"
#include "kt/note_ed25519.h"
#include "witness/log_source.h"
#include "witness/support/test_log.h"
#include "witness/witness.h"

namespace bulwark::witness::testing {

inline constexpr std::string_view disclosure_origin = "bulwark.test/lawful";

// The disclosure log's signer: its own origin and key, not log_signer()'s.
[[nodiscard]] kt::NoteSigner disclosure_signer();

class PlainTestLog final : public LogSource {
 public:
  PlainTestLog();

  // Appends an entry of these bytes.
  void append(std::string_view entry);
  [[nodiscard]] std::uint64_t size() const { return entries_.size(); }
  // The checkpoint of the real entries (not the rewritten ones).
  [[nodiscard]] kt::Checkpoint checkpoint(std::uint64_t size) const;
  [[nodiscard]] std::string signed_checkpoint(std::uint64_t size) const;
  [[nodiscard]] std::string signed_checkpoint() const { return signed_checkpoint(size()); }
  [[nodiscard]] std::string vkey() const { return signer_.vkey(); }
  [[nodiscard]] EntryFetcher fetcher();

  // LogSource: the newest checkpoint with the cosignature lines submitted for its size.
  [[nodiscard]] Result<std::optional<std::string>> latest_checkpoint() override;
  [[nodiscard]] Result<Bytes> entry(std::uint64_t index) override;
  [[nodiscard]] Result<void> submit_cosignature(std::uint64_t size, std::string_view line) override;

  std::map<std::uint64_t, Bytes> rewritten;  // served instead of the real entries
  std::optional<Error> entry_error;          // every entry fetch fails with it
  SubmittedCosignatures submitted;
  std::size_t entries_fetched = 0;

 private:
  std::vector<Bytes> entries_;
  kt::LogTree tree_;
  kt::NoteSigner signer_;
};

}  // namespace bulwark::witness::testing
