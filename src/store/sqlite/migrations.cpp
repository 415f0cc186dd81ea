#include "store/sqlite/migrations.h"

#include <array>
#include <string>

namespace bulwark::store::sqlite {
namespace {

// Version 1: accounts, devices with their signed keys, one-time prekeys, queues, verification
// codes and IP sightings. Ids are 16-byte blobs; 32-bit protocol ids and millisecond times are
// BIGINT; booleans are INTEGER 0/1.
constexpr std::array<std::string_view, 13> version_1{
    R"(CREATE TABLE accounts (
         id BLOB NOT NULL PRIMARY KEY,
         phone TEXT NOT NULL UNIQUE,
         username TEXT UNIQUE,
         identity_key BLOB NOT NULL,
         discoverable INTEGER NOT NULL,
         created_at_ms BIGINT NOT NULL,
         next_device_id BIGINT NOT NULL))",
    // The signed prekey and last-resort Kyber key are one per device, so they live in its row.
    R"(CREATE TABLE devices (
         account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
         device_id BIGINT NOT NULL,
         registration_id BIGINT NOT NULL,
         auth_key BLOB NOT NULL,
         name TEXT NOT NULL,
         created_at_ms BIGINT NOT NULL,
         signed_pre_key_id BIGINT NOT NULL,
         signed_pre_key BLOB NOT NULL,
         signed_pre_key_signature BLOB NOT NULL,
         kyber_last_resort_id BIGINT NOT NULL,
         kyber_last_resort_key BLOB NOT NULL,
         kyber_last_resort_signature BLOB NOT NULL,
         PRIMARY KEY (account_id, device_id)))",
    R"(CREATE TABLE pre_keys (
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         key_id BIGINT NOT NULL,
         public_key BLOB NOT NULL,
         PRIMARY KEY (account_id, device_id, key_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(CREATE TABLE kyber_pre_keys (
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         key_id BIGINT NOT NULL,
         public_key BLOB NOT NULL,
         signature BLOB NOT NULL,
         PRIMARY KEY (account_id, device_id, key_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    // Queue positions come from the counter below, never from the table: SQLite would hand
    // out max(seq)+1 again after the newest envelope is deleted, and a client paging with
    // after_seq would then skip the new one. (INTEGER PRIMARY KEY is SQLite's rowid alias, here
    // always given explicitly; PostgreSQL: seq BIGINT PRIMARY KEY fed by a SEQUENCE.)
    R"(CREATE TABLE envelopes (
         seq INTEGER NOT NULL PRIMARY KEY,
         id BLOB NOT NULL,
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         source_account BLOB NOT NULL,
         source_device BIGINT NOT NULL,
         envelope_type BIGINT NOT NULL,
         content BLOB NOT NULL,
         server_timestamp_ms BIGINT NOT NULL,
         client_timestamp_ms BIGINT NOT NULL,
         expires_at_ms BIGINT NOT NULL,
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    "CREATE UNIQUE INDEX envelopes_by_id ON envelopes (account_id, device_id, id)",
    "CREATE INDEX envelopes_by_queue ON envelopes (account_id, device_id, seq)",
    "CREATE INDEX envelopes_by_expiry ON envelopes (expires_at_ms)",
    "CREATE TABLE counters (name TEXT NOT NULL PRIMARY KEY, value BIGINT NOT NULL)",
    "INSERT INTO counters (name, value) VALUES ('envelope_seq', 0)",
    R"(CREATE TABLE verification_codes (
         phone TEXT NOT NULL PRIMARY KEY,
         code_hash BLOB NOT NULL,
         salt BLOB NOT NULL,
         created_at_ms BIGINT NOT NULL,
         expires_at_ms BIGINT NOT NULL,
         failed_attempts BIGINT NOT NULL))",
    R"(CREATE TABLE ip_sightings (
         account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
         ip TEXT NOT NULL,
         first_seen_ms BIGINT NOT NULL,
         last_seen_ms BIGINT NOT NULL,
         PRIMARY KEY (account_id, ip)))",
    "CREATE INDEX ip_sightings_by_last_seen ON ip_sightings (last_seen_ms)",
};

