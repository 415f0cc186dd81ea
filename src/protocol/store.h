// Storage interfaces of the protocol layer, one small interface per concern (libsignal
// rust/protocol/src/storage/traits.rs). Loads return copies: the session cipher works on its
// copy and stores it back only when an operation fully succeeded, so a failed decryption never
// changes what is stored. Every call returns a Result so that a persistent store can report
// its own failures.
#pragma once

#include <optional>

#include "common/ids.h"
#include "common/result.h"
#include "protocol/address.h"
#include "protocol/keys.h"
#include "protocol/prekeys.h"
#include "protocol/state/session_record.h"

namespace bulwark::protocol {

enum class Direction { sending, receiving };

class IdentityKeyStore {
 public:
  virtual ~IdentityKeyStore() = default;
  [[nodiscard]] virtual const IdentityKeyPair& identity_key_pair() const = 0;
  [[nodiscard]] virtual RegistrationId local_registration_id() const = 0;
  // Whether `key` may be used for `address` now. A store that has no key for the address
  // trusts the first one it sees; one that holds a different key decides by its own policy.
  [[nodiscard]] virtual Result<bool> is_trusted_identity(const ProtocolAddress& address,
                                                         const IdentityKey& key,
                                                         Direction direction) const = 0;
  [[nodiscard]] virtual Result<void> save_identity(const ProtocolAddress& address,
                                                   const IdentityKey& key) = 0;
  [[nodiscard]] virtual Result<std::optional<IdentityKey>> identity(
      const ProtocolAddress& address) const = 0;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  [[nodiscard]] virtual Result<std::optional<SessionRecord>> load_session(
      const ProtocolAddress& address) const = 0;
  [[nodiscard]] virtual Result<void> store_session(const ProtocolAddress& address,
                                                   const SessionRecord& record) = 0;
};

class PreKeyStore {
 public:
  virtual ~PreKeyStore() = default;
  // Errc::invalid_key_id when there is no such prekey.
  [[nodiscard]] virtual Result<PreKeyRecord> load_pre_key(PreKeyId id) const = 0;
  [[nodiscard]] virtual Result<void> store_pre_key(const PreKeyRecord& record) = 0;
  [[nodiscard]] virtual Result<void> remove_pre_key(PreKeyId id) = 0;
};

class SignedPreKeyStore {
 public:
  virtual ~SignedPreKeyStore() = default;
  [[nodiscard]] virtual Result<SignedPreKeyRecord> load_signed_pre_key(SignedPreKeyId id) const = 0;
  [[nodiscard]] virtual Result<void> store_signed_pre_key(const SignedPreKeyRecord& record) = 0;
};

enum class KyberPreKeyKind { one_time, last_resort };

class KyberPreKeyStore {
 public:
  virtual ~KyberPreKeyStore() = default;
  [[nodiscard]] virtual Result<KyberPreKeyRecord> load_kyber_pre_key(KyberPreKeyId id) const = 0;
  [[nodiscard]] virtual Result<void> store_kyber_pre_key(const KyberPreKeyRecord& record,
                                                         KyberPreKeyKind kind) = 0;
  // Called when a prekey message that used `id` (with `signed_pre_key_id` and the initiator's
  // `base_key`) has decrypted, before its session is stored: a one-time key is deleted; a
  // last-resort key is kept, but the same (signed prekey, base key) pair must never be
  // accepted twice (Errc::invalid_message): that would be a replay of the first message of a
  // session that has since left the record (libsignal's "reused base key" check).
  [[nodiscard]] virtual Result<void> mark_kyber_pre_key_used(KyberPreKeyId id,
                                                             SignedPreKeyId signed_pre_key_id,
                                                             const PublicKey& base_key) = 0;
};

// Errc::untrusted_identity unless `identities` trusts `key` for `address` in `direction`.
[[nodiscard]] Result<void> require_trusted_identity(const IdentityKeyStore& identities,
                                                    const ProtocolAddress& address,
                                                    const IdentityKey& key, Direction direction);

// The stores a session operation needs, passed together.
struct ProtocolStores {
  SessionStore& sessions;
  IdentityKeyStore& identities;
  PreKeyStore& pre_keys;
  SignedPreKeyStore& signed_pre_keys;
  KyberPreKeyStore& kyber_pre_keys;
};

}  // namespace bulwark::protocol
