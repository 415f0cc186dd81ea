#include "store/pg/migrations.h"

#include <array>
#include <string_view>

namespace bulwark::store::pg {
namespace {

// Version 10: SQLite's schema at its version 10, comments there. Ids are 16-byte BYTEA;
// booleans BIGINT 0/1; every TEXT column compares bytewise.
constexpr auto version_10 = std::to_array<std::string_view>({
    // SQLite versions 1 and 2: accounts, devices, prekeys, queues, codes, IP sightings.
    R"(CREATE TABLE accounts (
         id BYTEA NOT NULL PRIMARY KEY,
         phone TEXT COLLATE "C" NOT NULL UNIQUE,
         username TEXT COLLATE "C" UNIQUE,
         identity_key BYTEA NOT NULL,
         discoverable BIGINT NOT NULL,
         created_at_ms BIGINT NOT NULL,
         next_device_id BIGINT NOT NULL))",
    R"(CREATE TABLE devices (
         account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
         device_id BIGINT NOT NULL,
         registration_id BIGINT NOT NULL,
         auth_key BYTEA NOT NULL,
         name TEXT COLLATE "C" NOT NULL,
         created_at_ms BIGINT NOT NULL,
         signed_pre_key_id BIGINT NOT NULL,
         signed_pre_key BYTEA NOT NULL,
         signed_pre_key_signature BYTEA NOT NULL,
         kyber_last_resort_id BIGINT NOT NULL,
         kyber_last_resort_key BYTEA NOT NULL,
         kyber_last_resort_signature BYTEA NOT NULL,
         PRIMARY KEY (account_id, device_id)))",
    R"(CREATE TABLE pre_keys (
         account_id BYTEA NOT NULL,
         device_id BIGINT NOT NULL,
         key_id BIGINT NOT NULL,
         public_key BYTEA NOT NULL,
         PRIMARY KEY (account_id, device_id, key_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(CREATE TABLE kyber_pre_keys (
         account_id BYTEA NOT NULL,
         device_id BIGINT NOT NULL,
         key_id BIGINT NOT NULL,
         public_key BYTEA NOT NULL,
         signature BYTEA NOT NULL,
         PRIMARY KEY (account_id, device_id, key_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    // seq comes from the counter (always given explicitly), as in SQLite. The columns of
    // versions 7 and 10 are part of the table from the start.
    R"(CREATE TABLE envelopes (
         seq BIGINT NOT NULL PRIMARY KEY,
         id BYTEA NOT NULL,
         account_id BYTEA NOT NULL,
         device_id BIGINT NOT NULL,
         source_account BYTEA NOT NULL,
         source_device BIGINT NOT NULL,
         envelope_type BIGINT NOT NULL,
         content BYTEA NOT NULL,
         server_timestamp_ms BIGINT NOT NULL,
         client_timestamp_ms BIGINT NOT NULL,
         expires_at_ms BIGINT NOT NULL,
         franking_tag BYTEA NOT NULL DEFAULT '\x'::bytea,
         group_id BYTEA NOT NULL DEFAULT '\x'::bytea,
         group_epoch BIGINT NOT NULL DEFAULT 0,
         shared_content BIGINT,
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    "CREATE INDEX envelopes_by_queue ON envelopes (account_id, device_id, seq)",
    "CREATE INDEX envelopes_by_expiry ON envelopes (expires_at_ms)",
    R"(CREATE INDEX envelopes_by_shared_content ON envelopes (shared_content)
         WHERE shared_content IS NOT NULL)",
    R"(CREATE TABLE counters (name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
                              value BIGINT NOT NULL))",
    "INSERT INTO counters (name, value) VALUES ('envelope_seq', 0), ('kt_seq', 0)",
    R"(CREATE TABLE verification_codes (
         phone TEXT COLLATE "C" NOT NULL PRIMARY KEY,
         code_hash BYTEA NOT NULL,
         salt BYTEA NOT NULL,
         created_at_ms BIGINT NOT NULL,
         expires_at_ms BIGINT NOT NULL,
         failed_attempts BIGINT NOT NULL))",
    R"(CREATE TABLE ip_sightings (
         account_id BYTEA NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
         ip TEXT COLLATE "C" NOT NULL,
         first_seen_ms BIGINT NOT NULL,
         last_seen_ms BIGINT NOT NULL,
         PRIMARY KEY (account_id, ip)))",
    "CREATE INDEX ip_sightings_by_last_seen ON ip_sightings (last_seen_ms)",
    // SQLite version 3: key transparency.
    R"(CREATE TABLE kt_pending (
         seq BIGINT NOT NULL PRIMARY KEY,
         label BYTEA NOT NULL,
         value BYTEA NOT NULL))",
    "CREATE INDEX kt_pending_by_label ON kt_pending (label, seq)",
    R"(CREATE TABLE kt_entries (
         idx BIGINT NOT NULL PRIMARY KEY,
         timestamp_ms BIGINT NOT NULL,
         prefix_root BYTEA NOT NULL,
         checkpoint TEXT COLLATE "C" NOT NULL))",
    R"(CREATE TABLE kt_versions (
         entry BIGINT NOT NULL REFERENCES kt_entries (idx),
         ord BIGINT NOT NULL,
         label BYTEA NOT NULL,
         version BIGINT NOT NULL,
         opening BYTEA NOT NULL,
         value BYTEA NOT NULL,
         vrf_output BYTEA NOT NULL,
         commitment BYTEA NOT NULL,
         PRIMARY KEY (entry, ord)))",
    "CREATE UNIQUE INDEX kt_versions_by_label ON kt_versions (label, version)",
    R"(CREATE TABLE kt_cosignatures (
         size BIGINT NOT NULL,
         witness TEXT COLLATE "C" NOT NULL,
         signature_line TEXT COLLATE "C" NOT NULL,
         received_at_ms BIGINT NOT NULL,
         PRIMARY KEY (size, witness)))",
    // SQLite versions 4 and 5: channels, their log keyed by log_number << 32 | seq.
    R"(CREATE TABLE channels (
         id BYTEA NOT NULL PRIMARY KEY,
         handle TEXT COLLATE "C" NOT NULL UNIQUE,
         owner BYTEA NOT NULL,
         channel_key BYTEA NOT NULL,
         is_private BIGINT NOT NULL,
         invite_hash BYTEA NOT NULL,
         create_entry BYTEA NOT NULL,
         created_ms BIGINT NOT NULL,
         last_seq BIGINT NOT NULL,
         subscribers BIGINT NOT NULL,
         log_number BIGINT NOT NULL DEFAULT 0))",
    "CREATE UNIQUE INDEX channels_by_log_number ON channels (log_number)",
    R"(CREATE TABLE channel_log (
         key BIGINT NOT NULL PRIMARY KEY,
         kind BIGINT NOT NULL,
         target BIGINT NOT NULL,
         edited_by BIGINT NOT NULL,
         deleted_by BIGINT NOT NULL,
         server_time_ms BIGINT NOT NULL,
         entry BYTEA NOT NULL,
         views BYTEA NOT NULL))",
    "CREATE INDEX channel_log_by_kind ON channel_log (kind, key)",
    R"(CREATE TABLE channel_subscriptions (
         account BYTEA NOT NULL,
         channel BYTEA NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (account, channel)))",
    "CREATE INDEX channel_subscriptions_by_channel ON channel_subscriptions (channel, account)",
    // SQLite versions 6 and 8: moderation, with version 8's key columns and running totals.
    R"(CREATE TABLE moderation_cases (
         id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
         target BIGINT NOT NULL,
         channel BYTEA NOT NULL,
         seq BIGINT NOT NULL,
         account BYTEA NOT NULL,
         state BIGINT NOT NULL,
         category BIGINT NOT NULL,
         rule TEXT COLLATE "C" NOT NULL,
         rule_hidden BIGINT NOT NULL,
         evidence BYTEA NOT NULL,
         opened_ms BIGINT NOT NULL,
         opened_month TEXT COLLATE "C" NOT NULL,
         updated_ms BIGINT NOT NULL,
         decided_by TEXT COLLATE "C" NOT NULL,
         last_action BIGINT NOT NULL,
         decided_by_key BYTEA NOT NULL DEFAULT '\x'::bytea))",
    "CREATE INDEX moderation_cases_by_target ON moderation_cases (target, channel, seq, state)",
    "CREATE INDEX moderation_cases_by_state ON moderation_cases (state, id)",
    "CREATE INDEX moderation_cases_by_account ON moderation_cases (account, id)",
    R"(CREATE TABLE moderation_reports (
         case_id BIGINT NOT NULL REFERENCES moderation_cases (id),
         reporter BYTEA NOT NULL,
         category BIGINT NOT NULL,
         comment TEXT COLLATE "C" NOT NULL,
         created_ms BIGINT NOT NULL,
         month TEXT COLLATE "C" NOT NULL,
         PRIMARY KEY (case_id, reporter)))",
    R"(CREATE TABLE moderation_appeals (
         case_id BIGINT NOT NULL PRIMARY KEY REFERENCES moderation_cases (id),
         appellant BYTEA NOT NULL,
         text TEXT COLLATE "C" NOT NULL,
         created_ms BIGINT NOT NULL,
         excluded_moderator TEXT COLLATE "C" NOT NULL,
         excluded_key BYTEA NOT NULL DEFAULT '\x'::bytea))",
    R"(CREATE TABLE moderation_log (
         seq BIGINT NOT NULL PRIMARY KEY,
         case_id BIGINT NOT NULL REFERENCES moderation_cases (id),
         action BIGINT NOT NULL,
         account BYTEA NOT NULL,
         category BIGINT NOT NULL,
         moderator TEXT COLLATE "C" NOT NULL,
         reason TEXT COLLATE "C" NOT NULL,
         created_ms BIGINT NOT NULL,
         month TEXT COLLATE "C" NOT NULL,
         record BYTEA NOT NULL,
         signature BYTEA NOT NULL,
         prev_hash BYTEA NOT NULL,
         hash BYTEA NOT NULL,
         moderator_key BYTEA NOT NULL DEFAULT '\x'::bytea))",
    "CREATE INDEX moderation_log_by_account ON moderation_log (account, seq)",
    "CREATE INDEX moderation_log_by_case ON moderation_log (case_id, action)",
    // SQLite's RAISE(ABORT, message) for the append-only logs: one function, the message its
    // argument. TRUNCATE, which SQLite lacks, is refused as well.
    R"(CREATE FUNCTION bulwark_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$)",
    R"(CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
         FOR EACH ROW EXECUTE FUNCTION bulwark_refuse_change('the moderation log is append-only'))",
    R"(CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
         FOR EACH ROW EXECUTE FUNCTION bulwark_refuse_change('the moderation log is append-only'))",
    R"(CREATE TRIGGER moderation_log_no_truncate BEFORE TRUNCATE ON moderation_log
         FOR EACH STATEMENT
         EXECUTE FUNCTION bulwark_refuse_change('the moderation log is append-only'))",
    R"(CREATE TABLE moderation_hidden_posts (
         channel BYTEA NOT NULL,
         seq BIGINT NOT NULL,
         case_id BIGINT NOT NULL,
         reason TEXT COLLATE "C" NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (channel, seq, case_id)))",
    R"(CREATE TABLE moderation_restricted_channels (
         channel BYTEA NOT NULL,
         case_id BIGINT NOT NULL,
         reason TEXT COLLATE "C" NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (channel, case_id)))",
    R"(CREATE TABLE moderation_suspended_accounts (
         account BYTEA NOT NULL,
         case_id BIGINT NOT NULL,
         reason TEXT COLLATE "C" NOT NULL,
         since_ms BIGINT NOT NULL,
         PRIMARY KEY (account, case_id)))",
    R"(CREATE TABLE moderation_message_reports (
         tag BYTEA NOT NULL PRIMARY KEY,
         case_id BIGINT NOT NULL REFERENCES moderation_cases (id)))",
    "CREATE INDEX moderation_hidden_posts_by_case ON moderation_hidden_posts (case_id)",
    "CREATE INDEX moderation_restricted_channels_by_case ON moderation_restricted_channels "
    "(case_id)",
    "CREATE INDEX moderation_suspended_accounts_by_case ON moderation_suspended_accounts (case_id)",
    "CREATE INDEX moderation_reports_by_month ON moderation_reports (month, category)",
    R"(CREATE TABLE moderation_monthly_counts (
         month TEXT COLLATE "C" NOT NULL,
         kind BIGINT NOT NULL,
         code BIGINT NOT NULL,
         category BIGINT NOT NULL,
         count BIGINT NOT NULL,
         PRIMARY KEY (month, kind, code, category)))",
    // The running totals' triggers: each counts one row into its month, kind, code and category.
    R"(CREATE FUNCTION bulwark_count_moderation(p_month TEXT, p_kind BIGINT, p_code BIGINT,
                                                p_category BIGINT) RETURNS void
         LANGUAGE sql AS $$
           INSERT INTO moderation_monthly_counts AS m (month, kind, code, category, count)
             VALUES (p_month, p_kind, p_code, p_category, 1)
             ON CONFLICT (month, kind, code, category) DO UPDATE SET count = m.count + 1 $$)",
    R"(CREATE FUNCTION bulwark_count_report() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           PERFORM bulwark_count_moderation(NEW.month, 1, NEW.category, NEW.category);
           RETURN NULL;
         END $$)",
    R"(CREATE FUNCTION bulwark_count_rule_case() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           PERFORM bulwark_count_moderation(NEW.opened_month, 2, NEW.category, NEW.category);
           RETURN NULL;
         END $$)",
    R"(CREATE FUNCTION bulwark_count_action() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           PERFORM bulwark_count_moderation(NEW.month, 3, NEW.action, NEW.category);
           RETURN NULL;
         END $$)",
    R"(CREATE TRIGGER moderation_reports_counted AFTER INSERT ON moderation_reports
         FOR EACH ROW EXECUTE FUNCTION bulwark_count_report())",
    R"(CREATE TRIGGER moderation_rule_cases_counted AFTER INSERT ON moderation_cases
         FOR EACH ROW WHEN (NEW.rule <> '') EXECUTE FUNCTION bulwark_count_rule_case())",
    // A case a report opened that a rule then matched (its rule was '').
    R"(CREATE TRIGGER moderation_rule_matches_counted AFTER UPDATE OF rule ON moderation_cases
         FOR EACH ROW WHEN (OLD.rule = '' AND NEW.rule <> '')
         EXECUTE FUNCTION bulwark_count_rule_case())",
    R"(CREATE TRIGGER moderation_actions_counted AFTER INSERT ON moderation_log
         FOR EACH ROW EXECUTE FUNCTION bulwark_count_action())",
    // SQLite version 9: lawful requests.
    R"(CREATE TABLE lawful_authorities (
         name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
         jurisdiction TEXT COLLATE "C" NOT NULL,
         updated_ms BIGINT NOT NULL))",
    R"(CREATE TABLE lawful_authority_pems (
         authority TEXT COLLATE "C" NOT NULL REFERENCES lawful_authorities (name)
           ON DELETE CASCADE,
         kind BIGINT NOT NULL,
         position BIGINT NOT NULL,
         pem TEXT COLLATE "C" NOT NULL,
         PRIMARY KEY (authority, kind, position)))",
    R"(CREATE TABLE lawful_orders (
         id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
         authority TEXT COLLATE "C" NOT NULL,
         order_id TEXT COLLATE "C" NOT NULL,
         jurisdiction TEXT COLLATE "C" NOT NULL,
         order_hash BYTEA NOT NULL,
         document BYTEA NOT NULL,
         signature BYTEA NOT NULL,
         state BIGINT NOT NULL,
         received_ms BIGINT NOT NULL,
         non_disclosure_until_ms BIGINT NOT NULL,
         answer_index BIGINT,
         UNIQUE (authority, order_id)))",
    R"(CREATE TABLE lawful_decisions (
         order_id BIGINT NOT NULL REFERENCES lawful_orders (id),
         operator_name TEXT COLLATE "C" NOT NULL,
         position BIGINT NOT NULL,
         operator_key BYTEA NOT NULL,
         kind BIGINT NOT NULL,
         signature BYTEA NOT NULL,
         reason TEXT COLLATE "C" NOT NULL,
         time_ms BIGINT NOT NULL,
         PRIMARY KEY (order_id, operator_name)))",
    "CREATE UNIQUE INDEX lawful_decisions_by_position ON lawful_decisions (order_id, position)",
    R"(CREATE TABLE lawful_log (
         idx BIGINT NOT NULL PRIMARY KEY,
         entry BYTEA NOT NULL,
         leaf_hash BYTEA NOT NULL,
         checkpoint TEXT COLLATE "C" NOT NULL))",
    R"(CREATE TRIGGER lawful_log_no_update BEFORE UPDATE ON lawful_log
         FOR EACH ROW EXECUTE FUNCTION bulwark_refuse_change('the disclosure log is append-only'))",
    R"(CREATE TRIGGER lawful_log_no_delete BEFORE DELETE ON lawful_log
         FOR EACH ROW EXECUTE FUNCTION bulwark_refuse_change('the disclosure log is append-only'))",
    R"(CREATE TRIGGER lawful_log_no_truncate BEFORE TRUNCATE ON lawful_log
         FOR EACH STATEMENT
         EXECUTE FUNCTION bulwark_refuse_change('the disclosure log is append-only'))",
    R"(CREATE TABLE lawful_cosignatures (
         size BIGINT NOT NULL,
         witness TEXT COLLATE "C" NOT NULL,
         signature_line TEXT COLLATE "C" NOT NULL,
         received_at_ms BIGINT NOT NULL,
         PRIMARY KEY (size, witness)))",
    R"(CREATE TABLE lawful_disclosures (
         order_id BIGINT NOT NULL REFERENCES lawful_orders (id),
         account_id BYTEA NOT NULL,
         salt BYTEA NOT NULL,
         log_index BIGINT NOT NULL,
         non_disclosure_until_ms BIGINT NOT NULL,
         PRIMARY KEY (order_id, account_id)))",
    R"(CREATE INDEX lawful_disclosures_by_account
         ON lawful_disclosures (account_id, log_index, order_id, non_disclosure_until_ms))",
    // SQLite version 10: MLS groups' delivery service.
    R"(CREATE TABLE key_packages (
         id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
         account_id BYTEA NOT NULL,
         device_id BIGINT NOT NULL,
         digest BYTEA NOT NULL,
         key_package BYTEA NOT NULL,
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    "CREATE UNIQUE INDEX key_packages_by_digest ON key_packages (account_id, device_id, digest)",
    "CREATE INDEX key_packages_in_order ON key_packages (account_id, device_id, id)",
    R"(CREATE TABLE last_resort_key_packages (
         account_id BYTEA NOT NULL,
         device_id BIGINT NOT NULL,
         key_package BYTEA NOT NULL,
         PRIMARY KEY (account_id, device_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(CREATE TABLE mls_groups (
         group_id BYTEA NOT NULL PRIMARY KEY,
         epoch BIGINT NOT NULL,
         token_hash BYTEA NOT NULL))",
    R"(CREATE TABLE shared_contents (
         id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
         content BYTEA NOT NULL))",
    // Deletes the bytes with the last envelope naming them, whichever path deletes it. The row
    // lock comes first: of two nodes deleting the last two copies at once, the second then
    // checks (a statement, so a fresh snapshot) after the first committed, and sees no copy
    // left; without it each would see the other's copy and the bytes would never be freed.
    R"(CREATE FUNCTION bulwark_release_shared_content() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           PERFORM 1 FROM shared_contents WHERE id = OLD.shared_content FOR UPDATE;
           DELETE FROM shared_contents WHERE id = OLD.shared_content AND NOT EXISTS
             (SELECT 1 FROM envelopes WHERE shared_content = OLD.shared_content);
           RETURN NULL;
         END $$)",
    R"(CREATE TRIGGER shared_content_released AFTER DELETE ON envelopes
         FOR EACH ROW WHEN (OLD.shared_content IS NOT NULL)
         EXECUTE FUNCTION bulwark_release_shared_content())",
});

