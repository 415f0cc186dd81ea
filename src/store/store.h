// Store: the server's persistence, behind one interface (DESIGN.md "Data the server holds").
// SQLite is the embedded default (store/sqlite_store.h), PostgreSQL the cluster's
// (store/pg_store.h); their SQL is written once (store/sql/) and their migrations are
// versioned. One conformance suite (tests/store/) runs against both.
//
// What is here is all the server may hold for messaging: accounts (random id, E.164 phone,
// optional username, identity public key), devices with their public keys, prekeys, queued
// ciphertext envelopes (at most 30 days), salted hashes of pending verification codes, a
// rolling window of recent IP addresses, and for MLS groups opaque KeyPackages and each group's
// id, epoch and epoch-token hash (store/group_store.h). Never plaintext, contact lists, group
// rosters or read state.
//
// Every method is one atomic unit: it either fully happens or leaves nothing behind. Errors:
// Errc::not_found, Errc::conflict, Errc::invalid_argument, Errc::storage (the database failed;
// nothing was changed). Callers serialise access: one Store object is used by one thread at a
// time (the server's store thread).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/cluster_store.h"
#include "store/group_store.h"
#include "store/lawful_store.h"
#include "store/moderation_records.h"
#include "store/records.h"

namespace bulwark::store {

// Lawful requests', MLS groups' and a cluster's coordination parts of the interface are in their
// own headers (store/lawful_store.h, store/group_store.h, store/cluster_store.h).
class Store : public LawfulStore, public GroupStore, public ClusterStore {
 public:
  ~Store() override = default;

  // ---- group commit ----
  // Runs `jobs` in order, each atomic: a job that returns an error is undone alone and the
  // others still commit. Returns one Result per job. SQLite runs them inside one transaction,
  // each in its own savepoint, and commits once (if that commit fails, every job gets its
  // error and nothing is stored): this is how the server makes many sends durable with one
  // fsync. PostgreSQL, shared by several nodes, commits each job on its own (a failed commit
  // fails that job alone), so no job's row locks are held while the others run; its
  // run_batch_unsynced + sync_commits still share one WAL flush among them. A batch run by a
  // job of another batch joins that job's transaction.
  using Job = std::function<Result<void>(Store&)>;
  [[nodiscard]] virtual std::vector<Result<void>> run_batch(std::span<Job> jobs) = 0;
  // run_batch without waiting for the disk: the commit is visible to later calls but durable
  // only once sync_commits() has returned. The server overlaps the two: its store thread runs
  // the next batch while another thread syncs, and one sync covers every batch committed
  // meanwhile, so a slow disk sync no longer holds up the statements queued behind it. A crash
  // before the sync loses a suffix of such commits, never part of one.
  [[nodiscard]] virtual std::vector<Result<void>> run_batch_unsynced(std::span<Job> jobs) = 0;
  // Whether a job may run twice. A re-runnable job, run again after its writes were rolled
  // back, leaves the store and whatever it captured as one run would (it assigns its outputs
  // rather than appending to them, and its only effects are on the store). Consecutive
  // re-runnable jobs of a batch share one savepoint, and the methods they call take none of
  // their own: savepoints cost more than a message's statements (a journal copy of every page
  // written under each). Should any of them fail, or any method they call, the group is rolled
  // back and its jobs run again each in its own savepoint, so the results are those of
  // run_batch_unsynced(jobs). `reruns` is empty (none) or one per job. A backend that runs
  // each job in a transaction of its own (PostgreSQL) has no savepoint to share: it ignores it.
  enum class JobRerun { never, allowed };
  [[nodiscard]] virtual std::vector<Result<void>> run_batch_unsynced(
      std::span<Job> jobs, std::span<const JobRerun> reruns) {
    static_cast<void>(reruns);
    return run_batch_unsynced(jobs);
  }
  // Makes every commit that returned before this call durable. Callable from a thread other
  // than the one running batches, one caller at a time; it does not touch what the others do.
  [[nodiscard]] virtual Result<void> sync_commits() = 0;
  // Whether a failed sync_commits() is the end: true when the backend cannot tell what a
  // later sync would prove (SQLite: the kernel may have dropped the pages it failed to write).
  // False for PostgreSQL, whose commits wait in its WAL and whose next successful sync proves
  // those made since; jobs waiting on the failed one still get Errc::unavailable.
  [[nodiscard]] virtual bool sync_failure_is_final() const noexcept { return true; }

