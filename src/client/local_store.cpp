// LocalStore: opening, transactions and the device's own account. Contacts, the protocol
// stores and the inbox are in store/*.cpp.
#include "client/local_store.h"

#include <algorithm>
#include <utility>

#include "client/detail/schema.h"
#include "client/detail/store_impl.h"

namespace bulwark::client {
namespace {

constexpr std::size_t identity_private_bytes = 32;
constexpr std::size_t auth_secret_key_bytes = 64;
constexpr std::size_t auth_public_key_bytes = 32;

constexpr std::string_view select_account =
    "SELECT server_url, phone, account_id, device_id, username, registration_id,"
    " auth_secret_key, auth_public_key, identity_private, identity_public, next_pre_key_id,"
    " next_kyber_pre_key_id, next_signed_pre_key_id FROM account WHERE id = 1";

std::uint32_t u32(std::int64_t value) noexcept { return static_cast<std::uint32_t>(value); }

LocalAccount read_account(const detail::Statement& row) {
  LocalAccount account;
  account.server_url = row.text(0);
  account.phone = row.text(1);
  account.account_id = to_bytes(row.blob(2));
  account.device_id = u32(row.int64(3));
  account.username = row.optional_text(4);
  account.registration_id = RegistrationId(u32(row.int64(5)));
  account.auth_secret_key = SecretBytes::copy_of(row.blob(6));
  account.auth_public_key = to_bytes(row.blob(7));
  account.identity_private = SecretBytes::copy_of(row.blob(8));
  account.identity_public = to_bytes(row.blob(9));
  account.next_pre_key_id = u32(row.int64(10));
  account.next_kyber_pre_key_id = u32(row.int64(11));
  account.next_signed_pre_key_id = u32(row.int64(12));
  return account;
}

// The identity key pair an account names, after checking that its halves belong together.
Result<protocol::IdentityKeyPair> checked_identity(const LocalAccount& account) {
  BULWARK_TRY(detail::check_account_id(account.account_id));
  if (account.auth_secret_key.size() != auth_secret_key_bytes ||
      account.auth_public_key.size() != auth_public_key_bytes)
    return fail(Errc::invalid_length, "account: auth key pair must be 64 + 32 bytes");
  if (account.identity_private.size() != identity_private_bytes ||
      account.identity_public.size() != protocol::ec_public_key_bytes)
    return fail(Errc::invalid_length, "account: identity key pair must be 32 + 33 bytes");
  auto pair = BULWARK_TRY(protocol::KeyPair::from_secret(account.identity_private.view()));
  const auto derived = pair.public_key().serialize();
  if (!std::equal(derived.begin(), derived.end(), account.identity_public.begin(),
                  account.identity_public.end()))
    return fail(Errc::invalid_argument,
                "account: identity public key does not match its private key");
  return pair;
}

}  // namespace

void LocalStore::Impl::adopt_identity(protocol::IdentityKeyPair pair, RegistrationId id) {
  registration_id = id;
  if (identity && identity->public_key() == pair.public_key()) return;
  identity.emplace(std::move(pair));
}

Result<void> LocalStore::Impl::refresh_identity() {
  auto row =
      BULWARK_TRY(db.prepare("SELECT identity_private, registration_id FROM account WHERE id = 1"));
  if (!BULWARK_TRY(row.step())) {
    identity.reset();
    return {};
  }
  auto pair = BULWARK_TRY(protocol::KeyPair::from_secret(row.blob(0)));
  adopt_identity(std::move(pair), RegistrationId(u32(row.int64(1))));
  return {};
}

LocalStore::LocalStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LocalStore::~LocalStore() = default;

Result<std::unique_ptr<LocalStore>> LocalStore::open(const std::filesystem::path& dir,
                                                     const StoreKey& key) {
  BULWARK_TRY(detail::ensure_private_dir(dir));
  // The lock comes first: nothing touches the database while another process may use it.
  auto lock = BULWARK_TRY(detail::DirLock::acquire(dir));
  const auto file = dir / "client.db";
  BULWARK_TRY(detail::ensure_private_file(file));
  auto db = BULWARK_TRY(detail::Database::open(file, key.key));
  BULWARK_TRY(detail::migrate(db));
  auto impl = std::make_unique<Impl>(std::move(lock), std::move(db));
  BULWARK_TRY(impl->refresh_identity());
  // The constructor is private, so std::make_unique cannot reach it.
  return std::unique_ptr<LocalStore>(new LocalStore(std::move(impl)));
}

Result<void> LocalStore::transaction(const std::function<Result<void>()>& body) {
  auto result = impl_->db.transaction(body);
  // A rolled-back save_account must not stay in the cache. If even this read fails, the
  // body's error is the one to report.
  if (!result) (void)impl_->refresh_identity();
  return result;
}

Result<std::optional<LocalAccount>> LocalStore::account() const {
  auto row = BULWARK_TRY(impl_->db.prepare(select_account));
  if (!BULWARK_TRY(row.step())) return std::optional<LocalAccount>();
  return std::optional<LocalAccount>(read_account(row));
}

Result<void> LocalStore::save_account(const LocalAccount& account) {
  auto pair = BULWARK_TRY(checked_identity(account));
  auto insert = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR REPLACE INTO account (id, server_url, phone, account_id, device_id, username,"
      " registration_id, auth_secret_key, auth_public_key, identity_private, identity_public,"
      " next_pre_key_id, next_kyber_pre_key_id, next_signed_pre_key_id)"
      " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bind_text(1, account.server_url)
      .bind_text(2, account.phone)
      .bind_blob(3, account.account_id)
      .bind_int(4, account.device_id)
      .bind_optional_text(5, account.username)
      .bind_int(6, account.registration_id.value())
      .bind_blob(7, account.auth_secret_key.view())
      .bind_blob(8, account.auth_public_key)
      .bind_blob(9, account.identity_private.view())
      .bind_blob(10, account.identity_public)
      .bind_int(11, account.next_pre_key_id)
      .bind_int(12, account.next_kyber_pre_key_id)
      .bind_int(13, account.next_signed_pre_key_id);
  BULWARK_TRY(insert.run());
  impl_->adopt_identity(std::move(pair), account.registration_id);
  return {};
}

const protocol::IdentityKeyPair& LocalStore::identity_key_pair() const {
  if (!impl_->identity) contract_violation("LocalStore: identity_key_pair() before save_account()");
  return *impl_->identity;
}

RegistrationId LocalStore::local_registration_id() const {
  if (!impl_->identity)
    contract_violation("LocalStore: local_registration_id() before save_account()");
  return impl_->registration_id;
}

}  // namespace bulwark::client