// Version 11 (SQLite's 11): queue positions count per device, the envelopes keyed by (device,
// position). SQLite rebuilds the table to change its key; PostgreSQL changes it in place, which
// leaves the same table, indexes and trigger.
constexpr auto version_11 = std::to_array<std::string_view>({
    R"(CREATE TABLE queue_positions (
         account_id BYTEA NOT NULL,
         device_id BIGINT NOT NULL,
         last_seq BIGINT NOT NULL,
         PRIMARY KEY (account_id, device_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(INSERT INTO queue_positions (account_id, device_id, last_seq)
         SELECT account_id, device_id, (SELECT value FROM counters WHERE name = 'envelope_seq')
         FROM devices)",
    "ALTER TABLE envelopes DROP CONSTRAINT envelopes_pkey",
    "ALTER TABLE envelopes ADD PRIMARY KEY (account_id, device_id, seq)",
    // The new key serves the queue's reads.
    "DROP INDEX envelopes_by_queue",
    "DELETE FROM counters WHERE name = 'envelope_seq'",
});

// Version 12 (SQLite's 12): leases, for duties exactly one node of a cluster does.
constexpr auto version_12 = std::to_array<std::string_view>({
    R"(CREATE TABLE leases (
         name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
         holder BYTEA NOT NULL,
         expires_at_ms BIGINT NOT NULL))",
});

