// Internal: what the MLS group files share (groups.cpp, group_identity.cpp, group_leaves.cpp,
// group_sending.cpp, group_receiving.cpp). docs/GROUPS.md "Client" explains the choices.
//
// Conventions every group operation follows:
//  - suite 1 (MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519); group ids are 32 random bytes;
//  - the epoch token the delivery service checks is MLS-Exporter("bulwark ds epoch token",
//    "", 32); the server stores its SHA-256 only;
//  - every message, proposal and commit this device sends carries the 16-byte fork check
//    SHA-256("bulwark-mls-fork-check-v1" || epoch_authenticator)[0..16] as its
//    authenticated_data;
//  - the group's name travels in the GroupContext as the private-use extension
//    group_name_extension, which every Bulwark leaf lists in its capabilities;
//  - an MLS_PROPOSAL envelope carries one or more MLSMessages back to back (a leave proposes
//    the removal of every device of its account at once, so that one commit takes them all).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/proto/api.pb.h"
#include "client/detail/client_impl.h"
#include "client/detail/proto_text.h"
#include "client/group_credential.h"
#include "client/group_store.h"
#include "client/group_types.h"
#include "protocol/mls/group/group.h"

namespace bulwark::client::detail {

namespace mls = protocol::mls;

inline constexpr std::uint16_t group_cipher_suite = 1;
inline constexpr auto group_name_extension = static_cast<mls::ExtensionType>(0xF0B1);
inline constexpr std::string_view epoch_token_label = "bulwark ds epoch token";
inline constexpr std::string_view fork_check_domain = "bulwark-mls-fork-check-v1";
inline constexpr std::size_t fork_check_bytes = 16;
inline constexpr std::size_t max_group_name_bytes = 64;
// KeyPackages: below the low water mark on the server, top up to the target.
inline constexpr std::uint32_t key_package_low_water = 20;
inline constexpr std::uint32_t key_package_target = 50;
// Proposals in one MLS_PROPOSAL envelope (a leave: one per device of an account).
inline constexpr std::size_t max_proposals_per_envelope = 64;

[[nodiscard]] const mls::CipherSuite& group_suite();
// default_capabilities() plus the group name extension.
[[nodiscard]] mls::Capabilities group_capabilities();

// ---- this device's MLS identity (group_identity.cpp) ----
struct GroupIdentity {
  crypto::Ed25519SecretKey signer;
  mls::Credential credential;
};
// The device's MLS signature key and credential, made and saved on first use.
[[nodiscard]] Result<GroupIdentity> group_identity(Client::Impl& impl);
// Tops up this device's KeyPackages on the server (one-time ones to key_package_target when
// under key_package_low_water, and a last-resort one when it has none). Private keys are
// saved before the upload.
[[nodiscard]] Result<void> replenish_key_packages(Client::Impl& impl);
// The stored KeyPackages as bundles for Group::join.
[[nodiscard]] Result<std::vector<mls::KeyPackageBundle>> stored_key_package_bundles(
    Client::Impl& impl);

// ---- leaves (group_leaves.cpp) ----
// A LeafAcceptor that checks each leaf's credential against its account's KT-verified record
// (client/group_credential.h); records are looked up once per acceptor. Refusals read
// "leaf N: <reason>".
[[nodiscard]] mls::GroupConfig group_config(Client::Impl& impl);
// The (account, device) a leaf's credential names; Errc::invalid_encoding when it does not
// parse.
[[nodiscard]] Result<MlsCredential> leaf_identity(const mls::Credential& credential);
// A member as shown to people: names from the contacts, `you` for this device's leaf.
[[nodiscard]] Result<GroupMember> member_view(Client::Impl& impl, const mls::Group& group,
                                              mls::LeafIndex leaf);
[[nodiscard]] Result<GroupMember> member_view(Client::Impl& impl, const mls::Credential& credential,
                                              mls::LeafIndex leaf, bool you);
[[nodiscard]] Result<std::vector<RosterChange>> roster_changes(
    Client::Impl& impl, const mls::Group& before, const std::vector<mls::RosterChange>& changes);
// Every member device but this one, for the delivery service.
[[nodiscard]] Result<std::vector<api::DeviceAddress>> other_member_devices(const mls::Group& group);

// ---- epoch values ----
[[nodiscard]] Result<SecretBytes> epoch_token(const mls::Group& group);
[[nodiscard]] Result<Bytes> epoch_token_hash(const mls::Group& group);
[[nodiscard]] Bytes fork_check(const mls::Group& group);
// SHA-256 of a commit as sent: what the per-group commit history keeps to tell a replay (the
// same commit again) from a fork (another commit for an epoch already left).
[[nodiscard]] Bytes commit_hash_of(ByteView commit);
[[nodiscard]] std::string group_name_of(const mls::Group& group);

// ---- the local copy of a group ----
struct LoadedGroup {
  StoredGroup row;
  mls::Group group;
};
// GROUP as the user names it (client/groups.h): a unique name, the id in hex, or a unique
// prefix of at least 8 hex digits. Errc::not_found, or Errc::conflict when ambiguous or closed.
[[nodiscard]] Result<Bytes> find_group_id(Client::Impl& impl, std::string_view group);
[[nodiscard]] Result<LoadedGroup> load_group(Client::Impl& impl, ByteView group_id);
// Saves `group` as the row's new state and epoch.
[[nodiscard]] Result<void> save_group_state(Client::Impl& impl, StoredGroup& row,
                                            const mls::Group& group);
[[nodiscard]] GroupSummary summary_of(const StoredGroup& row, const mls::Group& group);

// ---- sending (group_sending.cpp) ----
struct CommitPlan {
  std::vector<mls::KeyPackage> add;
  std::vector<api::DeviceAddress> add_devices;  // the Welcome's recipients
  std::vector<mls::LeafIndex> remove;
};
// Commits `plan` (plus pending proposals) and sends it; adopts the new epoch only when the
// server accepted it. On CONFLICT catches up (processes the queued commits) and, when
// `rebuild` gives a plan for the new epoch, tries once more. Errc::conflict when the group
// still moved on.
[[nodiscard]] Result<GroupUpdate> commit_and_send(
    Client::Impl& impl, ByteView group_id,
    const std::function<Result<CommitPlan>(const LoadedGroup&)>& rebuild);
// Encrypts with `make` (given the group at its current epoch, with no pending proposals: those
// are committed first) and sends it as `type` to every other member. On CONFLICT catches up and
// tries once more. Returns the epoch it went out in and the devices it was queued for.
[[nodiscard]] Result<GroupSendReceipt> send_to_group(
    Client::Impl& impl, ByteView group_id, api::EnvelopeType type,
    const std::function<Result<mls::Group::Sent>(const mls::Group&)>& make);
// Processes what the server queued for this device until the group reaches `epoch` (or the
// queue is quiet for the operation timeout): group envelopes are handled and acknowledged,
// anything else is kept for Client::receive (Client::Impl::deferred_pushes).
[[nodiscard]] Result<void> catch_up(Client::Impl& impl, ByteView group_id, std::uint64_t epoch);
// Reads everything the server queued for this device before this connection (up to its
// QueueEmpty marker) and every push already arrived since: group envelopes are handled and
// acknowledged, anything else is kept for Client::receive. A commit calls it first: the
// group's messages of the epoch it ends, still queued unread, could not be read after it.
[[nodiscard]] Result<void> take_queued(Client::Impl& impl);

// ---- a commit whose answer was lost (group_pending.cpp; docs/GROUPS.md "A lost answer") ----
// commit_and_send saves the state its commit leads to as the group's pending commit before
// sending it, and clears it once the server answered. A pending commit left behind (the
// connection dropped, the process died) is resolved here: the server is asked, with the
// pending state's epoch token, whether the group's next epoch is ours (a SendGroupMessage to
// nobody at epoch + 1). OK: the commit won, its state is adopted and its roster event shown.
// FORBIDDEN: another commit won (it is in this device's queue): the pending state is dropped.
// CONFLICT at the group's own epoch: the commit never arrived: dropped. CONFLICT further on:
// kept, for adopt_pending_commit_if_behind when the queue shows the next epoch. Network errors
// leave it in place.
[[nodiscard]] Result<void> resolve_pending_commit(Client::Impl& impl, ByteView group_id);
// Receiving an envelope of a later epoch than the group's while a commit for the group's epoch
// is pending proves that commit won: a commit of another member for that epoch would have been
// queued to this device first. Adopts it then; nothing otherwise.
[[nodiscard]] Result<void> adopt_pending_commit_if_behind(Client::Impl& impl, ByteView group_id,
                                                          std::uint64_t envelope_epoch);

// Tests only (tests/e2e/groups): where commit_and_send calls commit_test_hook() when it is set.
// An error the hook returns is returned by commit_and_send as if the connection had dropped
// there: before the request left, or after the server accepted the commit.
enum class CommitHookPoint { before_send, after_accepted };
using CommitTestHook = std::function<Result<void>(CommitHookPoint)>;
[[nodiscard]] CommitTestHook& commit_test_hook();

// ---- receiving (group_receiving.cpp) ----
[[nodiscard]] bool is_group_envelope(const api::Envelope& envelope);
// Handles one MLS envelope: the new state, its events and the envelope id are committed in one
// transaction. Errc::storage only (then leave it unacknowledged); everything refused becomes a
// problem or fork event. Returns the group id when proposals arrived that this device should
// commit now (a member left).
[[nodiscard]] Result<std::optional<Bytes>> handle_group_envelope(Client::Impl& impl,
                                                                 const api::Envelope& envelope);
// Commits the group's pending proposals (after handle_group_envelope asked for it) and records
// the roster event. A lost race is not an error: the winner's commit is on its way.
[[nodiscard]] Result<void> commit_pending_proposals(Client::Impl& impl, ByteView group_id);
// Events committed but not shown yet, oldest first; each is marked shown after `on_event`.
[[nodiscard]] Result<bool> show_group_events(
    Client::Impl& impl, const std::function<bool(const ReceiveEvent&)>& on_event);

}  // namespace bulwark::client::detail
