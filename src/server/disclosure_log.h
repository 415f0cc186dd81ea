// The disclosure log on the server side (issue 8, docs/LAWFUL.md): appends lawful::LogEntry
// records to the store as an RFC 6962 tree with a checkpoint signed by the log key for every
// size, takes the witnesses' cosignatures, and answers the proofs a release package, a user's
// notice and an auditor need.
//
// It holds no state of its own: the tree is rebuilt from the stored leaf hashes whenever it is
// needed (lawful requests are rare, and a tree of a million leaves is 32 MB of hashes), so the
// log on disk is the only log, and every method runs inside the caller's store job - an
// entry, and whatever the caller stores with it, commit together or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "kt/checkpoint_policy.h"
#include "kt/cosignature.h"
#include "kt/merkle.h"
#include "kt/note_ed25519.h"
#include "lawful/log_entry.h"
#include "store/store.h"

namespace bulwark::server {

struct DisclosureLogSettings {
  std::string origin;
  std::vector<kt::CosignerKey> witnesses;
  std::size_t quorum = 0;  // cosignatures a checkpoint needs before a release may cite it
};

class DisclosureLog {
 public:
  DisclosureLog(DisclosureLogSettings settings, crypto::Ed25519SecretKey key);

  [[nodiscard]] std::string vkey() const { return signer_.vkey(); }
  [[nodiscard]] const DisclosureLogSettings& settings() const noexcept { return settings_; }
  // What a package, a notice or an auditor is checked against: the log key and the quorum.
  [[nodiscard]] kt::CheckpointPolicy policy() const;
  [[nodiscard]] const crypto::Ed25519SecretKey& key() const noexcept { return key_; }

  // On start: every stored entry's leaf hash is its entry's, each stored checkpoint is signed
  // by this log's key for this origin over the tree of the entries before it. Errc::invalid_proof
  // naming the first entry that breaks this - a log edited behind the server's back, or a key
  // that is not the log's - so the server stops instead of serving it.
  [[nodiscard]] Result<std::uint64_t> check_stored(store::Store& store) const;

  // Appends the entry with a freshly signed checkpoint; returns its index.
  [[nodiscard]] Result<std::uint64_t> append(store::Store& store, const lawful::LogEntry& entry);

  // The newest checkpoint, with every valid stored cosignature of it; nullopt while empty.
  [[nodiscard]] Result<std::optional<std::string>> newest_checkpoint(store::Store& store) const;
  // The entry's bytes; Errc::not_found past the end.
  [[nodiscard]] Result<Bytes> entry(store::Store& store, std::uint64_t index) const;
  // A witness's cosignature line for the checkpoint of `size`: Errc::auth_failed unless a
  // configured witness made it, Errc::invalid_argument for a size the log does not have.
  [[nodiscard]] Result<void> add_cosignature(store::Store& store, std::uint64_t size,
                                             const std::string& line, std::int64_t now_ms) const;

  struct Proof {
    std::string checkpoint;  // signed and cosigned by at least the quorum
    std::vector<kt::Hash> inclusion_proof;
  };
  // The newest checkpoint that includes entry `index` and meets the quorum, with the entry's
  // inclusion proof in it; nullopt while no such checkpoint exists (the witnesses have not
  // cosigned one yet).
  [[nodiscard]] Result<std::optional<Proof>> prove(store::Store& store, std::uint64_t index) const;
  // How many configured witnesses have cosigned the newest checkpoint.
  [[nodiscard]] Result<std::size_t> newest_cosignature_count(store::Store& store) const;

 private:
  // The checkpoint of `size` with the valid cosignatures stored for it, and how many.
  [[nodiscard]] Result<std::pair<std::string, std::size_t>> cosigned_checkpoint(
      store::Store& store, std::uint64_t size) const;
  [[nodiscard]] Result<std::string> stored_checkpoint(store::Store& store,
                                                      std::uint64_t size) const;

  DisclosureLogSettings settings_;
  crypto::Ed25519SecretKey key_;
  kt::NoteSigner signer_;
};

}  // namespace bulwark::server
