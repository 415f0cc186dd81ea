// Pre-shared keys for the group (RFC 9420 §8.4, §8.6, §12.1.4): finding the secret each
// PreSharedKeyID names, and the rules a PreSharedKey proposal must meet.
//
// External PSKs come from the application (Group::add_external_psk, join's psks); resumption
// PSKs from this group's own recent epochs (GroupConfig::resumption_psk_epochs), usage
// application only: reinit and branch belong to ReInit and subgroup branching, which the
// group does not support.
#pragma once

#include <span>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/group/group_state.h"
#include "protocol/mls/messages/psk_id.h"

namespace bulwark::protocol::mls {

// invalid_argument unless the id and key are within their bounds (both non-empty).
[[nodiscard]] Result<void> check_external_psk(const ExternalPsk& psk);

// A PreSharedKey proposal's own validity (§12.1.4): a psk_nonce of Nh bytes and, for a
// resumption PSK, usage application (invalid_message otherwise).
[[nodiscard]] Result<void> check_psk_id(const PreSharedKeyID& id);

// Where the secrets come from.
struct PskSources {
  std::span<const ExternalPsk> external;
  std::span<const ResumptionPsk> resumption;  // of the group `group_id`
  ByteView group_id;
};

// The psk_secret (§8.4) of `ids` in order; invalid_message naming the first PSK not found.
[[nodiscard]] Result<SecretBytes> resolve_psk_secret(const CipherSuite& suite,
                                                     std::span<const PreSharedKeyID> ids,
                                                     const PskSources& sources);

}  // namespace bulwark::protocol::mls
