// LocalStore: the protocol PreKeyStore, SignedPreKeyStore and KyberPreKeyStore, matching the
// in-memory reference stores (protocol/memory_store.cpp): records in libsignal's format
// (protocol/prekey_codec.h), Errc::invalid_key_id for a missing id, one-time Kyber keys
// deleted when used, and last-resort Kyber keys checked against the (signed prekey, base key)
// pairs they have already accepted.
#include <optional>
#include <string>

#include "client/detail/store_impl.h"
#include "protocol/prekey_codec.h"

namespace bulwark::client {
namespace {

template <class Record>
Result<Record> load_record(detail::Database& db, const std::string& table, std::uint32_t id,
                           std::string_view what, Result<Record> (*decode)(ByteView)) {
  auto row = BULWARK_TRY(db.prepare("SELECT record FROM " + table + " WHERE id = ?"));
  row.bind_int(1, id);
  if (!BULWARK_TRY(row.step()))
    return fail(Errc::invalid_key_id, "no " + std::string(what) + " " + std::to_string(id));
  return decode(row.blob(0));
}

Result<void> store_record(detail::Database& db, const std::string& table, std::uint32_t id,
                          const SecretBytes& record) {
  auto insert =
      BULWARK_TRY(db.prepare("INSERT OR REPLACE INTO " + table + " (id, record) VALUES (?, ?)"));
  insert.bind_int(1, id).bind_blob(2, record.view());
  return insert.run();
}

Result<std::uint32_t> count(detail::Database& db, std::string_view sql) {
  auto row = BULWARK_TRY(db.prepare(sql));
  if (!BULWARK_TRY(row.step())) return fail(Errc::storage, "local database: count gave no row");
  return static_cast<std::uint32_t>(row.int64(0));
}

Result<std::optional<protocol::KyberPreKeyKind>> kyber_kind(detail::Database& db,
                                                            KyberPreKeyId id) {
  auto row = BULWARK_TRY(db.prepare("SELECT last_resort FROM kyber_pre_keys WHERE id = ?"));
  row.bind_int(1, id.value());
  if (!BULWARK_TRY(row.step())) return std::optional<protocol::KyberPreKeyKind>();
  return std::optional<protocol::KyberPreKeyKind>(row.int64(0) != 0
                                                      ? protocol::KyberPreKeyKind::last_resort
                                                      : protocol::KyberPreKeyKind::one_time);
}

Result<bool> base_key_used(detail::Database& db, KyberPreKeyId id, SignedPreKeyId signed_id,
                           ByteView base_key) {
  auto seen = BULWARK_TRY(
      db.prepare("SELECT 1 FROM kyber_base_keys_used"
                 " WHERE kyber_pre_key_id = ? AND signed_pre_key_id = ? AND base_key = ?"));
  seen.bind_int(1, id.value()).bind_int(2, signed_id.value()).bind_blob(3, base_key);
  return seen.step();
}

// Last-resort keys: refuses a (signed prekey, base key) pair already accepted, else records it.
Result<void> note_base_key(detail::Database& db, KyberPreKeyId id, SignedPreKeyId signed_id,
                           const protocol::PublicKey& base_key) {
  const auto serialized = base_key.serialize();
  if (BULWARK_TRY(base_key_used(db, id, signed_id, serialized)))
    return fail(Errc::invalid_message, "reused base key");
  auto insert = BULWARK_TRY(
      db.prepare("INSERT INTO kyber_base_keys_used (kyber_pre_key_id, signed_pre_key_id, base_key)"
                 " VALUES (?, ?, ?)"));
  insert.bind_int(1, id.value()).bind_int(2, signed_id.value()).bind_blob(3, serialized);
  return insert.run();
}

}  // namespace

Result<protocol::PreKeyRecord> LocalStore::load_pre_key(PreKeyId id) const {
  return load_record(impl_->db, "pre_keys", id.value(), "prekey", &protocol::deserialize_pre_key);
}

Result<void> LocalStore::store_pre_key(const protocol::PreKeyRecord& record) {
  return store_record(impl_->db, "pre_keys", record.id.value(),
                      protocol::serialize_pre_key(record));
}

Result<void> LocalStore::remove_pre_key(PreKeyId id) {
  auto statement = BULWARK_TRY(impl_->db.prepare("DELETE FROM pre_keys WHERE id = ?"));
  statement.bind_int(1, id.value());
  return statement.run();
}

Result<protocol::SignedPreKeyRecord> LocalStore::load_signed_pre_key(SignedPreKeyId id) const {
  return load_record(impl_->db, "signed_pre_keys", id.value(), "signed prekey",
                     &protocol::deserialize_signed_pre_key);
}

Result<void> LocalStore::store_signed_pre_key(const protocol::SignedPreKeyRecord& record) {
  return store_record(impl_->db, "signed_pre_keys", record.id.value(),
                      protocol::serialize_signed_pre_key(record));
}

Result<protocol::KyberPreKeyRecord> LocalStore::load_kyber_pre_key(KyberPreKeyId id) const {
  return load_record(impl_->db, "kyber_pre_keys", id.value(), "Kyber prekey",
                     &protocol::deserialize_kyber_pre_key);
}

Result<void> LocalStore::store_kyber_pre_key(const protocol::KyberPreKeyRecord& record,
                                             protocol::KyberPreKeyKind kind) {
  const SecretBytes bytes = protocol::serialize_kyber_pre_key(record);
  auto& db = impl_->db;
  return db.transaction([&]() -> Result<void> {
    // Storing a key again starts it afresh, as the reference store does: the delete cascades
    // to the base keys it had accepted (INSERT OR REPLACE would not fire the cascade).
    auto remove = BULWARK_TRY(db.prepare("DELETE FROM kyber_pre_keys WHERE id = ?"));
    remove.bind_int(1, record.id.value());
    BULWARK_TRY(remove.run());
    auto insert = BULWARK_TRY(
        db.prepare("INSERT INTO kyber_pre_keys (id, last_resort, record) VALUES (?, ?, ?)"));
    insert.bind_int(1, record.id.value())
        .bind_int(2, kind == protocol::KyberPreKeyKind::last_resort ? 1 : 0)
        .bind_blob(3, bytes.view());
    return insert.run();
  });
}

Result<void> LocalStore::mark_kyber_pre_key_used(KyberPreKeyId id, SignedPreKeyId signed_pre_key_id,
                                                 const protocol::PublicKey& base_key) {
  auto& db = impl_->db;
  return db.transaction([&]() -> Result<void> {
    const auto kind = BULWARK_TRY(kyber_kind(db, id));
    if (!kind) return fail(Errc::invalid_key_id, "no Kyber prekey " + id.to_string());
    if (*kind == protocol::KyberPreKeyKind::last_resort)
      return note_base_key(db, id, signed_pre_key_id, base_key);
    auto remove = BULWARK_TRY(db.prepare("DELETE FROM kyber_pre_keys WHERE id = ?"));
    remove.bind_int(1, id.value());
    return remove.run();
  });
}

Result<std::uint32_t> LocalStore::pre_key_count() const {
  return count(impl_->db, "SELECT count(*) FROM pre_keys");
}

Result<std::uint32_t> LocalStore::kyber_one_time_pre_key_count() const {
  return count(impl_->db, "SELECT count(*) FROM kyber_pre_keys WHERE last_resort = 0");
}

}  // namespace bulwark::client