// Version 2: acknowledged envelopes are deleted by queue position (the primary key), so the
// index by id went: it cost every enqueue and every delete one more random page write.
constexpr std::array<std::string_view, 1> version_2{
    "DROP INDEX envelopes_by_id",
};

// Version 3: key transparency (docs/KEY-TRANSPARENCY.md). Updates queued for the next log
// entry, the entries with their signed checkpoints, the versions each entry published (what a
// restart replays) and witness cosignatures. Hashes are 32-byte blobs, openings 16.
constexpr std::array<std::string_view, 7> version_3{
    // Queue positions come from a counter, as the envelopes' do (version 1): kt_publish deletes
    // the newest updates, and a position must never be handed out again.
    R"(CREATE TABLE kt_pending (
         seq INTEGER NOT NULL PRIMARY KEY,
         label BLOB NOT NULL,
         value BLOB NOT NULL))",
    // kt_latest_value: a label's newest queued update.
    "CREATE INDEX kt_pending_by_label ON kt_pending (label, seq)",
    "INSERT INTO counters (name, value) VALUES ('kt_seq', 0)",
    // idx is the log position, 0, 1, 2, ... (the rowid alias in SQLite; BIGINT in PostgreSQL).
    R"(CREATE TABLE kt_entries (
         idx INTEGER NOT NULL PRIMARY KEY,
         timestamp_ms BIGINT NOT NULL,
         prefix_root BLOB NOT NULL,
         checkpoint TEXT NOT NULL))",
    // ord is the version's position within its entry, in the order kt_publish received them:
    // restore replays them in that order.
    R"(CREATE TABLE kt_versions (
         entry BIGINT NOT NULL REFERENCES kt_entries (idx),
         ord BIGINT NOT NULL,
         label BLOB NOT NULL,
         version BIGINT NOT NULL,
         opening BLOB NOT NULL,
         value BLOB NOT NULL,
         vrf_output BLOB NOT NULL,
         commitment BLOB NOT NULL,
         PRIMARY KEY (entry, ord)))",
    // A version is published once; also kt_latest_value's lookup of a label's newest version.
    "CREATE UNIQUE INDEX kt_versions_by_label ON kt_versions (label, version)",
    R"(CREATE TABLE kt_cosignatures (
         size BIGINT NOT NULL,
         witness TEXT NOT NULL,
         signature_line TEXT NOT NULL,
         received_at_ms BIGINT NOT NULL,
         PRIMARY KEY (size, witness)))",
};

// Version 4: channels (docs/CHANNELS.md). One row per channel, one per log entry (never a copy
// per subscriber), one per subscription. Entries keep the signed bytes as they came.
constexpr std::array<std::string_view, 5> version_4{
    R"(CREATE TABLE channels (
         id BLOB NOT NULL PRIMARY KEY,
         handle TEXT NOT NULL UNIQUE,
         owner BLOB NOT NULL,
         channel_key BLOB NOT NULL,
         is_private INTEGER NOT NULL,
         invite_hash BLOB NOT NULL,
         create_entry BLOB NOT NULL,
         created_ms BIGINT NOT NULL,
         last_seq BIGINT NOT NULL,
         subscribers BIGINT NOT NULL))",
    // edited_by / deleted_by: what later entries did to this one, so that a page of posts needs
    // no scan of the rest of the log. views: the post's view sketch (channel/view_sketch.h).
    R"(CREATE TABLE channel_entries (
         channel BLOB NOT NULL,
         seq BIGINT NOT NULL,
         kind INTEGER NOT NULL,
         target BIGINT NOT NULL,
         entry BLOB NOT NULL,
         edited_by BIGINT NOT NULL,
         deleted_by BIGINT NOT NULL,
         views BLOB NOT NULL,
         server_time_ms BIGINT NOT NULL,
         PRIMARY KEY (channel, seq)) WITHOUT ROWID)",
    // The web preview's pages of posts and every client's admin entries.
    "CREATE INDEX channel_entries_by_kind ON channel_entries (channel, kind, seq)",
    R"(CREATE TABLE channel_subscriptions (
         account BLOB NOT NULL,
         channel BLOB NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (account, channel)) WITHOUT ROWID)",
    "CREATE INDEX channel_subscriptions_by_channel ON channel_subscriptions (channel, account)",
};