// Version 13 (SQLite's 13): signed admin requests accepted once, cluster-wide.
constexpr auto version_13 = std::to_array<std::string_view>({
    R"(CREATE TABLE signed_requests (
         signature BYTEA NOT NULL PRIMARY KEY,
         expires_at_ms BIGINT NOT NULL))",
    "CREATE INDEX signed_requests_by_expiry ON signed_requests (expires_at_ms)",
});

// Version 14 (SQLite's 14, which changes nothing there): the trigger deleting a delivery's
// bytes with its last copy no longer locks the bytes' row first. That lock ordered two nodes
// deleting the last two copies at once, but a batch of acknowledgements (or of expiries) takes
// it for every group message it touches, in its own order, and two nodes' batches deadlocked
// (a one-second stall, then failed deletes). Without it, those two nodes may each still see the
// other's copy and leave the bytes behind: Store::release_orphaned_contents frees them.
constexpr auto version_14 = std::to_array<std::string_view>({
    R"(CREATE OR REPLACE FUNCTION bulwark_release_shared_content() RETURNS trigger
         LANGUAGE plpgsql AS $$
         BEGIN
           DELETE FROM shared_contents WHERE id = OLD.shared_content AND NOT EXISTS
             (SELECT 1 FROM envelopes WHERE shared_content = OLD.shared_content);
           RETURN NULL;
         END $$)",
});