  // ---- verification codes ----
  // Replaces any pending code for `phone`.
  [[nodiscard]] virtual Result<void> put_verification_code(const PendingCode& code) = 0;
  [[nodiscard]] virtual Result<std::optional<PendingCode>> verification_code(
      std::string_view phone) = 0;
  // Counts one failed attempt; returns the new count.
  [[nodiscard]] virtual Result<std::uint32_t> add_failed_attempt(std::string_view phone) = 0;
  [[nodiscard]] virtual Result<void> delete_verification_code(std::string_view phone) = 0;

  // ---- accounts and devices ----
  // Creates the account with `first_device` as device 1, or, when the phone is already
  // registered, keeps its account id (returned) and replaces identity key, devices, prekeys and
  // queued envelopes: a re-registration. Username and discoverability are reset.
  [[nodiscard]] virtual Result<AccountId> register_account(const NewAccount& account,
                                                           const NewDevice& first_device) = 0;
  [[nodiscard]] virtual Result<std::optional<Account>> account(const AccountId& id) = 0;
  [[nodiscard]] virtual Result<std::optional<Account>> account_by_phone(std::string_view e164) = 0;
  // `username` is already canonical (lower case); lookups compare exactly.
  [[nodiscard]] virtual Result<std::optional<Account>> account_by_username(
      std::string_view username) = 0;
  // Errc::conflict when another account holds it; an empty name clears it.
  [[nodiscard]] virtual Result<void> set_username(const AccountId& id, std::string_view username) = 0;
  [[nodiscard]] virtual Result<void> set_discoverable(const AccountId& id, bool discoverable) = 0;

  // Adds a device with the next free id (never reusing one of a removed device); returns it.
  [[nodiscard]] virtual Result<DeviceId> add_device(const AccountId& id, const NewDevice& device) = 0;
  [[nodiscard]] virtual Result<std::vector<Device>> devices(const AccountId& id) = 0;
  // Only what a send is checked against, in device order; not_found as devices().
  [[nodiscard]] virtual Result<std::vector<DeviceRegistration>> device_registrations(
      const AccountId& id) = 0;
  [[nodiscard]] virtual Result<std::optional<Device>> device(const AccountId& id, DeviceId device) = 0;

  // ---- prekeys ----
  [[nodiscard]] virtual Result<void> set_signed_pre_key(const DeviceAddress& device,
                                                        const SignedKey& key) = 0;
  [[nodiscard]] virtual Result<void> set_last_resort_kyber_pre_key(const DeviceAddress& device,
                                                                   const SignedKey& key) = 0;
  // Adds one-time keys; an id that is already stored is replaced.
  [[nodiscard]] virtual Result<void> add_pre_keys(const DeviceAddress& device,
                                                  std::span<const OneTimeKey> keys) = 0;
  [[nodiscard]] virtual Result<void> add_kyber_pre_keys(const DeviceAddress& device,
                                                        std::span<const SignedKey> keys) = 0;
  [[nodiscard]] virtual Result<PreKeyCounts> pre_key_counts(const DeviceAddress& device) = 0;
  // The device's bundle: its signed prekey; one one-time Kyber key, consumed, or the last-resort
  // key when none is left; one one-time EC key, consumed, when one is left. Consumption is
  // atomic: two callers never get the same one-time key. Errc::not_found for an unknown device.
  [[nodiscard]] virtual Result<PreKeyBundle> take_pre_key_bundle(const DeviceAddress& device) = 0;

