#include "witness/witness.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "crypto/base64.h"
#include "kt/note.h"

namespace bulwark::witness {
namespace {

std::string root_text(const kt::Hash& root) { return crypto::base64_encode(view_of(root)); }

// Alarm reasons are stored as one line without control characters (state.h).
std::string as_state_text(std::string reason) {
  for (char& c : reason) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (reason.size() > alarm_reason_max_bytes) reason.resize(alarm_reason_max_bytes);
  return reason;
}

}  // namespace

Result<Witness> Witness::create(LogKind kind, std::string_view log_vkey, std::string name,
                                crypto::Ed25519SecretKey key, WitnessState state,
                                const Clock& clock) {
  auto log = BULWARK_TRY(kt::NoteVerifier::from_vkey(log_vkey));
  if (!is_state_text(log_vkey, log_vkey_max_bytes))
    return fail(Errc::invalid_argument, "the log vkey is too long");
  auto cosigner = BULWARK_TRY(kt::CosignerKey::create(std::move(name), key.public_key()));
  if (state.log_vkey.empty()) {
    state.log_vkey = std::string(log_vkey);
    state.kind = kind;
  }
  if (state.log_vkey != log_vkey)
    return fail(Errc::invalid_argument,
                "the witness state belongs to another log: " + state.log_vkey);
  if (state.kind != kind) {
    return fail(Errc::invalid_argument,
                "the witness state belongs to a " + std::string(log_kind_name(state.kind)) +
                    " log, not a " + std::string(log_kind_name(kind)) + " log");
  }
  return Witness(std::move(log), std::move(cosigner), std::move(key), std::move(state), clock,
                 make_replica(kind));
}

Witness::Witness(kt::NoteVerifier log, kt::CosignerKey cosigner, crypto::Ed25519SecretKey key,
                 WitnessState state, const Clock& clock, std::unique_ptr<Replica> replica)
    : log_(std::move(log)),
      cosigner_(std::move(cosigner)),
      key_(std::move(key)),
      state_(std::move(state)),
      clock_(&clock),
      replica_(std::move(replica)) {}

Result<void> Witness::restore(const EntryFetcher& fetch) {
  if (restored_) return {};
  if (in_alarm()) return fail(Errc::invalid_proof, "in alarm: " + state_.alarm);
  BULWARK_TRY(catch_up(state_.size, fetch));
  const kt::Hash rebuilt = replica_->root(state_.size);
  if (rebuilt != state_.root) {
    return raise_alarm("after a restart the log's entries give root " + root_text(rebuilt) +
                       " at " + std::to_string(state_.size) + " but this witness cosigned root " +
                       root_text(state_.root) + " at " + std::to_string(state_.size) +
                       ": fork or rewrite");
  }
  restored_ = true;
  return {};
}

bool Witness::is_last_cosigned(std::string_view signed_note) const {
  const auto note = kt::parse_note(signed_note);
  if (!note || !kt::verify_cosignature(cosigner_, *note)) return false;
  const auto checkpoint = kt::parse_checkpoint_body(note->text);
  return checkpoint && checkpoint->origin == log_.name() && checkpoint->size == state_.size &&
         checkpoint->root == state_.root;
}

Result<Cosignature> Witness::observe(std::string_view signed_note, const EntryFetcher& fetch) {
  if (in_alarm()) return fail(Errc::invalid_proof, "in alarm: " + state_.alarm);
  kt::Checkpoint checkpoint = BULWARK_TRY(verified_checkpoint(signed_note));
  BULWARK_TRY(restore(fetch));
  BULWARK_TRY(check_against_state(checkpoint));
  BULWARK_TRY(catch_up(checkpoint.size, fetch));
  BULWARK_TRY(check_against_log(checkpoint));

  const std::string body = kt::checkpoint_body(checkpoint);
  const kt::NoteSignature signature = kt::cosign(key_, cosigner_.name(), body, now_seconds());
  state_.size = checkpoint.size;
  state_.root = checkpoint.root;
  return Cosignature{std::move(checkpoint), kt::format_signature_line(signature)};
}

Result<void> Witness::check_head(std::string_view signed_note) {
  if (in_alarm()) return fail(Errc::invalid_proof, "in alarm: " + state_.alarm);
  return check_against_state(BULWARK_TRY(verified_checkpoint(signed_note)));
}

Result<kt::Checkpoint> Witness::verified_checkpoint(std::string_view signed_note) const {
  const kt::Note note = BULWARK_TRY(kt::parse_note(signed_note));
  BULWARK_TRY(log_.verify(note));
  kt::Checkpoint checkpoint = BULWARK_TRY(kt::parse_checkpoint_body(note.text));
  if (checkpoint.origin != log_.name())
    return fail(Errc::invalid_argument,
                "the checkpoint's origin is not the log's key name " + log_.name());
  return checkpoint;
}

// Refusals that need no entry: the log signed a tree head that contradicts one this witness
// already cosigned.
Result<void> Witness::check_against_state(const kt::Checkpoint& checkpoint) {
  const std::string size = std::to_string(checkpoint.size);
  const std::string cosigned = std::to_string(state_.size);
  if (checkpoint.size < state_.size) {
    return raise_alarm("log checkpoint " + size + " is smaller than checkpoint " + cosigned +
                       " this witness cosigned: truncation or rollback");
  }
  if (checkpoint.size == state_.size && checkpoint.root != state_.root) {
    return raise_alarm("log checkpoint " + size + " has root " + root_text(checkpoint.root) +
                       " but this witness cosigned root " + root_text(state_.root) + " at " +
                       cosigned + ": fork");
  }
  return {};
}

// A malformed entry is an error and the next round fetches it again; a well-formed one that
// contradicts the entries before it is an alarm (replica.h).
Result<void> Witness::catch_up(std::uint64_t size, const EntryFetcher& fetch) {
  while (replica_->size() < size) {
    const std::uint64_t index = replica_->size();
    const Bytes entry = BULWARK_TRY(fetch(index));
    auto applied = replica_->apply(entry);
    if (applied) continue;
    const std::string what = "log entry " + std::to_string(index);
    if (applied.error().code != Errc::invalid_proof)
      return fail(applied.error().code, what + ": " + applied.error().context);
    return raise_alarm(what + " does not extend the witnessed log (" + applied.error().context +
                       "): rewrite");
  }
  return {};
}

Result<void> Witness::check_against_log(const kt::Checkpoint& checkpoint) {
  const kt::Hash witnessed = replica_->root(checkpoint.size);
  if (witnessed == checkpoint.root) return {};
  const std::string size = std::to_string(checkpoint.size);
  return raise_alarm("log checkpoint " + size + " has root " + root_text(checkpoint.root) +
                     " but the witnessed log has root " + root_text(witnessed) + " at " + size +
                     ": fork or rewrite");
}

tl::unexpected<Error> Witness::raise_alarm(std::string reason) {
  state_.alarm = as_state_text(std::move(reason));
  return fail(Errc::invalid_proof, state_.alarm);
}

std::uint64_t Witness::now_seconds() const {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count();
  return std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::max<std::int64_t>(seconds, 0)),
                                   0, kt::cosignature_max_timestamp);
}

}  // namespace bulwark::witness
