// FrankingKeys: the server's message-franking stamping keys (docs/FRANKING.md), kept as files
// outside the database (secrets never reach it), in DATA_DIR/franking/:
//   signing.key     the Ed25519 seed that signs stamp batches, made once;
//   epoch-N.key     the MAC key of epoch N, which covers server time [N, N + 1) x epoch length.
// rotate() makes the current epoch's key and destroys - overwrites, syncs and deletes - every
// key whose messages are past the retention window: from then on nobody can prove them
// (deniability over time). The server calls it on start and from its maintenance timer.
//
// Thread-safe: stamping and verifying share a lock that rotation takes exclusively.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <shared_mutex>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/rng.h"
#include "franking/report.h"
#include "franking/stamp.h"

namespace bulwark::server {

struct FrankingSettings {
  std::chrono::milliseconds epoch_length = std::chrono::hours(24);
  // How long after its epoch ends a message can still be proven by a report.
  std::chrono::milliseconds retention = std::chrono::hours(24 * 30);
};

class FrankingKeys {
 public:
  // Opens `dir` (created owner-only when missing) with its keys, then rotates at `now_ms`.
  // Errc::storage when a key file cannot be read or written; Errc::invalid_length for a key
  // file of the wrong size (never replaced: a damaged key is reported, not silently renewed).
  [[nodiscard]] static Result<std::unique_ptr<FrankingKeys>> open(std::filesystem::path dir,
                                                                  FrankingSettings settings,
                                                                  Rng& rng, std::int64_t now_ms);

  // Makes the key of `now_ms`'s epoch when missing and destroys expired keys.
  [[nodiscard]] Result<void> rotate(std::int64_t now_ms, Rng& rng);

  [[nodiscard]] Result<franking::StampBatch> sign_batch(
      std::span<const franking::StampRequest> requests, std::int64_t now_ms) const;
  [[nodiscard]] Result<void> verify(const franking::Stamp& stamp, const franking::FrankingTag& tag,
                                    ByteView sender, ByteView recipient) const;
  // franking::verify_report under the keys' lock.
  [[nodiscard]] Result<void> verify_report(ByteView reporter, const franking::Report& report) const;
  [[nodiscard]] crypto::Ed25519PublicKey public_key() const;
  // The epochs whose keys are held, oldest first.
  [[nodiscard]] std::vector<std::uint32_t> epochs() const;
  [[nodiscard]] std::uint32_t epoch_at(std::int64_t time_ms) const;

 private:
  FrankingKeys(std::filesystem::path dir, FrankingSettings settings, franking::StampingKeys keys)
      : dir_(std::move(dir)), settings_(settings), keys_(std::move(keys)) {}
  [[nodiscard]] std::filesystem::path epoch_file(std::uint32_t epoch) const;

  std::filesystem::path dir_;
  FrankingSettings settings_;
  mutable std::shared_mutex mutex_;
  franking::StampingKeys keys_;
  std::vector<std::uint32_t> epochs_;  // held, ascending
};

}  // namespace bulwark::server
