// The operator's moderators as this device trusts them (docs/MODERATION.md "What clients can
// check").
//
// The server publishes each moderator's name and Ed25519 key with the log's keys (KtConfig).
// The client pins each name's key the first time it sees it - at registration, and whenever a
// notice or a hold names a moderator not pinned yet - and never replaces it. A signed
// moderation record is checked against the pinned key of the name it gives, never against a
// key the server sends along: the server cannot sign a decision under a moderator's name
// without that moderator's private key, nor swap a moderator's key later.
//
// What pinning on first sight cannot stop: a server that invents a new moderator (a new name
// and key) can sign under it. Every device that sees it pins it for good, so such a moderator
// stays on record in each device's pins and in the operator's public moderation log.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "client/detail/client_impl.h"
#include "moderation/signed_action.h"

namespace bulwark::client {

// Pins every moderator `config` publishes whose name is not pinned yet. Errc::invalid_message
// for a published key that is not a valid Ed25519 key (nothing is pinned then).
[[nodiscard]] Result<void> pin_moderators(Client::Impl& impl, const api::KtConfigResult& config);
// The same, asking the server for its KtConfig.
[[nodiscard]] Result<void> pin_published_moderators(Client::Impl& impl);

// The pinned moderators, after asking the server once for any of `names` not pinned yet.
[[nodiscard]] Result<std::vector<PinnedModerator>> moderators_for(
    Client::Impl& impl, const std::vector<std::string>& names);

// A moderator's signed action, checked against `pinned`: it decodes, its moderator is pinned
// under that name with the key the record names, and the signature verifies under that key.
// Errc::auth_failed (saying which) otherwise.
[[nodiscard]] Result<moderation::ActionRecord> check_pinned_action(
    std::span<const PinnedModerator> pinned, ByteView record, ByteView signature);

// The moderator name a signed action gives, if it decodes (to know whom to pin before checking).
[[nodiscard]] std::optional<std::string> action_moderator(ByteView record);

}  // namespace bulwark::client
