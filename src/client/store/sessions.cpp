// LocalStore: the protocol SessionStore, one serialised SessionRecord per (account, device).
// Records hold ratchet keys; they are bound straight from and read straight into SecretBytes
// or the codec, so the only plaintext copies are SQLite's own, inside the encrypted database.
#include "client/detail/store_impl.h"
#include "protocol/state/record_codec.h"

namespace bulwark::client {

Result<std::optional<protocol::SessionRecord>> LocalStore::load_session(
    const protocol::ProtocolAddress& address) const {
  const Bytes account_id = BULWARK_TRY(detail::account_id_of(address));
  auto row = BULWARK_TRY(
      impl_->db.prepare("SELECT record FROM sessions WHERE account_id = ? AND device_id = ?"));
  row.bind_blob(1, account_id).bind_int(2, address.device.value());
  if (!BULWARK_TRY(row.step())) return std::optional<protocol::SessionRecord>();
  auto record = BULWARK_TRY(protocol::deserialize_session_record(row.blob(0)));
  return std::optional<protocol::SessionRecord>(std::move(record));
}

Result<void> LocalStore::store_session(const protocol::ProtocolAddress& address,
                                       const protocol::SessionRecord& record) {
  const Bytes account_id = BULWARK_TRY(detail::account_id_of(address));
  const SecretBytes bytes = protocol::serialize_session_record(record);
  auto& db = impl_->db;
  return db.transaction([&]() -> Result<void> {
    BULWARK_TRY(detail::ensure_contact(db, account_id));
    auto insert = BULWARK_TRY(db.prepare(
        "INSERT OR REPLACE INTO sessions (account_id, device_id, record) VALUES (?, ?, ?)"));
    insert.bind_blob(1, account_id).bind_int(2, address.device.value()).bind_blob(3, bytes.view());
    return insert.run();
  });
}

Result<void> LocalStore::delete_sessions(ByteView account_id) {
  BULWARK_TRY(detail::check_account_id(account_id));
  auto statement = BULWARK_TRY(impl_->db.prepare("DELETE FROM sessions WHERE account_id = ?"));
  statement.bind_blob(1, account_id);
  return statement.run();
}

Result<void> LocalStore::delete_session(const protocol::ProtocolAddress& address) {
  const Bytes account_id = BULWARK_TRY(detail::account_id_of(address));
  auto statement =
      BULWARK_TRY(impl_->db.prepare("DELETE FROM sessions WHERE account_id = ? AND device_id = ?"));
  statement.bind_blob(1, account_id).bind_int(2, address.device.value());
  return statement.run();
}

Result<std::vector<std::uint32_t>> LocalStore::session_devices(ByteView account_id) const {
  BULWARK_TRY(detail::check_account_id(account_id));
  auto row = BULWARK_TRY(
      impl_->db.prepare("SELECT device_id FROM sessions WHERE account_id = ? ORDER BY device_id"));
  row.bind_blob(1, account_id);
  std::vector<std::uint32_t> devices;
  while (BULWARK_TRY(row.step())) devices.push_back(static_cast<std::uint32_t>(row.int64(0)));
  return devices;
}

}  // namespace bulwark::client