  // ---- per-device queues ----
  // Stores every envelope or none. Each gets its device's next queue position (Envelope::seq):
  // positions increase per device, in commit order, and are never reused; two devices'
  // positions are unrelated.
  [[nodiscard]] virtual Result<void> enqueue(std::span<Envelope> envelopes) = 0;
  // Up to `limit` envelopes of the device with seq > after_seq, in seq order.
  [[nodiscard]] virtual Result<std::vector<Envelope>> queued(const DeviceAddress& device,
                                                             std::uint64_t after_seq,
                                                             std::uint32_t limit) = 0;
  [[nodiscard]] virtual Result<std::uint64_t> queue_length(const DeviceAddress& device) = 0;
  // Deletes the envelopes at these queue positions (Envelope::seq) from the device's queue;
  // positions not there, or holding another device's envelope, are ignored. Returns how many
  // were deleted. By position, not by id: the queue's primary key finds each one, so envelopes
  // need no index by id.
  [[nodiscard]] virtual Result<std::uint32_t> delete_envelopes(
      const DeviceAddress& device, std::span<const std::uint64_t> seqs) = 0;
  // Deletes every envelope whose expires_at_ms <= now_ms; returns how many.
  [[nodiscard]] virtual Result<std::uint64_t> expire_envelopes(std::int64_t now_ms) = 0;

  // ---- key transparency ----
  // Queues `value` as `label`'s next KT value (called in the same batch as the account change
  // it publishes, so the two are stored together or not at all). Returns its queue position.
  [[nodiscard]] virtual Result<std::uint64_t> kt_queue_update(ByteView label, ByteView value) = 0;
  // Up to `limit` queued updates with seq > after_seq, in seq order.
  [[nodiscard]] virtual Result<std::vector<KtPendingUpdate>> kt_pending(std::uint64_t after_seq,
                                                                        std::uint32_t limit) = 0;
  // The label's newest value: its last queued update if any, else its last published version.
  [[nodiscard]] virtual Result<std::optional<Bytes>> kt_latest_value(ByteView label) = 0;
  // Stores the next log entry (entry.index must be the number of entries stored: else
  // Errc::conflict), the versions it published, and removes the queued updates with
  // seq <= consumed_through. All or nothing.
  [[nodiscard]] virtual Result<void> kt_publish(const KtEntry& entry,
                                                std::span<const KtVersion> versions,
                                                std::uint64_t consumed_through) = 0;
  // Up to `limit` entries with index >= from, in order.
  [[nodiscard]] virtual Result<std::vector<KtEntry>> kt_entries(std::uint64_t from,
                                                                std::uint32_t limit) = 0;
  // Up to `limit` versions published by entries >= from_entry, ordered by entry and then by
  // the order kt_publish received them; `skip` versions of from_entry are passed over (paging
  // through one large entry).
  [[nodiscard]] virtual Result<std::vector<KtVersion>> kt_versions(std::uint64_t from_entry,
                                                                   std::uint64_t skip,
                                                                   std::uint32_t limit) = 0;
  // Stores a witness's cosignature, replacing any earlier one of that witness for that size.
  [[nodiscard]] virtual Result<void> kt_add_cosignature(const KtCosignature& cosignature) = 0;
  // Every stored cosignature of the checkpoint of `size`, ordered by witness name.
  [[nodiscard]] virtual Result<std::vector<KtCosignature>> kt_cosignatures(std::uint64_t size) = 0;

