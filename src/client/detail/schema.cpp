#include "client/detail/schema.h"

#include <string>

namespace bulwark::client::detail {
namespace {

// No UPSERT, RETURNING or window functions: SQLCipher 3.4 is SQLite 3.15. Contacts are never
// written with INSERT OR REPLACE, which would delete the row and cascade to its sessions.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE account (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  server_url TEXT NOT NULL,
  phone TEXT NOT NULL,
  account_id BLOB NOT NULL CHECK (length(account_id) = 16),
  device_id INTEGER NOT NULL,
  username TEXT,
  registration_id INTEGER NOT NULL,
  auth_secret_key BLOB NOT NULL,
  auth_public_key BLOB NOT NULL,
  identity_private BLOB NOT NULL CHECK (length(identity_private) = 32),
  identity_public BLOB NOT NULL CHECK (length(identity_public) = 33),
  next_pre_key_id INTEGER NOT NULL,
  next_kyber_pre_key_id INTEGER NOT NULL,
  next_signed_pre_key_id INTEGER NOT NULL
);
CREATE TABLE contacts (
  account_id BLOB PRIMARY KEY NOT NULL CHECK (length(account_id) = 16),
  phone TEXT UNIQUE,
  username TEXT UNIQUE,
  identity_key BLOB CHECK (identity_key IS NULL OR length(identity_key) = 33),
  pending_identity_key BLOB
      CHECK (pending_identity_key IS NULL OR length(pending_identity_key) = 33),
  trust INTEGER NOT NULL DEFAULT 1 CHECK (trust IN (0, 1, 2))
) WITHOUT ROWID;
CREATE TABLE sessions (
  account_id BLOB NOT NULL REFERENCES contacts (account_id) ON DELETE CASCADE,
  device_id INTEGER NOT NULL,
  record BLOB NOT NULL,
  PRIMARY KEY (account_id, device_id)
) WITHOUT ROWID;
CREATE TABLE pre_keys (id INTEGER PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE signed_pre_keys (id INTEGER PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE kyber_pre_keys (
  id INTEGER PRIMARY KEY,
  last_resort INTEGER NOT NULL CHECK (last_resort IN (0, 1)),
  record BLOB NOT NULL
);
CREATE TABLE kyber_base_keys_used (
  kyber_pre_key_id INTEGER NOT NULL REFERENCES kyber_pre_keys (id) ON DELETE CASCADE,
  signed_pre_key_id INTEGER NOT NULL,
  base_key BLOB NOT NULL,
  PRIMARY KEY (kyber_pre_key_id, signed_pre_key_id, base_key)
) WITHOUT ROWID;
CREATE TABLE seen_envelopes (
  envelope_id BLOB PRIMARY KEY NOT NULL CHECK (length(envelope_id) = 16),
  seen_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_envelopes_by_time ON seen_envelopes (seen_at_ms);
CREATE TABLE inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  envelope_id BLOB NOT NULL UNIQUE CHECK (length(envelope_id) = 16),
  sender_account BLOB NOT NULL CHECK (length(sender_account) = 16),
  sender_device INTEGER NOT NULL,
  body TEXT NOT NULL,
  sent_at_ms INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL,
  shown INTEGER NOT NULL DEFAULT 0 CHECK (shown IN (0, 1))
);
CREATE INDEX inbox_unshown ON inbox (seq) WHERE shown = 0;
)sql";

// Version 2: key transparency. The log this client trusts (pinned at registration) and its
// last accepted checkpoint; the newest verified account record of each account seen, this
// device's own included (client/transparency.h).
constexpr const char* schema_v2 = R"sql(
CREATE TABLE kt_trust (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  origin TEXT NOT NULL,
  log_key TEXT NOT NULL,
  vrf_public_key BLOB NOT NULL CHECK (length(vrf_public_key) = 32),
  witnesses TEXT NOT NULL,
  quorum INTEGER NOT NULL,
  size INTEGER NOT NULL,
  root BLOB CHECK (root IS NULL OR length(root) = 32),
  checkpoint TEXT
);
CREATE TABLE kt_records (
  account_id BLOB PRIMARY KEY NOT NULL CHECK (length(account_id) = 16),
  version INTEGER,
  record BLOB NOT NULL
) WITHOUT ROWID;
)sql";

// Version 3: channels (client/channels.h). A channel is pinned on first use: its id, handle and
// channel key never change afterwards, so a server that later shows another key under the
// handle is caught. channel_keys holds the seeds of the channels this device created; a seed
// is written before the channel is sent to the server (so that an answer lost on the way
// cannot orphan a channel the server accepted), hence no reference to `channels`.
constexpr const char* schema_v3 = R"sql(
CREATE TABLE channels (
  channel_id BLOB PRIMARY KEY NOT NULL CHECK (length(channel_id) = 16),
  handle TEXT NOT NULL UNIQUE,
  channel_key BLOB NOT NULL CHECK (length(channel_key) = 32),
  is_private INTEGER NOT NULL CHECK (is_private IN (0, 1)),
  invite BLOB CHECK (invite IS NULL OR length(invite) = 32),
  subscribed INTEGER NOT NULL DEFAULT 0 CHECK (subscribed IN (0, 1)),
  cursor INTEGER NOT NULL DEFAULT 0 CHECK (cursor >= 0),
  pinned_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE channel_keys (
  channel_id BLOB PRIMARY KEY NOT NULL CHECK (length(channel_id) = 16),
  seed BLOB NOT NULL CHECK (length(seed) = 32)
) WITHOUT ROWID;
)sql";

// Version 4: message franking (docs/FRANKING.md). The server's stamp-signing key, pinned at
// registration; this device's last franking tag per conversation (the next message's
// `previous`); and, for every received message, the opening a report reveals: its message id,
// franking key, previous tag, tag and the server's stamp (its body is in `inbox`).
constexpr const char* schema_v4 = R"sql(
CREATE TABLE franking_server (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  public_key BLOB NOT NULL CHECK (length(public_key) = 32)
);
CREATE TABLE franking_chains (
  conversation BLOB PRIMARY KEY NOT NULL CHECK (length(conversation) = 32),
  last_tag BLOB NOT NULL CHECK (length(last_tag) = 32)
) WITHOUT ROWID;
CREATE TABLE inbox_franking (
  seq INTEGER PRIMARY KEY REFERENCES inbox (seq) ON DELETE CASCADE,
  message_id BLOB NOT NULL CHECK (length(message_id) = 16),
  franking_key BLOB NOT NULL CHECK (length(franking_key) = 32),
  previous BLOB NOT NULL CHECK (length(previous) = 32),
  tag BLOB NOT NULL CHECK (length(tag) = 32),
  stamp BLOB NOT NULL
);
CREATE INDEX inbox_franking_by_tag ON inbox_franking (tag);
)sql";

