// A witness's durable state for the one log it follows: the last checkpoint it cosigned and,
// once it has seen the log misbehave, why it stopped (the alarm). The state is what makes
// "never cosign two different trees of one size, never cosign a smaller tree" survive a
// restart, so it is written (state_file.h) before any cosignature leaves the process.
//
// The file is text, one field a line, every line ended by "\n", in this order:
//
//   bulwark-witness-state v1
//   log <vkey of the log>
//   [kind disclosure]
//   size <decimal, no leading zeros>
//   root <base64 of 32 bytes>
//   [alarm <reason>]
//
// The kind line names the log's kind (log_kind.h) when it is not kt: state files written
// before the witness followed other logs are KT states and stay valid byte for byte, and
// "kind kt" is never written, so that each state has one encoding. Together with the vkey it
// keeps a witness of one kind from replaying another kind's log against this state (which
// would raise a false alarm).
//
// Invariants of a WitnessState that parse_witness_state returns (and encode requires): the
// log vkey (at most log_vkey_max_bytes) and the alarm reason (when present, at most
// alarm_reason_max_bytes) are non-empty and hold no control character (no "\n"); size <=
// kt::checkpoint_max_size. Size 0 means nothing was cosigned yet (the root is then the
// empty tree's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "kt/merkle.h"
#include "witness/log_kind.h"

namespace bulwark::witness {

inline constexpr std::size_t state_max_bytes = 4096;
inline constexpr std::size_t alarm_reason_max_bytes = 2048;
inline constexpr std::size_t log_vkey_max_bytes = 1024;

struct WitnessState {
  std::string log_vkey;              // the log this state belongs to
  LogKind kind = LogKind::kt;        // and its kind
  std::uint64_t size = 0;            // of the last checkpoint cosigned; 0 before the first
  kt::Hash root = kt::empty_root();  // its root
  std::string alarm;                 // why the witness stopped cosigning; empty while it has not

  [[nodiscard]] bool in_alarm() const noexcept { return !alarm.empty(); }
  friend bool operator==(const WitnessState&, const WitnessState&) = default;
};

// Non-empty, at most `max_bytes`, no ASCII control character: what a state line may hold.
[[nodiscard]] bool is_state_text(std::string_view text, std::size_t max_bytes) noexcept;

// The file's bytes. Requires the invariants above; contract_violation otherwise.
[[nodiscard]] std::string encode_witness_state(const WitnessState& state);

// Errc::invalid_encoding for anything encode_witness_state would not have written (so what
// parses encodes back to exactly `text`); Errc::invalid_length beyond state_max_bytes.
[[nodiscard]] Result<WitnessState> parse_witness_state(std::string_view text);

}  // namespace bulwark::witness