  // ---- channels ----
  // A channel's log is stored once, however many subscribe (one row per entry).
  // Creates the channel with its CREATE entry as seq 1 (last_seq 1, no subscribers).
  // Errc::conflict when the handle or the id is taken.
  [[nodiscard]] virtual Result<void> create_channel(const Channel& channel) = 0;
  [[nodiscard]] virtual Result<std::optional<Channel>> channel_by_handle(
      std::string_view handle) = 0;
  [[nodiscard]] virtual Result<std::optional<Channel>> channel(const ChannelId& id) = 0;
  // Appends `entry`, which must carry seq = last_seq + 1 (else Errc::conflict), and applies it:
  // an EDIT sets its target's edited_by; a REMOVE sets deleted_by on its target and on the
  // target's edits, and erases their entry bytes (a removed post is gone from the store, not
  // hidden). Errc::not_found for an unknown channel.
  [[nodiscard]] virtual Result<void> append_channel_entry(const ChannelId& id,
                                                          const ChannelEntry& entry) = 0;
  // Up to `limit` entries with seq > after, in seq order.
  [[nodiscard]] virtual Result<std::vector<ChannelEntry>> channel_entries(
      const ChannelId& id, std::uint64_t after, std::uint32_t limit) = 0;
  [[nodiscard]] virtual Result<std::optional<ChannelEntry>> channel_entry(const ChannelId& id,
                                                                         std::uint64_t seq) = 0;
  // The newest `limit` POST entries with seq < before (removed ones included, with empty
  // bytes), in seq order: a page of the web preview.
  [[nodiscard]] virtual Result<std::vector<ChannelEntry>> channel_posts_before(
      const ChannelId& id, std::uint64_t before, std::uint32_t limit) = 0;
  // The seqs of the first `limit` (max_channel_page) POST entries with seq >= from, in order:
  // where the web preview's newer pages start, however many other entries lie between.
  [[nodiscard]] virtual Result<std::vector<std::uint64_t>> channel_post_seqs_from(
      const ChannelId& id, std::uint64_t from, std::uint32_t limit) = 0;
  // Every ADMIN_ADD / ADMIN_REMOVE entry, in seq order.
  [[nodiscard]] virtual Result<std::vector<ChannelEntry>> channel_admin_entries(
      const ChannelId& id) = 0;
  // Replaces a post's view sketch. Errc::not_found unless the entry exists.
  [[nodiscard]] virtual Result<void> set_channel_views(const ChannelId& id, std::uint64_t seq,
                                                       ByteView sketch) = 0;
  // Subscribes (true) or does nothing when already subscribed (false); keeps the channel's
  // subscriber count. Errc::not_found for an unknown channel.
  [[nodiscard]] virtual Result<bool> subscribe(const AccountId& account, const ChannelId& id,
                                               std::int64_t now_ms) = 0;
  // Unsubscribes (true) or does nothing when not subscribed (false).
  [[nodiscard]] virtual Result<bool> unsubscribe(const AccountId& account,
                                                 const ChannelId& id) = 0;
  [[nodiscard]] virtual Result<bool> is_subscribed(const AccountId& account,
                                                   const ChannelId& id) = 0;
  // The account's subscriptions, at most `limit`, ordered by channel id.
  [[nodiscard]] virtual Result<std::vector<Channel>> subscriptions(const AccountId& account,
                                                                   std::uint32_t limit) = 0;

