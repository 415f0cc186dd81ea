// The client's side of key transparency (docs/KEY-TRANSPARENCY.md): the log it trusts, the
// verification of every account's keys against it, and the monitoring of its own account.
//
// Trust in the log is pinned at registration (the server's KtConfig: origin, checkpoint key,
// VRF key, witness keys and how many must cosign). Every search afterwards must come with a
// checkpoint signed by that key and cosigned by that many of those witnesses, consistent with
// the last checkpoint this device accepted, and a proof of the account's newest record in
// that checkpoint's log. Nothing a search says is used otherwise.
//
// What is found wrong is raised as a KtAlert on the Client (and, for contacts, refuses the
// operation): the owner's devices watch their own record on every connect, so a device or
// key slipped in by the server is seen by the account's owner as well as by its contacts.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "client/detail/client_impl.h"
#include "kt/account_record.h"

namespace bulwark::client {

// How long a device's own new record may take to appear in the log before that is an alert.
inline constexpr std::chrono::minutes publication_grace{10};

// Fetches and saves the server's KT configuration (at registration), with the witnesses and
// quorum of `required` instead of the server's when given. Errc::invalid_argument for a
// witness key that does not parse or a quorum above the number of witnesses.
[[nodiscard]] Result<void> pin_kt_trust(Client::Impl& impl, const KtRequirements& required = {});

struct VerifiedKeys {
  kt::AccountRecord record;
  std::uint32_t version = 0;
  CheckpointInfo checkpoint;
};

// The account's newest record, proved against the pinned log and consistent with everything
// seen before. While the log has no record of the account yet (just registered), retries
// until `wait` has passed, then Errc::not_found. A proof or checkpoint that fails is
// Errc::invalid_proof / auth_failed, and raises a log_inconsistent alert when it contradicts
// what this device saw before.
[[nodiscard]] Result<VerifiedKeys> verify_account(Client::Impl& impl, ByteView account_id,
                                                  std::chrono::milliseconds wait);

// The server's served checkpoint, verified against the pinned log and checked to extend the
// last one this device accepted (a log_inconsistent alert when it does not); it becomes the
// accepted one. Needs no account: this is how a device checks the log when a search cannot be
// made (the server says the account is not there).
[[nodiscard]] Result<CheckpointInfo> verify_log_view(Client::Impl& impl);

// A contact's keys as the server gave them, checked against its verified record: the same
// identity key (else a key_mismatch alert and Errc::untrusted_identity) and only devices the
// record lists (else a ghost_device alert and Errc::untrusted_identity).
[[nodiscard]] Result<VerifiedKeys> verify_contact_keys(Client::Impl& impl, ByteView account_id,
                                                       std::string_view name,
                                                       ByteView identity_key,
                                                       const std::vector<std::uint32_t>& devices);

// Self-monitoring: compares the log's record of this account, and the server's device list,
// with the newest record this device made or accepted. Alerts go to impl.alerts and the report.
[[nodiscard]] Result<KeysReport> monitor_own_account(Client::Impl& impl);

// A record of `account` signed with its identity key: `devices` after `previous` (none: a
// chain start).
[[nodiscard]] Result<kt::AccountRecord> sign_record(const LocalAccount& account,
                                                    const kt::AccountRecord* previous,
                                                    std::vector<kt::DeviceEntry> devices,
                                                    std::int64_t now_ms, Rng& rng);

}  // namespace bulwark::client
