#include "protocol/state/session_record.h"

namespace bulwark::protocol {

SessionRecord::SessionRecord(std::optional<SessionState> current, std::deque<SessionState> previous)
    : current_(std::move(current)), previous_(std::move(previous)) {
  if (previous_.size() > max_archived_states) contract_violation("too many archived states");
}

SessionRecord SessionRecord::clone() const {
  SessionRecord copy;
  if (current_) copy.current_.emplace(current_->clone());
  for (const auto& state : previous_) copy.previous_.push_back(state.clone());
  return copy;
}

SessionState& SessionRecord::current() {
  if (!current_) contract_violation("SessionRecord::current without a current state");
  return *current_;
}

const SessionState& SessionRecord::current() const {
  if (!current_) contract_violation("SessionRecord::current without a current state");
  return *current_;
}

void SessionRecord::archive_current_state() {
  if (!current_) return;
  // An archived state never sends again, so it no longer needs its prekey parameters.
  current_->clear_pending_pre_key();
  previous_.push_front(std::move(*current_));
  current_.reset();
  while (previous_.size() > max_archived_states) previous_.pop_back();
}

void SessionRecord::promote_state(SessionState state) {
  archive_current_state();
  current_.emplace(std::move(state));
}

void SessionRecord::promote_archived_state(std::size_t index, SessionState state) {
  if (index >= previous_.size()) contract_violation("promote_archived_state: bad index");
  previous_.erase(previous_.begin() + static_cast<std::ptrdiff_t>(index));
  promote_state(std::move(state));
}

bool SessionRecord::promote_matching_state(std::uint8_t version, const PublicKey& base_key) {
  auto matches = [&](const SessionState& state) {
    return state.version() == version && state.alice_base_key() == base_key;
  };
  if (current_ && matches(*current_)) return true;
  for (std::size_t i = 0; i < previous_.size(); ++i) {
    if (!matches(previous_[i])) continue;
    SessionState state = std::move(previous_[i]);
    previous_.erase(previous_.begin() + static_cast<std::ptrdiff_t>(i));
    promote_state(std::move(state));
    return true;
  }
  return false;
}

}  // namespace bulwark::protocol
