// In-memory reference implementations of every protocol store (store.h): the behaviour a
// persistent store must match, and what tests and the interop peer use. Identity trust is
// "trust on first use": the first key seen for an address is trusted, a different one later
// is not until save_identity replaces it (the user's explicit decision).
#pragma once

#include <map>
#include <set>
#include <utility>

#include "protocol/store.h"

namespace bulwark::protocol {

class InMemoryIdentityKeyStore final : public IdentityKeyStore {
 public:
  InMemoryIdentityKeyStore(IdentityKeyPair identity, RegistrationId registration_id)
      : identity_(std::move(identity)), registration_id_(registration_id) {}
  [[nodiscard]] const IdentityKeyPair& identity_key_pair() const override { return identity_; }
  [[nodiscard]] RegistrationId local_registration_id() const override { return registration_id_; }
  [[nodiscard]] Result<bool> is_trusted_identity(const ProtocolAddress& address,
                                                 const IdentityKey& key,
                                                 Direction direction) const override;
  [[nodiscard]] Result<void> save_identity(const ProtocolAddress& address,
                                           const IdentityKey& key) override;
  [[nodiscard]] Result<std::optional<IdentityKey>> identity(
      const ProtocolAddress& address) const override;

 private:
  IdentityKeyPair identity_;
  RegistrationId registration_id_;
  std::map<ProtocolAddress, IdentityKey> known_;
};

// Keeps each record serialised (state/record_codec.h), as a persistent store would, so every
// load and store goes through the codec.
class InMemorySessionStore final : public SessionStore {
 public:
  [[nodiscard]] Result<std::optional<SessionRecord>> load_session(
      const ProtocolAddress& address) const override;
  [[nodiscard]] Result<void> store_session(const ProtocolAddress& address,
                                           const SessionRecord& record) override;

 private:
  std::map<ProtocolAddress, SecretBytes> sessions_;
};

class InMemoryPreKeyStore final : public PreKeyStore {
 public:
  [[nodiscard]] Result<PreKeyRecord> load_pre_key(PreKeyId id) const override;
  [[nodiscard]] Result<void> store_pre_key(const PreKeyRecord& record) override;
  [[nodiscard]] Result<void> remove_pre_key(PreKeyId id) override;
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }

 private:
  std::map<PreKeyId, PreKeyRecord> keys_;
};

class InMemorySignedPreKeyStore final : public SignedPreKeyStore {
 public:
  [[nodiscard]] Result<SignedPreKeyRecord> load_signed_pre_key(SignedPreKeyId id) const override;
  [[nodiscard]] Result<void> store_signed_pre_key(const SignedPreKeyRecord& record) override;

 private:
  std::map<SignedPreKeyId, SignedPreKeyRecord> keys_;
};

class InMemoryKyberPreKeyStore final : public KyberPreKeyStore {
 public:
  [[nodiscard]] Result<KyberPreKeyRecord> load_kyber_pre_key(KyberPreKeyId id) const override;
  [[nodiscard]] Result<void> store_kyber_pre_key(const KyberPreKeyRecord& record,
                                                 KyberPreKeyKind kind) override;
  [[nodiscard]] Result<void> mark_kyber_pre_key_used(KyberPreKeyId id,
                                                     SignedPreKeyId signed_pre_key_id,
                                                     const PublicKey& base_key) override;
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }

 private:
  struct Entry {
    KyberPreKeyRecord record;
    KyberPreKeyKind kind;
    // Last-resort keys only: every (signed prekey, base key) already accepted. It lives as long
    // as the key, which the owner rotates, so it stays bounded by the sessions one key starts.
    std::set<std::pair<SignedPreKeyId, PublicKey::Serialized>> used_base_keys;
  };
  std::map<KyberPreKeyId, Entry> keys_;
};

// All five stores for one local device, for tests and peers.
struct InMemoryProtocolStores {
  InMemoryProtocolStores(IdentityKeyPair identity, RegistrationId registration_id)
      : identities(std::move(identity), registration_id) {}
  [[nodiscard]] ProtocolStores view() {
    return {sessions, identities, pre_keys, signed_pre_keys, kyber_pre_keys};
  }

  InMemorySessionStore sessions;
  InMemoryIdentityKeyStore identities;
  InMemoryPreKeyStore pre_keys;
  InMemorySignedPreKeyStore signed_pre_keys;
  InMemoryKyberPreKeyStore kyber_pre_keys;
};

}  // namespace bulwark::protocol
