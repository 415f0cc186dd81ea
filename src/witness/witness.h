// The witness: an independent party that audits one transparency log, the key-transparency
// log or the disclosure log (log_kind.h), and cosigns its checkpoints
// (docs/KEY-TRANSPARENCY.md §2; C2SP tlog-cosignature, cosignature/v1).
//
// It replays every log entry into its own copy of the log (replica.h: for key transparency,
// the entry's new prefix-tree leaves into a kt::Auditor; for the disclosure log, the entry's
// RFC 6962 leaf hash into a kt::LogTree) and cosigns a checkpoint only when
//  - the log's key (a vkey of type 0x01) signed it, for the origin that is the vkey's name;
//  - its root is the root of the witnessed log at its size (entries are fetched by index
//    and applied as needed; the KT replica refuses any entry that changes or re-adds a key);
//  - it is not smaller than the last checkpoint this witness cosigned, and not of the same
//    size with another root: an honest witness never cosigns two different trees of one
//    size, which is what lets a client trust a cosigned checkpoint against a forking log.
//
// Refusing for any of the last two reasons is an alarm: the log showed a fork, a rewrite or
// a truncation. The reason is kept in the state, and from then on the witness cosigns
// nothing for that log until an operator clears it. A note that is malformed or not signed
// by the log, or an entry that cannot be fetched or decoded, is only an error: anyone on
// the network could produce those, and they prove nothing about the log.
//
// The state (state.h) changes in memory when a checkpoint is cosigned or an alarm raised;
// the caller must store state() durably before it sends the cosignature anywhere.
//
// On a restart the replica is rebuilt from entries 0..size-1 of the stored state, and the
// rebuilt root must be the stored one (restore(); observe() runs it first if needed).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "kt/checkpoint.h"
#include "kt/cosignature.h"
#include "kt/note_ed25519.h"
#include "witness/log_kind.h"
#include "witness/replica.h"
#include "witness/state.h"

namespace bulwark::witness {

// Fetches the raw bytes of log entry `index` (the body of GET <prefix>/entry/<index>,
// log_api.h).
using EntryFetcher = std::function<Result<Bytes>(std::uint64_t index)>;

struct Cosignature {
  kt::Checkpoint checkpoint;
  std::string line;  // kt::format_signature_line of the cosignature, without "\n"
};

class Witness {
 public:
  // `kind`: what kind of log it is (log_kind.h). `log_vkey`: the log's Ed25519 note vkey.
  // `name`: this witness's key name. `state`: the stored state, or WitnessState{} on a first
  // run. Errc::invalid_argument for a bad vkey or name, or a state of another log or kind.
  [[nodiscard]] static Result<Witness> create(LogKind kind, std::string_view log_vkey,
                                              std::string name, crypto::Ed25519SecretKey key,
                                              WitnessState state, const Clock& clock);

  [[nodiscard]] const kt::CosignerKey& cosigner() const noexcept { return cosigner_; }
  [[nodiscard]] const std::string& origin() const noexcept { return log_.name(); }
  [[nodiscard]] LogKind kind() const noexcept { return state_.kind; }
  [[nodiscard]] const WitnessState& state() const noexcept { return state_; }
  [[nodiscard]] bool in_alarm() const noexcept { return state_.in_alarm(); }
  [[nodiscard]] std::uint64_t audited_size() const noexcept { return replica_->size(); }

  // Rebuilds the replica up to the stored size and checks the stored root (once; later
  // calls do nothing). Errc::invalid_proof, raising the alarm, when the log's entries do not
  // give the root this witness cosigned; the fetcher's errors otherwise.
  [[nodiscard]] Result<void> restore(const EntryFetcher& fetch);

  // The checks of observe() that need no entry: the log signed `signed_note`, and its
  // checkpoint is not smaller than the last one cosigned nor of its size with another root.
  // Errc::invalid_proof with the alarm raised for a truncation or fork; observe()'s errors for
  // a note that is malformed, of another origin or not the log's. Run before restore(): a
  // truncated log no longer serves the entries restore() asks for, and that alone is no alarm.
  [[nodiscard]] Result<void> check_head(std::string_view signed_note);

  // Whether `signed_note` is the checkpoint this witness cosigned last (state()'s size and
  // root), carrying a valid cosignature of this witness: then there is nothing to do.
  [[nodiscard]] bool is_last_cosigned(std::string_view signed_note) const;

  // Audits a signed checkpoint note as described above and cosigns it, at the clock's time
  // in seconds. Errc::invalid_proof with the alarm raised for a fork, rewrite or truncation,
  // and for any call once in alarm; Errc::auth_failed for a note the log did not sign;
  // Errc::invalid_argument for another origin; the parsers' and the fetcher's errors.
  [[nodiscard]] Result<Cosignature> observe(std::string_view signed_note,
                                            const EntryFetcher& fetch);

 private:
  Witness(kt::NoteVerifier log, kt::CosignerKey cosigner, crypto::Ed25519SecretKey key,
          WitnessState state, const Clock& clock, std::unique_ptr<Replica> replica);

  [[nodiscard]] Result<kt::Checkpoint> verified_checkpoint(std::string_view signed_note) const;
  [[nodiscard]] Result<void> catch_up(std::uint64_t size, const EntryFetcher& fetch);
  [[nodiscard]] Result<void> check_against_state(const kt::Checkpoint& checkpoint);
  [[nodiscard]] Result<void> check_against_log(const kt::Checkpoint& checkpoint);
  [[nodiscard]] tl::unexpected<Error> raise_alarm(std::string reason);
  [[nodiscard]] std::uint64_t now_seconds() const;

  kt::NoteVerifier log_;
  kt::CosignerKey cosigner_;
  crypto::Ed25519SecretKey key_;
  WitnessState state_;
  const Clock* clock_;
  std::unique_ptr<Replica> replica_;  // never null
  bool restored_ = false;
};

}  // namespace bulwark::witness
