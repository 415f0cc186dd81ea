// A disclosure log for lawful-module tests: entries kept in order, a log key and a witness,
// checkpoints signed (and cosigned) at any size.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "kt/checkpoint_policy.h"
#include "kt/log_tree.h"
#include "kt/note_ed25519.h"
#include "lawful/log_entry.h"

namespace bulwark::testing {

using lawful::LogEntry;

class TestLog {
 public:
  TestLog();

  // Appends the encoded entry; returns its index.
  std::uint64_t append(const LogEntry& entry);
  void append_bytes(Bytes entry);

  // The signed checkpoint of the first `size` entries (default: all), cosigned by the witness
  // unless `cosigned` is false.
  [[nodiscard]] std::string checkpoint(std::optional<std::uint64_t> size = std::nullopt,
                                       bool cosigned = true) const;
  [[nodiscard]] std::vector<kt::Hash> inclusion_proof(std::uint64_t index,
                                                      std::uint64_t size) const;
  // The log key and one witness, quorum 1.
  [[nodiscard]] kt::CheckpointPolicy policy(std::size_t quorum = 1) const;

  [[nodiscard]] const std::vector<Bytes>& entries() const { return entries_; }
  [[nodiscard]] const crypto::Ed25519SecretKey& log_key() const { return log_key_; }
  [[nodiscard]] std::uint64_t size() const { return entries_.size(); }

 private:
  crypto::Ed25519SecretKey log_key_;
  kt::NoteSigner log_signer_;
  crypto::Ed25519SecretKey witness_key_;
  std::vector<Bytes> entries_;
  kt::LogTree tree_;
};

// A received entry for the sample order at 2026-06-01.
[[nodiscard]] lawful::LogEntry received_entry(std::uint8_t order_byte = 1,
                                              std::string jurisdiction = "GR");

}  // namespace bulwark::testing
