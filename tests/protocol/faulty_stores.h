// Test helper: the five protocol stores over in-memory ones, where the Nth store call (load or
// write, counted across all five) fails with Errc::internal. Fault loops run an operation with
// N = 0, 1, 2, ... until it succeeds and check that no failure left a partial result behind.
#pragma once

#include <cstddef>
#include <optional>

#include "protocol/memory_store.h"

namespace bulwark::testing {

class FaultCounter {
 public:
  void fail_call(std::size_t n) { remaining_ = n; }
  void never_fail() { remaining_.reset(); }
  // Errc::internal when this is the call chosen to fail.
  Result<void> tick() {
    if (!remaining_) return {};
    if (*remaining_ == 0) {
      remaining_.reset();
      return fail(Errc::internal, "injected store failure");
    }
    --*remaining_;
    return {};
  }

 private:
  std::optional<std::size_t> remaining_;
};

class FaultySessionStore final : public protocol::SessionStore {
 public:
  FaultySessionStore(protocol::SessionStore& inner, FaultCounter& faults) : inner_(inner), faults_(faults) {}
  Result<std::optional<protocol::SessionRecord>> load_session(
      const protocol::ProtocolAddress& address) const override {
    BULWARK_TRY(faults_.tick());
    return inner_.load_session(address);
  }
  Result<void> store_session(const protocol::ProtocolAddress& address,
                             const protocol::SessionRecord& record) override {
    BULWARK_TRY(faults_.tick());
    return inner_.store_session(address, record);
  }

 private:
  protocol::SessionStore& inner_;
  FaultCounter& faults_;
};

class FaultyIdentityKeyStore final : public protocol::IdentityKeyStore {
 public:
  FaultyIdentityKeyStore(protocol::IdentityKeyStore& inner, FaultCounter& faults) : inner_(inner), faults_(faults) {}
  const protocol::IdentityKeyPair& identity_key_pair() const override { return inner_.identity_key_pair(); }
  RegistrationId local_registration_id() const override { return inner_.local_registration_id(); }
  Result<bool> is_trusted_identity(const protocol::ProtocolAddress& address,
                                   const protocol::IdentityKey& key,
                                   protocol::Direction direction) const override {
    BULWARK_TRY(faults_.tick());
    return inner_.is_trusted_identity(address, key, direction);
  }
  Result<void> save_identity(const protocol::ProtocolAddress& address,
                             const protocol::IdentityKey& key) override {
    BULWARK_TRY(faults_.tick());
    return inner_.save_identity(address, key);
  }
  Result<std::optional<protocol::IdentityKey>> identity(
      const protocol::ProtocolAddress& address) const override {
    BULWARK_TRY(faults_.tick());
    return inner_.identity(address);
  }

 private:
  protocol::IdentityKeyStore& inner_;
  FaultCounter& faults_;
};

class FaultyPreKeyStore final : public protocol::PreKeyStore {
 public:
  FaultyPreKeyStore(protocol::PreKeyStore& inner, FaultCounter& faults) : inner_(inner), faults_(faults) {}
  Result<protocol::PreKeyRecord> load_pre_key(PreKeyId id) const override {
    BULWARK_TRY(faults_.tick());
    return inner_.load_pre_key(id);
  }
  Result<void> store_pre_key(const protocol::PreKeyRecord& record) override {
    BULWARK_TRY(faults_.tick());
    return inner_.store_pre_key(record);
  }
  Result<void> remove_pre_key(PreKeyId id) override {
    BULWARK_TRY(faults_.tick());
    return inner_.remove_pre_key(id);
  }

 private:
  protocol::PreKeyStore& inner_;
  FaultCounter& faults_;
};

class FaultySignedPreKeyStore final : public protocol::SignedPreKeyStore {
 public:
  FaultySignedPreKeyStore(protocol::SignedPreKeyStore& inner, FaultCounter& faults) : inner_(inner), faults_(faults) {}
  Result<protocol::SignedPreKeyRecord> load_signed_pre_key(SignedPreKeyId id) const override {
    BULWARK_TRY(faults_.tick());
    return inner_.load_signed_pre_key(id);
  }
  Result<void> store_signed_pre_key(const protocol::SignedPreKeyRecord& record) override {
    BULWARK_TRY(faults_.tick());
    return inner_.store_signed_pre_key(record);
  }

 private:
  protocol::SignedPreKeyStore& inner_;
  FaultCounter& faults_;
};

class FaultyKyberPreKeyStore final : public protocol::KyberPreKeyStore {
 public:
  FaultyKyberPreKeyStore(protocol::KyberPreKeyStore& inner, FaultCounter& faults) : inner_(inner), faults_(faults) {}
  Result<protocol::KyberPreKeyRecord> load_kyber_pre_key(KyberPreKeyId id) const override {
    BULWARK_TRY(faults_.tick());
    return inner_.load_kyber_pre_key(id);
  }
  Result<void> store_kyber_pre_key(const protocol::KyberPreKeyRecord& record,
                                   protocol::KyberPreKeyKind kind) override {
    BULWARK_TRY(faults_.tick());
    return inner_.store_kyber_pre_key(record, kind);
  }
  Result<void> mark_kyber_pre_key_used(KyberPreKeyId id, SignedPreKeyId signed_pre_key_id,
                                       const protocol::PublicKey& base_key) override {
    BULWARK_TRY(faults_.tick());
    return inner_.mark_kyber_pre_key_used(id, signed_pre_key_id, base_key);
  }

 private:
  protocol::KyberPreKeyStore& inner_;
  FaultCounter& faults_;
};

// All five, over a party's in-memory stores.
struct FaultyStores {
  FaultyStores(protocol::InMemoryProtocolStores& inner, FaultCounter& faults)
      : sessions(inner.sessions, faults),
        identities(inner.identities, faults),
        pre_keys(inner.pre_keys, faults),
        signed_pre_keys(inner.signed_pre_keys, faults),
        kyber_pre_keys(inner.kyber_pre_keys, faults) {}
  protocol::ProtocolStores view() {
    return {sessions, identities, pre_keys, signed_pre_keys, kyber_pre_keys};
  }

  FaultySessionStore sessions;
  FaultyIdentityKeyStore identities;
  FaultyPreKeyStore pre_keys;
  FaultySignedPreKeyStore signed_pre_keys;
  FaultyKyberPreKeyStore kyber_pre_keys;
};

}  // namespace bulwark::testing
