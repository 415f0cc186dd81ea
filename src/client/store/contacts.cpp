// LocalStore: contacts, their trust state, and the protocol IdentityKeyStore over them.
//
// A contact's identity_key is the key in use, trusted on first use or by the user's decision
// (trust_identity); a different key seen later never replaces it by itself but waits in
// pending_identity_key. The protocol layer checks is_trusted_identity before save_identity, so
// for a new contact save_identity is what establishes trust on first use.
#include <algorithm>

#include "client/detail/store_impl.h"
#include "client/uuid.h"

namespace bulwark::client {
namespace {

constexpr std::string_view select_contact =
    "SELECT account_id, phone, username, identity_key, pending_identity_key, trust FROM contacts";

std::int64_t trust_code(TrustLevel level) noexcept {
  switch (level) {
    case TrustLevel::untrusted:
      return 0;
    case TrustLevel::trusted_unverified:
      return 1;
    case TrustLevel::verified:
      return 2;
  }
  contract_violation("LocalStore: unknown trust level");
}

TrustLevel trust_from_code(std::int64_t code) noexcept {
  // The schema's CHECK admits 0, 1 and 2 only.
  if (code == 0) return TrustLevel::untrusted;
  return code == 2 ? TrustLevel::verified : TrustLevel::trusted_unverified;
}

Contact read_contact(const detail::Statement& row) {
  Contact contact;
  contact.account_id = to_bytes(row.blob(0));
  contact.phone = row.optional_text(1);
  contact.username = row.optional_text(2);
  contact.identity_key = row.optional_blob(3);
  contact.pending_identity_key = row.optional_blob(4);
  contact.trust = trust_from_code(row.int64(5));
  return contact;
}

Result<std::optional<Contact>> find_contact(detail::Database& db, std::string_view where,
                                            const std::function<void(detail::Statement&)>& bind) {
  auto row = BULWARK_TRY(db.prepare(std::string(select_contact) + " WHERE " + std::string(where)));
  bind(row);
  if (!BULWARK_TRY(row.step())) return std::optional<Contact>();
  return std::optional<Contact>(read_contact(row));
}

bool same_key(ByteView stored, const protocol::IdentityKey& key) {
  const auto serialized = key.serialize();
  return std::equal(stored.begin(), stored.end(), serialized.begin(), serialized.end());
}

// The trusted key and its level; nullopt when none is trusted yet.
struct TrustedKey {
  Bytes key;
  TrustLevel level;
};

Result<std::optional<TrustedKey>> trusted_key(detail::Database& db, ByteView account_id) {
  auto row =
      BULWARK_TRY(db.prepare("SELECT identity_key, trust FROM contacts WHERE account_id = ?"));
  row.bind_blob(1, account_id);
  if (!BULWARK_TRY(row.step()) || row.is_null(0)) return std::optional<TrustedKey>();
  return std::optional<TrustedKey>(
      TrustedKey{to_bytes(row.blob(0)), trust_from_code(row.int64(1))});
}

Result<void> set_pending(detail::Database& db, ByteView account_id,
                         const protocol::IdentityKey& key) {
  const auto serialized = key.serialize();
  auto update =
      BULWARK_TRY(db.prepare("UPDATE contacts SET pending_identity_key = ? WHERE account_id = ?"));
  update.bind_blob(1, serialized).bind_blob(2, account_id);
  return update.run();
}

}  // namespace

namespace detail {

Result<void> check_account_id(ByteView account_id) {
  if (account_id.size() != uuid_bytes)
    return fail(Errc::invalid_length, "account id: expected 16 bytes");
  return {};
}

Result<Bytes> account_id_of(const protocol::ProtocolAddress& address) {
  auto id = parse_uuid(address.name);
  if (!id) return fail(Errc::invalid_argument, "protocol address name is not an account id");
  return std::move(*id);
}

Result<void> ensure_contact(Database& db, ByteView account_id) {
  auto insert = BULWARK_TRY(db.prepare("INSERT OR IGNORE INTO contacts (account_id) VALUES (?)"));
  insert.bind_blob(1, account_id);
  return insert.run();
}

}  // namespace detail

Result<std::optional<Contact>> LocalStore::contact(ByteView account_id) const {
  BULWARK_TRY(detail::check_account_id(account_id));
  return find_contact(impl_->db, "account_id = ?",
                      [&](detail::Statement& row) { row.bind_blob(1, account_id); });
}

Result<std::optional<Contact>> LocalStore::contact_by_phone(std::string_view phone) const {
  return find_contact(impl_->db, "phone = ?",
                      [&](detail::Statement& row) { row.bind_text(1, phone); });
}

Result<std::optional<Contact>> LocalStore::contact_by_username(std::string_view username) const {
  return find_contact(impl_->db, "username = ?",
                      [&](detail::Statement& row) { row.bind_text(1, username); });
}

Result<std::vector<Contact>> LocalStore::contacts() const {
  auto row = BULWARK_TRY(impl_->db.prepare(std::string(select_contact) + " ORDER BY account_id"));
  std::vector<Contact> out;
  while (BULWARK_TRY(row.step())) out.push_back(read_contact(row));
  return out;
}

Result<void> LocalStore::upsert_contact_names(ByteView account_id,
                                              const std::optional<std::string>& phone,
                                              const std::optional<std::string>& username) {
  BULWARK_TRY(detail::check_account_id(account_id));
  auto& db = impl_->db;
  return db.transaction([&]() -> Result<void> {
    // A phone number or username names one account at a time: one that moved (a recycled
    // number) leaves the contact that had it.
    for (auto [column, value] : {std::pair{"phone", &phone}, std::pair{"username", &username}}) {
      if (!*value) continue;
      auto take = BULWARK_TRY(db.prepare(std::string("UPDATE contacts SET ") + column +
                                         " = NULL WHERE " + column + " = ? AND account_id <> ?"));
      take.bind_text(1, **value).bind_blob(2, account_id);
      BULWARK_TRY(take.run());
    }
    BULWARK_TRY(detail::ensure_contact(db, account_id));
    auto update = BULWARK_TRY(db.prepare(
        "UPDATE contacts SET phone = coalesce(?, phone), username = coalesce(?, username)"
        " WHERE account_id = ?"));
    update.bind_optional_text(1, phone).bind_optional_text(2, username).bind_blob(3, account_id);
    return update.run();
  });
}

Result<void> LocalStore::trust_identity(ByteView account_id, ByteView identity_key,
                                        TrustLevel level) {
  BULWARK_TRY(detail::check_account_id(account_id));
  BULWARK_TRY(protocol::PublicKey::deserialize(identity_key));
  auto& db = impl_->db;
  return db.transaction([&]() -> Result<void> {
    BULWARK_TRY(detail::ensure_contact(db, account_id));
    auto update = BULWARK_TRY(
        db.prepare("UPDATE contacts SET identity_key = ?1, trust = ?2, pending_identity_key ="
                   " CASE WHEN pending_identity_key = ?1 THEN NULL ELSE pending_identity_key END"
                   " WHERE account_id = ?3"));
    update.bind_blob(1, identity_key).bind_int(2, trust_code(level)).bind_blob(3, account_id);
    return update.run();
  });
}

Result<bool> LocalStore::is_trusted_identity(const protocol::ProtocolAddress& address,
                                             const protocol::IdentityKey& key,
                                             protocol::Direction /*direction*/) const {
  const Bytes account_id = BULWARK_TRY(detail::account_id_of(address));
  const auto trusted = BULWARK_TRY(trusted_key(impl_->db, account_id));
  if (!trusted) return true;  // trust on first use
  return trusted->level != TrustLevel::untrusted && same_key(trusted->key, key);
}

Result<void> LocalStore::save_identity(const protocol::ProtocolAddress& address,
                                       const protocol::IdentityKey& key) {
  const Bytes account_id = BULWARK_TRY(detail::account_id_of(address));
  auto& db = impl_->db;
  return db.transaction([&]() -> Result<void> {
    BULWARK_TRY(detail::ensure_contact(db, account_id));
    const auto trusted = BULWARK_TRY(trusted_key(db, account_id));
    if (trusted) {
      if (same_key(trusted->key, key)) return {};
      return set_pending(db, account_id, key);  // a change waits for the user
    }
    const auto serialized = key.serialize();
    auto update = BULWARK_TRY(
        db.prepare("UPDATE contacts SET identity_key = ?1, trust = ?2, pending_identity_key ="
                   " CASE WHEN pending_identity_key = ?1 THEN NULL ELSE pending_identity_key END"
                   " WHERE account_id = ?3"));
    update.bind_blob(1, serialized)
        .bind_int(2, trust_code(TrustLevel::trusted_unverified))
        .bind_blob(3, account_id);
    return update.run();
  });
}

Result<std::optional<protocol::IdentityKey>> LocalStore::identity(
    const protocol::ProtocolAddress& address) const {
  const Bytes account_id = BULWARK_TRY(detail::account_id_of(address));
  const auto trusted = BULWARK_TRY(trusted_key(impl_->db, account_id));
  if (!trusted) return std::optional<protocol::IdentityKey>();
  auto key = BULWARK_TRY(protocol::PublicKey::deserialize(trusted->key));
  return std::optional<protocol::IdentityKey>(key);
}

Result<void> LocalStore::note_untrusted_identity(const protocol::ProtocolAddress& address,
                                                 const protocol::IdentityKey& key) {
  const Bytes account_id = BULWARK_TRY(detail::account_id_of(address));
  const auto trusted = BULWARK_TRY(trusted_key(impl_->db, account_id));
  if (!trusted || same_key(trusted->key, key)) return {};
  return set_pending(impl_->db, account_id, key);
}

}  // namespace bulwark::client