// Version 5: the channel log keyed by one integer, log_number << 32 | seq, in a rowid table.
// Version 4's WITHOUT ROWID table kept rows in index pages, whose cells hold at most about
// 1,000 bytes: every post of 1 KiB or more spilled into an overflow page of its own, mostly
// empty (74% of the file unused, 4.7 KB per 1.2 KB entry), and a read touched two pages per
// entry. A table leaf holds cells up to about 4 KB, so entries sit inline, two or three to a
// page, and one channel's entries are neighbours in key order: a catch-up reads them in order.
constexpr std::array<std::string_view, 7> version_5{
    "ALTER TABLE channels ADD COLUMN log_number BIGINT NOT NULL DEFAULT 0",
    "UPDATE channels SET log_number = rowid",
    "CREATE UNIQUE INDEX channels_by_log_number ON channels (log_number)",
    R"(CREATE TABLE channel_log (
         key INTEGER PRIMARY KEY,
         kind INTEGER NOT NULL,
         target BIGINT NOT NULL,
         edited_by BIGINT NOT NULL,
         deleted_by BIGINT NOT NULL,
         server_time_ms BIGINT NOT NULL,
         entry BLOB NOT NULL,
         views BLOB NOT NULL))",
    R"(INSERT INTO channel_log (key, kind, target, edited_by, deleted_by, server_time_ms, entry,
                                views)
         SELECT (c.log_number << 32) | e.seq, e.kind, e.target, e.edited_by, e.deleted_by,
                e.server_time_ms, e.entry, e.views
         FROM channel_entries e JOIN channels c ON c.id = e.channel ORDER BY 1)",
    "DROP TABLE channel_entries",
    // The web preview's pages of posts and every client's admin entries (a key range per
    // channel within one kind).
    "CREATE INDEX channel_log_by_kind ON channel_log (kind, key)",
};

