// Test support: a key-transparency log built with kt::Directory and signed with a
// kt::NoteSigner, served as a LogSource, plus the witness's fixed keys. Two TestLogs built
// with the same seeds and the same updates are the same log, so a test forks one by giving
// the two different updates from some point on.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kt/directory.h"
#include "kt/note_ed25519.h"
#include "support/seeded_rng.h"
#include "witness/log_source.h"
#include "witness/witness.h"

namespace bulwark::witness::testing {

inline constexpr std::string_view log_origin = "bulwark.test/kt";
inline constexpr std::string_view witness_name = "witness.test/w1";

// A deterministic Ed25519 key whose seed is 32 times `fill`.
[[nodiscard]] crypto::Ed25519SecretKey test_key(std::uint8_t fill);
[[nodiscard]] kt::NoteSigner log_signer();
// A note of `checkpoint`'s body with `signer`'s signature.
[[nodiscard]] std::string sign_checkpoint(const kt::Checkpoint& checkpoint,
                                          const kt::NoteSigner& signer);
// Cosignature lines a test log received, with the size each was submitted for.
using SubmittedCosignatures = std::vector<std::pair<std::uint64_t, std::string>>;
// What a server shows as its newest checkpoint: `signer`'s note of `checkpoint`, with every
// line of `submitted` for its size added as a cosignature.
[[nodiscard]] std::string cosigned_checkpoint(const kt::Checkpoint& checkpoint,
                                              const kt::NoteSigner& signer,
                                              const SubmittedCosignatures& submitted);

class TestLog final : public LogSource {
 public:
  TestLog();

  // Queues an update of `label` to `value` and publishes it in a new entry.
  void publish(std::string_view label, std::string_view value);
  [[nodiscard]] std::uint64_t size() const { return directory_.size(); }
  [[nodiscard]] kt::Checkpoint checkpoint(std::uint64_t size) const;
  [[nodiscard]] std::string signed_checkpoint(std::uint64_t size) const;
  [[nodiscard]] std::string signed_checkpoint() const { return signed_checkpoint(size()); }
  [[nodiscard]] std::string vkey() const { return signer_.vkey(); }
  [[nodiscard]] EntryFetcher fetcher();
  // Entry `index` as served (rewritten or real), not yet encoded. Requires index < size().
  [[nodiscard]] kt::AuditEntry audit_entry(std::uint64_t index) const;

  // LogSource: the newest checkpoint with the cosignature lines submitted for its size.
  [[nodiscard]] Result<std::optional<std::string>> latest_checkpoint() override;
  [[nodiscard]] Result<Bytes> entry(std::uint64_t index) override;
  [[nodiscard]] Result<void> submit_cosignature(std::uint64_t size, std::string_view line) override;

  std::map<std::uint64_t, kt::AuditEntry> rewritten;  // served instead of the real entries
  std::optional<Error> entry_error;                   // every entry fetch fails with it
  SubmittedCosignatures submitted;
  std::size_t entries_fetched = 0;

 private:
  kt::Directory directory_;
  kt::NoteSigner signer_;
  bulwark::testing::SeededRng rng_{11};
  std::uint64_t now_ms_ = 1'700'000'000'000;
};

}  // namespace bulwark::witness::testing
