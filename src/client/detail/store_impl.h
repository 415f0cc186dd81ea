// Internal: LocalStore's private state, shared by the .cpp files that implement its methods
// (local_store.cpp, store/*.cpp), and the helpers they have in common.
#pragma once

#include <optional>
#include <string_view>

#include "client/detail/file_io.h"
#include "client/detail/sqlite.h"
#include "client/local_store.h"
#include "common/bytes.h"
#include "common/result.h"
#include "protocol/address.h"

namespace bulwark::client {

struct LocalStore::Impl {
  Impl(detail::DirLock dir_lock, detail::Database database)
      : lock(std::move(dir_lock)), db(std::move(database)) {}

  // Reloads the cached identity from the account row. The cached pair object is kept (and so
  // every reference to it stays valid) while the identity key is unchanged.
  [[nodiscard]] Result<void> refresh_identity();
  void adopt_identity(protocol::IdentityKeyPair pair, RegistrationId id);

  // Declared first, destroyed last: the database closes before the lock is released.
  detail::DirLock lock;
  detail::Database db;
  std::optional<protocol::IdentityKeyPair> identity;
  RegistrationId registration_id;
};

namespace detail {

// Errc::invalid_length unless a 16-byte account id.
[[nodiscard]] Result<void> check_account_id(ByteView account_id);
// The account id named by a protocol address (UUID text); Errc::invalid_argument otherwise.
[[nodiscard]] Result<Bytes> account_id_of(const protocol::ProtocolAddress& address);
// Inserts an empty contact row for the account when it has none (sessions and identities
// reference contacts).
[[nodiscard]] Result<void> ensure_contact(Database& db, ByteView account_id);

}  // namespace detail
}  // namespace bulwark::client