// Version 6: public-content moderation (store/moderation_records.h, docs/MODERATION.md).
// Cases (one per reported post or channel while active; a message case per franked report),
// reports (one per case and reporter), appeals (one per case), the moderation log (append-only:
// triggers refuse UPDATE and DELETE, and each row names the hash of the row before, a chain
// the server verifies when it appends) and the effects in force. Months (YYYY-MM, UTC) are
// stored with the rows the public report counts, so that counting needs no date functions.
constexpr std::array<std::string_view, 18> version_6{
    R"(CREATE TABLE moderation_cases (
         id INTEGER NOT NULL PRIMARY KEY,
         target INTEGER NOT NULL,
         channel BLOB NOT NULL,
         seq BIGINT NOT NULL,
         account BLOB NOT NULL,
         state INTEGER NOT NULL,
         category INTEGER NOT NULL,
         rule TEXT NOT NULL,
         rule_hidden INTEGER NOT NULL,
         evidence BLOB NOT NULL,
         opened_ms BIGINT NOT NULL,
         opened_month TEXT NOT NULL,
         updated_ms BIGINT NOT NULL,
         decided_by TEXT NOT NULL,
         last_action INTEGER NOT NULL))",
    "CREATE INDEX moderation_cases_by_target ON moderation_cases (target, channel, seq, state)",
    "CREATE INDEX moderation_cases_by_state ON moderation_cases (state, id)",
    "CREATE INDEX moderation_cases_by_account ON moderation_cases (account, id)",
    R"(CREATE TABLE moderation_reports (
         case_id BIGINT NOT NULL REFERENCES moderation_cases (id),
         reporter BLOB NOT NULL,
         category INTEGER NOT NULL,
         comment TEXT NOT NULL,
         created_ms BIGINT NOT NULL,
         month TEXT NOT NULL,
         PRIMARY KEY (case_id, reporter)))",
    R"(CREATE TABLE moderation_appeals (
         case_id BIGINT NOT NULL PRIMARY KEY REFERENCES moderation_cases (id),
         appellant BLOB NOT NULL,
         text TEXT NOT NULL,
         created_ms BIGINT NOT NULL,
         excluded_moderator TEXT NOT NULL))",
    R"(CREATE TABLE moderation_log (
         seq INTEGER NOT NULL PRIMARY KEY,
         case_id BIGINT NOT NULL REFERENCES moderation_cases (id),
         action INTEGER NOT NULL,
         account BLOB NOT NULL,
         category INTEGER NOT NULL,
         moderator TEXT NOT NULL,
         reason TEXT NOT NULL,
         created_ms BIGINT NOT NULL,
         month TEXT NOT NULL,
         record BLOB NOT NULL,
         signature BLOB NOT NULL,
         prev_hash BLOB NOT NULL,
         hash BLOB NOT NULL))",
    "CREATE INDEX moderation_log_by_account ON moderation_log (account, seq)",
    R"(CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
         BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END)",
    R"(CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
         BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END)",
    R"(CREATE TABLE moderation_hidden_posts (
         channel BLOB NOT NULL,
         seq BIGINT NOT NULL,
         case_id BIGINT NOT NULL,
         reason TEXT NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (channel, seq, case_id)))",
    // An effect is in force while any case imposing it stands: one row per (target, case), so
    // that reinstating one case on appeal never lifts what another case imposed.
    R"(CREATE TABLE moderation_restricted_channels (
         channel BLOB NOT NULL,
         case_id BIGINT NOT NULL,
         reason TEXT NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (channel, case_id)))",
    R"(CREATE TABLE moderation_suspended_accounts (
         account BLOB NOT NULL,
         case_id BIGINT NOT NULL,
         reason TEXT NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (account, case_id)))",
    // One case per reported encrypted message, by its franking tag.
    R"(CREATE TABLE moderation_message_reports (
         tag BLOB NOT NULL PRIMARY KEY,
         case_id BIGINT NOT NULL REFERENCES moderation_cases (id)))",
    "CREATE INDEX moderation_hidden_posts_by_case ON moderation_hidden_posts (case_id)",
    "CREATE INDEX moderation_restricted_channels_by_case ON moderation_restricted_channels (case_id)",
    "CREATE INDEX moderation_suspended_accounts_by_case ON moderation_suspended_accounts (case_id)",
    // Rule matches and reports are counted by month and category for the public report.
    "CREATE INDEX moderation_reports_by_month ON moderation_reports (month, category)",
};

// Version 7: message franking (docs/FRANKING.md). A queued envelope keeps the sender's tag
// until its device takes it (the server stamps it then); an empty blob for envelopes from
// before.
constexpr std::array<std::string_view, 1> version_7{
    "ALTER TABLE envelopes ADD COLUMN franking_tag BLOB NOT NULL DEFAULT x''",
};