  // ---- public-content moderation (store/moderation_records.h, docs/MODERATION.md) ----
  // Adds a report to the target's active (open or appealed) case, or opens a case. A reporter
  // counts once per case: a second report from them changes nothing (counted = false).
  [[nodiscard]] virtual Result<ReportOutcome> report_content(const NewReport& report) = 0;
  // Opens a case for the post a rule matched (or joins its active case), hiding the post at
  // once when `hide`. Returns the case id.
  [[nodiscard]] virtual Result<std::uint64_t> open_rule_case(const NewRuleMatch& match) = 0;
  // Opens a case for a verified report from an encrypted chat, or - when the same message (its
  // franking tag) was reported before - returns that case (new_case and counted false).
  [[nodiscard]] virtual Result<ReportOutcome> open_message_case(const NewMessageCase& report) = 0;
  [[nodiscard]] virtual Result<std::optional<ModerationCase>> moderation_case(std::uint64_t id) = 0;
  // Open and appealed cases, oldest first, at most `limit` (max_moderation_page); an appealed
  // case whose appealed decision was made under `moderator_key` (32 bytes) is left out.
  [[nodiscard]] virtual Result<std::vector<ModerationCase>> moderation_queue(
      ByteView moderator_key, std::uint32_t limit) = 0;
  // The case's reports, oldest first, at most `limit` (max_moderation_page).
  [[nodiscard]] virtual Result<std::vector<ModerationReport>> moderation_reports(
      std::uint64_t case_id, std::uint32_t limit) = 0;
  // The hash of the log's last entry; 32 zero bytes for an empty log.
  [[nodiscard]] virtual Result<Bytes> moderation_log_head() = 0;
  // Appends a moderator's action (entry.prev_hash must be the head: else Errc::conflict) and
  // applies it to its case: on an open case remove_post (post cases), restrict_channel (post or
  // channel cases) and suspend_account hide, restrict or suspend and decide the case; dismiss
  // closes it (and lifts a rule's hide). On an appealed case reinstate lifts the case's effects
  // and dismiss upholds them; both close it, and the moderator who made the appealed decision
  // is refused (Errc::conflict). Anything else is Errc::conflict; an unknown case
  // Errc::not_found. Returns the entry's seq.
  [[nodiscard]] virtual Result<std::uint64_t> append_moderation_action(
      const ModerationLogEntry& entry) = 0;
  // Log entries with seq > after, in order, at most `limit` (max_moderation_page).
  [[nodiscard]] virtual Result<std::vector<ModerationLogEntry>> moderation_log(
      std::uint64_t after, std::uint32_t limit) = 0;
  // The newest log entries affecting `account`, newest first, and the cases a rule hid of its
  // posts; at most `limit` (max_moderation_page) each.
  [[nodiscard]] virtual Result<std::vector<ModerationLogEntry>> moderation_log_for_account(
      const AccountId& account, std::uint32_t limit) = 0;
  [[nodiscard]] virtual Result<std::vector<ModerationCase>> rule_hidden_cases(
      const AccountId& account, std::uint32_t limit) = 0;
  // The account appeals the case: it must be the case's affected account (else
  // Errc::not_found), the case decided, or open and hidden by a rule, and not appealed before
  // (else Errc::conflict). The case goes back to the queue.
  [[nodiscard]] virtual Result<void> appeal_case(std::uint64_t case_id, const AccountId& appellant,
                                                 std::string_view text, std::int64_t now_ms) = 0;
  // The channel's posts with from <= seq <= through hidden by moderation, in seq order.
  [[nodiscard]] virtual Result<std::vector<HiddenPost>> hidden_posts(const ChannelId& channel,
                                                                     std::uint64_t from,
                                                                     std::uint64_t through) = 0;
  [[nodiscard]] virtual Result<std::optional<ModerationEffect>> channel_restriction(
      const ChannelId& channel) = 0;
  [[nodiscard]] virtual Result<std::optional<ModerationEffect>> account_suspension(
      const AccountId& account) = 0;
  // The public report's counts, newest month first, at most max_moderation_counts lines.
  [[nodiscard]] virtual Result<std::vector<ModerationCount>> moderation_counts() = 0;

  // ---- recent IP addresses ----
  // Records that `account` was seen from `ip` at `seen_at_ms` (one row per account and address,
  // keeping the first and last time seen).
  [[nodiscard]] virtual Result<void> record_ip(const AccountId& id, std::string_view ip,
                                               std::int64_t seen_at_ms) = 0;
  [[nodiscard]] virtual Result<std::vector<IpSighting>> recent_ips(const AccountId& id) = 0;
  // Deletes every sighting last seen before `before_ms`; returns how many.
  [[nodiscard]] virtual Result<std::uint64_t> prune_ips(std::int64_t before_ms) = 0;
};

}  // namespace bulwark::store
