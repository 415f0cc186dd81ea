// SessionRecord: every session with one remote device, the current one and up to
// max_archived_states earlier ones (libsignal rust/protocol/src/state/session.rs,
// SessionRecord). Earlier states stay because messages sent on them may still be in flight;
// one that decrypts a message becomes current again.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>

#include "protocol/keys.h"
#include "protocol/state/session_state.h"

namespace bulwark::protocol {

inline constexpr std::size_t max_archived_states = 40;

class SessionRecord {
 public:
  SessionRecord() = default;
  // Requires previous.size() <= max_archived_states (newest first).
  SessionRecord(std::optional<SessionState> current, std::deque<SessionState> previous);
  [[nodiscard]] SessionRecord clone() const;

  [[nodiscard]] bool has_current_state() const noexcept { return current_.has_value(); }
  // Requires has_current_state().
  [[nodiscard]] SessionState& current();
  [[nodiscard]] const SessionState& current() const;

  [[nodiscard]] std::size_t archived_count() const noexcept { return previous_.size(); }
  [[nodiscard]] const SessionState& archived(std::size_t index) const { return previous_.at(index); }

  // Makes `state` current and archives the old current state (newest first, oldest dropped).
  void promote_state(SessionState state);
  // Replaces archived state `index` by `state` and makes it current.
  void promote_archived_state(std::size_t index, SessionState state);
  // Makes current the state built from the prekey message with `base_key`, if there is one,
  // and returns whether there was.
  [[nodiscard]] bool promote_matching_state(std::uint8_t version, const PublicKey& base_key);

 private:
  void archive_current_state();

  std::optional<SessionState> current_;
  std::deque<SessionState> previous_;  // newest first
};

}  // namespace bulwark::protocol