// Version 8: moderators are told apart by key, not by name (a renamed moderator must not
// decide an appeal against their own decision), and the public report is kept as running
// totals instead of three GROUP BYs per request.
//
// Log rows gain their moderator's key. Rows already there take it from their signed record,
// which holds u8 len name | name | 32 key at byte 60 (1-based), the name being the row's
// moderator (the server checked both when it appended the row). The append-only triggers are
// lifted for that one UPDATE, inside this migration's transaction, and put back.
//
// moderation_monthly_counts holds, per UTC month, the count of reports per category (kind 1),
// of cases a rule matched per category (kind 2) and of logged actions per action and category
// (kind 3); for kinds 1 and 2, code is the category. Triggers keep it equal to counting the
// tables, in the same transaction as the row they count: no write path can forget it.
constexpr std::array<std::string_view, 17> version_8{
    "DROP TRIGGER moderation_log_no_update",
    "ALTER TABLE moderation_log ADD COLUMN moderator_key BLOB NOT NULL DEFAULT x''",
    R"(UPDATE moderation_log SET moderator_key =
         substr(record, 61 + length(CAST(moderator AS BLOB)), 32))",
    R"(CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
         BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END)",
    // Hidden posts' holds join the log by case (hidden_posts), as does the backfill below.
    "CREATE INDEX moderation_log_by_case ON moderation_log (case_id, action)",
    "ALTER TABLE moderation_cases ADD COLUMN decided_by_key BLOB NOT NULL DEFAULT x''",
    "ALTER TABLE moderation_appeals ADD COLUMN excluded_key BLOB NOT NULL DEFAULT x''",
    R"(UPDATE moderation_cases SET decided_by_key = COALESCE((
         SELECT l.moderator_key FROM moderation_log l WHERE l.case_id = moderation_cases.id AND
         l.moderator = moderation_cases.decided_by ORDER BY l.seq DESC LIMIT 1), x'')
       WHERE decided_by <> '')",
    R"(UPDATE moderation_appeals SET excluded_key = (
         SELECT c.decided_by_key FROM moderation_cases c WHERE c.id = moderation_appeals.case_id)
       WHERE excluded_moderator <> '')",
    R"(CREATE TABLE moderation_monthly_counts (
         month TEXT NOT NULL,
         kind INTEGER NOT NULL,
         code INTEGER NOT NULL,
         category INTEGER NOT NULL,
         count BIGINT NOT NULL,
         PRIMARY KEY (month, kind, code, category)))",
    R"(INSERT INTO moderation_monthly_counts (month, kind, code, category, count)
         SELECT month, 1, category, category, COUNT(*) FROM moderation_reports
         GROUP BY month, category)",
    R"(INSERT INTO moderation_monthly_counts (month, kind, code, category, count)
         SELECT opened_month, 2, category, category, COUNT(*) FROM moderation_cases
         WHERE rule <> '' GROUP BY opened_month, category)",
    R"(INSERT INTO moderation_monthly_counts (month, kind, code, category, count)
         SELECT month, 3, action, category, COUNT(*) FROM moderation_log
         GROUP BY month, action, category)",
    R"(CREATE TRIGGER moderation_reports_counted AFTER INSERT ON moderation_reports
         BEGIN
           INSERT INTO moderation_monthly_counts (month, kind, code, category, count)
             VALUES (NEW.month, 1, NEW.category, NEW.category, 1)
             ON CONFLICT (month, kind, code, category) DO UPDATE SET count = count + 1;
         END)",
    R"(CREATE TRIGGER moderation_rule_cases_counted AFTER INSERT ON moderation_cases
         WHEN NEW.rule <> ''
         BEGIN
           INSERT INTO moderation_monthly_counts (month, kind, code, category, count)
             VALUES (NEW.opened_month, 2, NEW.category, NEW.category, 1)
             ON CONFLICT (month, kind, code, category) DO UPDATE SET count = count + 1;
         END)",
    // A case a report opened that a rule then matched (its rule was '').
    R"(CREATE TRIGGER moderation_rule_matches_counted AFTER UPDATE OF rule ON moderation_cases
         WHEN OLD.rule = '' AND NEW.rule <> ''
         BEGIN
           INSERT INTO moderation_monthly_counts (month, kind, code, category, count)
             VALUES (NEW.opened_month, 2, NEW.category, NEW.category, 1)
             ON CONFLICT (month, kind, code, category) DO UPDATE SET count = count + 1;
         END)",
    R"(CREATE TRIGGER moderation_actions_counted AFTER INSERT ON moderation_log
         BEGIN
           INSERT INTO moderation_monthly_counts (month, kind, code, category, count)
             VALUES (NEW.month, 3, NEW.action, NEW.category, 1)
             ON CONFLICT (month, kind, code, category) DO UPDATE SET count = count + 1;
         END)",
};

