#include "protocol/memory_store.h"

#include "protocol/state/record_codec.h"

namespace bulwark::protocol {

Result<bool> InMemoryIdentityKeyStore::is_trusted_identity(const ProtocolAddress& address,
                                                           const IdentityKey& key,
                                                           Direction /*direction*/) const {
  auto found = known_.find(address);
  return found == known_.end() || found->second == key;
}

Result<void> InMemoryIdentityKeyStore::save_identity(const ProtocolAddress& address,
                                                     const IdentityKey& key) {
  known_.insert_or_assign(address, key);
  return {};
}

Result<std::optional<IdentityKey>> InMemoryIdentityKeyStore::identity(
    const ProtocolAddress& address) const {
  auto found = known_.find(address);
  if (found == known_.end()) return std::optional<IdentityKey>();
  return std::optional<IdentityKey>(found->second);
}

Result<std::optional<SessionRecord>> InMemorySessionStore::load_session(
    const ProtocolAddress& address) const {
  auto found = sessions_.find(address);
  if (found == sessions_.end()) return std::optional<SessionRecord>();
  auto record = BULWARK_TRY(deserialize_session_record(found->second.view()));
  return std::optional<SessionRecord>(std::move(record));
}

Result<void> InMemorySessionStore::store_session(const ProtocolAddress& address,
                                                 const SessionRecord& record) {
  sessions_.insert_or_assign(address, serialize_session_record(record));
  return {};
}

Result<PreKeyRecord> InMemoryPreKeyStore::load_pre_key(PreKeyId id) const {
  auto found = keys_.find(id);
  if (found == keys_.end()) return fail(Errc::invalid_key_id, "no prekey " + id.to_string());
  return found->second.clone();
}

Result<void> InMemoryPreKeyStore::store_pre_key(const PreKeyRecord& record) {
  keys_.insert_or_assign(record.id, record.clone());
  return {};
}

Result<void> InMemoryPreKeyStore::remove_pre_key(PreKeyId id) {
  keys_.erase(id);
  return {};
}

Result<SignedPreKeyRecord> InMemorySignedPreKeyStore::load_signed_pre_key(
    SignedPreKeyId id) const {
  auto found = keys_.find(id);
  if (found == keys_.end())
    return fail(Errc::invalid_key_id, "no signed prekey " + id.to_string());
  return found->second.clone();
}

Result<void> InMemorySignedPreKeyStore::store_signed_pre_key(const SignedPreKeyRecord& record) {
  keys_.insert_or_assign(record.id, record.clone());
  return {};
}

Result<KyberPreKeyRecord> InMemoryKyberPreKeyStore::load_kyber_pre_key(KyberPreKeyId id) const {
  auto found = keys_.find(id);
  if (found == keys_.end())
    return fail(Errc::invalid_key_id, "no Kyber prekey " + id.to_string());
  return found->second.record.clone();
}

Result<void> InMemoryKyberPreKeyStore::store_kyber_pre_key(const KyberPreKeyRecord& record,
                                                           KyberPreKeyKind kind) {
  keys_.insert_or_assign(record.id, Entry{record.clone(), kind, {}});
  return {};
}

Result<void> InMemoryKyberPreKeyStore::mark_kyber_pre_key_used(KyberPreKeyId id,
                                                               SignedPreKeyId signed_pre_key_id,
                                                               const PublicKey& base_key) {
  auto found = keys_.find(id);
  if (found == keys_.end()) return fail(Errc::invalid_key_id, "no Kyber prekey " + id.to_string());
  if (found->second.kind == KyberPreKeyKind::one_time) {
    keys_.erase(found);
    return {};
  }
  if (!found->second.used_base_keys.emplace(signed_pre_key_id, base_key.serialize()).second)
    return fail(Errc::invalid_message, "reused base key");
  return {};
}

}  // namespace bulwark::protocol