// Version 15 (SQLite's 15): the last-resort Kyber prekey leaves the device row, which every login
// and send reads, for a table of its own. PostgreSQL's DROP COLUMN only hides the columns: rows
// written before keep their bytes until they are rewritten (an update, or VACUUM FULL devices,
// docs/OPERATIONS.md); new rows are narrow at once.
constexpr auto version_15 = std::to_array<std::string_view>({
    R"(CREATE TABLE last_resort_kyber_keys (
         account_id BYTEA NOT NULL,
         device_id BIGINT NOT NULL,
         key_id BIGINT NOT NULL,
         public_key BYTEA NOT NULL,
         signature BYTEA NOT NULL,
         PRIMARY KEY (account_id, device_id),
         FOREIGN KEY (account_id, device_id)
           REFERENCES devices (account_id, device_id) ON DELETE CASCADE))",
    R"(INSERT INTO last_resort_kyber_keys (account_id, device_id, key_id, public_key, signature)
         SELECT account_id, device_id, kyber_last_resort_id, kyber_last_resort_key,
           kyber_last_resort_signature FROM devices)",
    R"(ALTER TABLE devices DROP COLUMN kyber_last_resort_id,
         DROP COLUMN kyber_last_resort_key, DROP COLUMN kyber_last_resort_signature)",
});

// Version 16 (SQLite's 16): the SQLite store's journal of its queues in memory. A cluster's
// nodes share one database, and a device's queue must be readable from any of them, so
// PostgreSQL keeps every envelope in the envelopes table and never writes this table; it exists
// so that both schemas stay the same shape (tests/pg_store/pg_schema_test.cpp).
constexpr std::array<std::string_view, 1> version_16{
    "CREATE TABLE hot_journal (id BIGINT NOT NULL PRIMARY KEY, block BYTEA NOT NULL)",
};

constexpr std::array<sql::Migration, 7> migrations{
    sql::Migration{10, version_10},
    sql::Migration{11, version_11},
    sql::Migration{12, version_12},
    sql::Migration{13, version_13},
    sql::Migration{14, version_14},
    sql::Migration{15, version_15},
    sql::Migration{16, version_16},
};

}  // namespace

std::span<const sql::Migration> pg_migrations() { return migrations; }

}  // namespace bulwark::store::pg