// Version 9: lawful requests (store/lawful_store.h, issue 8). Authorities with their PEM texts
// (one row each, by kind and position, so the store never encodes a list), the verified orders
// (one per authority and order id: a replay is refused by the UNIQUE), each operator's signed
// decision on an order, the disclosure log (append-only: triggers refuse UPDATE and DELETE, as
// for the moderation log), witness cosignatures of its checkpoints, and the salts that let an
// account find its own entry once the order's non-disclosure period ends. Hashes, keys and
// salts are 32-byte blobs, signatures 64 (a CMS signature is DER of any size).
constexpr std::array<std::string_view, 11> version_9{
    R"(CREATE TABLE lawful_authorities (
         name TEXT NOT NULL PRIMARY KEY,
         jurisdiction TEXT NOT NULL,
         updated_ms BIGINT NOT NULL))",
    // kind: 1 anchor, 2 intermediate, 3 CRL; position keeps each list's order.
    R"(CREATE TABLE lawful_authority_pems (
         authority TEXT NOT NULL REFERENCES lawful_authorities (name) ON DELETE CASCADE,
         kind INTEGER NOT NULL,
         position BIGINT NOT NULL,
         pem TEXT NOT NULL,
         PRIMARY KEY (authority, kind, position)))",
    // id: assigned on insert, from 1 (the rowid alias in SQLite; PostgreSQL: BIGINT fed by a
    // SEQUENCE). answer_index is NULL until the order's answer is logged.
    R"(CREATE TABLE lawful_orders (
         id INTEGER NOT NULL PRIMARY KEY,
         authority TEXT NOT NULL,
         order_id TEXT NOT NULL,
         jurisdiction TEXT NOT NULL,
         order_hash BLOB NOT NULL,
         document BLOB NOT NULL,
         signature BLOB NOT NULL,
         state INTEGER NOT NULL,
         received_ms BIGINT NOT NULL,
         non_disclosure_until_ms BIGINT NOT NULL,
         answer_index BIGINT,
         UNIQUE (authority, order_id)))",
    // position: the decision's place among its order's, in the order they were stored.
    R"(CREATE TABLE lawful_decisions (
         order_id BIGINT NOT NULL REFERENCES lawful_orders (id),
         operator_name TEXT NOT NULL,
         position BIGINT NOT NULL,
         operator_key BLOB NOT NULL,
         kind INTEGER NOT NULL,
         signature BLOB NOT NULL,
         reason TEXT NOT NULL,
         time_ms BIGINT NOT NULL,
         PRIMARY KEY (order_id, operator_name)))",
    "CREATE UNIQUE INDEX lawful_decisions_by_position ON lawful_decisions (order_id, position)",
    // idx is the log position, 0, 1, 2, ... as in kt_entries (version 3).
    R"(CREATE TABLE lawful_log (
         idx INTEGER NOT NULL PRIMARY KEY,
         entry BLOB NOT NULL,
         leaf_hash BLOB NOT NULL,
         checkpoint TEXT NOT NULL))",
    R"(CREATE TRIGGER lawful_log_no_update BEFORE UPDATE ON lawful_log
         BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END)",
    R"(CREATE TRIGGER lawful_log_no_delete BEFORE DELETE ON lawful_log
         BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END)",
    R"(CREATE TABLE lawful_cosignatures (
         size BIGINT NOT NULL,
         witness TEXT NOT NULL,
         signature_line TEXT NOT NULL,
         received_at_ms BIGINT NOT NULL,
         PRIMARY KEY (size, witness)))",
    R"(CREATE TABLE lawful_disclosures (
         order_id BIGINT NOT NULL REFERENCES lawful_orders (id),
         account_id BLOB NOT NULL,
         salt BLOB NOT NULL,
         log_index BIGINT NOT NULL,
         non_disclosure_until_ms BIGINT NOT NULL,
         PRIMARY KEY (order_id, account_id)))",
    // lawful_disclosures_for: an account's rows, newest log entry first, the time filter read
    // from the index itself.
    R"(CREATE INDEX lawful_disclosures_by_account
         ON lawful_disclosures (account_id, log_index, order_id, non_disclosure_until_ms))",
};

