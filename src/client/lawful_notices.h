// Notices of lawful disclosures of this account's data (docs/LAWFUL.md): once an order's
// non-disclosure period has ended, the server tells the account's owner that their phone number
// and/or IP addresses were disclosed, to which authority, under which order and when. Nothing of
// it is shown as fact before this device has checked it (Client::lawful_notices()).
//
// A notice verifies when:
//  - its entry decodes as an `answered` disclosure log entry (lawful/log_entry.h);
//  - one of the entry's account commitments is lawful::account_commitment(salt, this account's
//    own E.164 number): the server cannot show one person the answer about another, nor a
//    notice for an answer it never logged;
//  - the authority, jurisdiction, categories and time the server states are the entry's (what is
//    shown is the entry's in any case);
//  - when the notice carries a proof: the checkpoint is signed by the pinned log key and
//    cosigned by the pinned quorum of pinned witnesses, and the inclusion proof leads from the
//    entry's leaf hash at log_index to the checkpoint's root (then `proved`).
// A notice that fails is kept, flagged verified = false with the reason: a server sending false
// notices is itself worth knowing about, so nothing is silently dropped either. The order id and
// legal basis are only in the order document, which the entry commits to by hash and which
// stays with the operator (it names other people): they are the server's word.
//
// The log's keys are pinned on first use - the first time this device asks for its notices -
// from what the server publishes with them, and never replaced. A server that later publishes
// another log key is refused loudly (Errc::untrusted_identity); notices are checked against the
// pinned witnesses and quorum whatever the server says of them later. What pinning on first use
// cannot stop: a server that shows a device another log from the start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/proto/api.pb.h"
#include "client/pinned_keys.h"
#include "common/result.h"
#include "kt/checkpoint_policy.h"

namespace bulwark::client {

// The server's page (store::max_lawful_page): an answer with more notices is refused.
inline constexpr std::size_t max_lawful_notices = 200;
// Far beyond any operator's witnesses: a published list longer than this is refused.
inline constexpr std::size_t max_disclosure_witnesses = 64;

struct LawfulNoticeView {
  std::string order_id;   // the server's word
  std::string authority;  // the entry's once it decodes; the server's claim until then
  std::string jurisdiction;
  std::string legal_basis;              // the server's word
  std::vector<std::string> categories;  // phone_number, ip_addresses
  std::int64_t disclosed_at_ms = 0;
  std::uint64_t log_index = 0;
  bool verified = false;
  // Included in a checkpoint of the pinned log that the pinned quorum cosigned; cosigned_by
  // names the pinned witnesses whose cosignature verified.
  bool proved = false;
  std::vector<std::string> cosigned_by;
  std::string problem;  // why verified is false
};

// The log's keys to check notices against: `pinned`, or on first use (nullopt) those the server
// publishes, for the caller to pin. Errc::untrusted_identity, with a message meant to be shown
// loudly, when the server publishes another log key than the pinned one; Errc::invalid_message
// for published keys that do not parse or a quorum above the witnesses.
[[nodiscard]] Result<PinnedDisclosureLog> disclosure_log_to_trust(
    const std::optional<PinnedDisclosureLog>& pinned, const api::LawfulNoticesResult& published,
    std::int64_t now_ms);

// The checkpoint policy of a pinned log: its origin is the log key's name.
[[nodiscard]] Result<kt::CheckpointPolicy> disclosure_log_policy(const PinnedDisclosureLog& log);

// One notice checked as the header says, against the pinned log's policy and this account's own
// phone number (E.164).
[[nodiscard]] LawfulNoticeView verify_lawful_notice(const kt::CheckpointPolicy& policy,
                                                    std::string_view own_phone,
                                                    const api::LawfulNotice& notice);

}  // namespace bulwark::client