// Version 5: the operator's moderators, each name's key pinned the first time this device saw
// it (docs/MODERATION.md "What clients can check"). A pinned key is never replaced.
constexpr const char* schema_v5 = R"sql(
CREATE TABLE moderators (
  name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  pinned_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 6: the disclosure log of lawful requests, its key, witnesses and quorum pinned the
// first time this device asked for its notices (client/lawful_notices.h). Never replaced.
constexpr const char* schema_v6 = R"sql(
CREATE TABLE disclosure_log_pin (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  log_key TEXT NOT NULL,
  witnesses TEXT NOT NULL,
  quorum INTEGER NOT NULL CHECK (quorum >= 0),
  pinned_at_ms INTEGER NOT NULL
);
)sql";

// Version 7: MLS groups (client/groups.h, docs/GROUPS.md "Client"). The device's own MLS
// signature key (Ed25519 seed, never the auth key) and its credential; the private halves of
// the KeyPackages it uploaded (init and encryption keys, 64 bytes), deleted when a join uses
// them, the last-resort ones kept; each group's serialized state (NULL once closed); per group
// the SHA-256 of the commits it accepted for its recent epochs (replay and fork detection);
// the group events not yet shown, durable like the inbox; and per group at most one commit sent
// whose answer has not arrived yet (the would-be next state, adopted once the commit is known
// to have won its epoch: docs/GROUPS.md "Client", "A lost answer").
constexpr const char* schema_v7 = R"sql(
CREATE TABLE mls_signer (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seed BLOB NOT NULL CHECK (length(seed) = 32),
  credential BLOB NOT NULL
);
CREATE TABLE mls_key_packages (
  ref BLOB PRIMARY KEY NOT NULL,
  key_package BLOB NOT NULL,
  private BLOB NOT NULL CHECK (length(private) = 64),
  last_resort INTEGER NOT NULL CHECK (last_resort IN (0, 1)),
  created_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE mls_groups (
  group_id BLOB PRIMARY KEY NOT NULL CHECK (length(group_id) = 32),
  name TEXT NOT NULL,
  state BLOB,
  epoch INTEGER NOT NULL CHECK (epoch >= 0),
  closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
  CHECK (closed = 1 OR state IS NOT NULL)
) WITHOUT ROWID;
CREATE TABLE mls_commits (
  group_id BLOB NOT NULL REFERENCES mls_groups (group_id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  commit_hash BLOB NOT NULL CHECK (length(commit_hash) = 32),
  PRIMARY KEY (group_id, epoch)
) WITHOUT ROWID;
CREATE TABLE mls_group_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event TEXT NOT NULL,
  shown INTEGER NOT NULL DEFAULT 0 CHECK (shown IN (0, 1))
);
CREATE INDEX mls_group_events_unshown ON mls_group_events (seq) WHERE shown = 0;
CREATE TABLE mls_pending_commits (
  group_id BLOB PRIMARY KEY NOT NULL REFERENCES mls_groups (group_id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL CHECK (epoch >= 0),
  state BLOB NOT NULL,
  commit_hash BLOB NOT NULL CHECK (length(commit_hash) = 32),
  event TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// upgrades[v] takes the schema from version v to v + 1.
constexpr const char* upgrades[] = {schema_v1, schema_v2, schema_v3, schema_v4,
                                    schema_v5, schema_v6, schema_v7};
static_assert(std::size(upgrades) == schema_version);

Result<int> stored_version(Database& db) {
  auto statement = BULWARK_TRY(db.prepare("PRAGMA user_version"));
  if (!BULWARK_TRY(statement.step())) return fail(Errc::storage, "local database: no user_version");
  return static_cast<int>(statement.int64(0));
}

}  // namespace

Result<void> migrate(Database& db) {
  if (BULWARK_TRY(stored_version(db)) == schema_version) return {};
  return db.transaction([&db]() -> Result<void> {
    // Read again inside the write lock: the version outside may be stale.
    const int version = BULWARK_TRY(stored_version(db));
    if (version > schema_version || version < 0)
      return fail(Errc::storage, "the local database has schema version " +
                                     std::to_string(version) + ", newer than this build's " +
                                     std::to_string(schema_version));
    for (int v = version; v < schema_version; ++v) BULWARK_TRY(db.exec(upgrades[v]));
    // user_version is in the header page, so it is set atomically with the tables.
    return db.exec("PRAGMA user_version = " + std::to_string(schema_version));
  });
}

}  // namespace bulwark::client::detail