// Version 10: MLS groups' delivery service (store/group_store.h, docs/GROUPS.md). One-time
// KeyPackages (one row each, handed out in upload order: `id` is the order, the rowid alias;
// `digest`, SHA-256 of the bytes, keeps a device's copy of a package single), each device's
// last-resort KeyPackage, and per group only its id, epoch and token hash: no member list.
// Group messages go into the envelopes table, whose rows gain the group id and epoch; the bytes
// of a message sent to many devices are stored once in shared_contents, which every copy names
// (its own content then x''). A trigger deletes those bytes with the last envelope naming them,
// whichever path deletes it (an acknowledgement, expiry, a device's re-registration); the
// partial index serves that check and costs 1:1 envelopes nothing.
constexpr std::array<std::string_view, 11> version_10{
    R"(CREATE TABLE key_packages (
         id INTEGER NOT NULL PRIMARY KEY,
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         digest BLOB NOT NULL,
         key_package BLOB NOT NULL,
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    "CREATE UNIQUE INDEX key_packages_by_digest ON key_packages (account_id, device_id, digest)",
    "CREATE INDEX key_packages_in_order ON key_packages (account_id, device_id, id)",
    R"(CREATE TABLE last_resort_key_packages (
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         key_package BLOB NOT NULL,
         PRIMARY KEY (account_id, device_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(CREATE TABLE mls_groups (
         group_id BLOB NOT NULL PRIMARY KEY,
         epoch BIGINT NOT NULL,
         token_hash BLOB NOT NULL) WITHOUT ROWID)",
    "CREATE TABLE shared_contents (id INTEGER NOT NULL PRIMARY KEY, content BLOB NOT NULL)",
    "ALTER TABLE envelopes ADD COLUMN group_id BLOB NOT NULL DEFAULT x''",
    "ALTER TABLE envelopes ADD COLUMN group_epoch BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE envelopes ADD COLUMN shared_content BIGINT",
    R"(CREATE INDEX envelopes_by_shared_content ON envelopes (shared_content)
         WHERE shared_content IS NOT NULL)",
    R"(CREATE TRIGGER shared_content_released AFTER DELETE ON envelopes
         WHEN OLD.shared_content IS NOT NULL
         BEGIN
           DELETE FROM shared_contents WHERE id = OLD.shared_content AND NOT EXISTS
             (SELECT 1 FROM envelopes WHERE shared_content = OLD.shared_content);
         END)",
};

// Version 11: queue positions count per device (issue 10). One store-wide counter made every
// enqueue on every node of a cluster wait for the one row's lock until commit; and positions
// taken from a sequence instead would commit out of order, so a device's session, which pages
// its queue after the last position it pushed, could skip one. A row per device is locked only
// by sends to that device, and positions commit in order per device, which is all a queue
// needs. The envelopes are keyed by (device, position); existing devices continue above every
// position handed out so far.
constexpr std::array<std::string_view, 11> version_11{
    R"(CREATE TABLE queue_positions (
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         last_seq BIGINT NOT NULL,
         PRIMARY KEY (account_id, device_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(INSERT INTO queue_positions (account_id, device_id, last_seq)
         SELECT account_id, device_id, (SELECT value FROM counters WHERE name = 'envelope_seq')
         FROM devices)",
    R"(CREATE TABLE envelopes_per_device (
         seq BIGINT NOT NULL,
         id BLOB NOT NULL,
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         source_account BLOB NOT NULL,
         source_device BIGINT NOT NULL,
         envelope_type BIGINT NOT NULL,
         content BLOB NOT NULL,
         server_timestamp_ms BIGINT NOT NULL,
         client_timestamp_ms BIGINT NOT NULL,
         expires_at_ms BIGINT NOT NULL,
         franking_tag BLOB NOT NULL DEFAULT x'',
         group_id BLOB NOT NULL DEFAULT x'',
         group_epoch BIGINT NOT NULL DEFAULT 0,
         shared_content BIGINT,
         PRIMARY KEY (account_id, device_id, seq),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(INSERT INTO envelopes_per_device (seq, id, account_id, device_id, source_account,
         source_device, envelope_type, content, server_timestamp_ms, client_timestamp_ms,
         expires_at_ms, franking_tag, group_id, group_epoch, shared_content)
       SELECT seq, id, account_id, device_id, source_account, source_device, envelope_type,
         content, server_timestamp_ms, client_timestamp_ms, expires_at_ms, franking_tag,
         group_id, group_epoch, shared_content FROM envelopes)",
    // Dropped first: the copy is moving, not being acknowledged.
    "DROP TRIGGER shared_content_released",
    "DROP TABLE envelopes",
    "ALTER TABLE envelopes_per_device RENAME TO envelopes",
    "CREATE INDEX envelopes_by_expiry ON envelopes (expires_at_ms)",
    R"(CREATE INDEX envelopes_by_shared_content ON envelopes (shared_content)
         WHERE shared_content IS NOT NULL)",
    R"(CREATE TRIGGER shared_content_released AFTER DELETE ON envelopes
         WHEN OLD.shared_content IS NOT NULL
         BEGIN
           DELETE FROM shared_contents WHERE id = OLD.shared_content AND NOT EXISTS
             (SELECT 1 FROM envelopes WHERE shared_content = OLD.shared_content);
         END)",
    "DELETE FROM counters WHERE name = 'envelope_seq'",
};

// Version 12: leases (issue 10). A duty that exactly one node of a cluster may do at a time (the
// key-transparency log's publisher, the maintenance that rotates franking keys) is leased by
// name: the holder renews it while it lives, another node takes it once it expired.
constexpr std::array<std::string_view, 1> version_12{
    R"(CREATE TABLE leases (
         name TEXT NOT NULL PRIMARY KEY,
         holder BLOB NOT NULL,
         expires_at_ms BIGINT NOT NULL))",
};

// Version 13: signed admin requests accepted once (issue 10). Remembered in the database, not
// in a node's memory, so that no other node of a cluster, nor the same node after a restart,
// accepts a captured moderator or operator request a second time within its clock window.
constexpr std::array<std::string_view, 2> version_13{
    R"(CREATE TABLE signed_requests (
         signature BLOB NOT NULL PRIMARY KEY,
         expires_at_ms BIGINT NOT NULL))",
    "CREATE INDEX signed_requests_by_expiry ON signed_requests (expires_at_ms)",
};

// Version 14: PostgreSQL's trigger changed (store/pg/migrations.cpp); SQLite's, with one writer,
// stays as it is. Kept so that both schemas count their versions alike.
constexpr std::array<std::string_view, 0> version_14{};

// Version 15: a device's last-resort Kyber prekey (about 1.6 KiB with its signature) moves out of
// its device row into a table of its own (issue 10). Every login and every send reads the
// device row, and with the key inside it two rows filled a page: 5,000 devices took 2,507 pages
// (10 MiB), which SQLite's 2 MiB page cache could not hold, so logins and sends kept copying
// pages in from the kernel. Without it they take 219. Only a prekey bundle needs the key.
constexpr std::array<std::string_view, 5> version_15{
    R"(CREATE TABLE last_resort_kyber_keys (
         account_id BLOB NOT NULL,
         device_id BIGINT NOT NULL,
         key_id BIGINT NOT NULL,
         public_key BLOB NOT NULL,
         signature BLOB NOT NULL,
         PRIMARY KEY (account_id, device_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(INSERT INTO last_resort_kyber_keys (account_id, device_id, key_id, public_key, signature)
         SELECT account_id, device_id, kyber_last_resort_id, kyber_last_resort_key,
           kyber_last_resort_signature FROM devices)",
    "ALTER TABLE devices DROP COLUMN kyber_last_resort_id",
    "ALTER TABLE devices DROP COLUMN kyber_last_resort_key",
    "ALTER TABLE devices DROP COLUMN kyber_last_resort_signature",
};

// Version 16: the journal of the queues kept in memory (store/hot/hot_queues.h, issue 10): one
// row per committed transaction that changed them, replayed in id order when the store opens,
// and emptied when they are flushed to the envelopes table.
constexpr std::array<std::string_view, 1> version_16{
    "CREATE TABLE hot_journal (id INTEGER NOT NULL PRIMARY KEY, block BLOB NOT NULL)",
};

constexpr std::array<Migration, 16> migrations{
    Migration{1, version_1},
    Migration{2, version_2},
    Migration{3, version_3},
    Migration{4, version_4},
    Migration{5, version_5},
    Migration{6, version_6},
    Migration{7, version_7},
    Migration{8, version_8},
    Migration{9, version_9},
    Migration{10, version_10},
    Migration{11, version_11},
    Migration{12, version_12},
    Migration{13, version_13},
    Migration{14, version_14},
    Migration{15, version_15},
    Migration{16, version_16},
};

}  // namespace

std::span<const Migration> sqlite_migrations() { return migrations; }

}  // namespace bulwark::store::sqlite
