// This device's MLS identity: its own Ed25519 signature key (never the device auth key: one
// key, one protocol), its credential signed by the account identity key, and the KeyPackages
// it keeps on the server (docs/GROUPS.md "Client").
#include <algorithm>

#include "client/detail/group_ops.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "protocol/mls/key_package.h"

namespace bulwark::client::detail {
namespace {

Result<StoredKeyPackage> new_key_package(Client::Impl& impl, const GroupIdentity& identity,
                                         bool last_resort) {
  mls::KeyPackageParams params;
  params.credential = identity.credential;
  params.capabilities = group_capabilities();
  mls::KeyPackageBundle bundle = BULWARK_TRY(
      mls::create_key_package(group_suite(), identity.signer, std::move(params), impl.rng));
  StoredKeyPackage out;
  out.ref = std::move(bundle.ref);
  out.key_package = BULWARK_TRY(mls::serialize(bundle.key_package));
  out.private_keys = SecretBytes(64);
  std::ranges::copy(bundle.private_keys.init_key.bytes().view(),
                    out.private_keys.writable().begin());
  std::ranges::copy(bundle.private_keys.encryption_key.bytes().view(),
                    out.private_keys.writable().begin() + 32);
  out.last_resort = last_resort;
  out.created_at_ms = impl.now_ms();
  return out;
}

}  // namespace

const mls::CipherSuite& group_suite() {
  static const mls::CipherSuite suite = mls::CipherSuite::from_id(group_cipher_suite).value();
  return suite;
}

mls::Capabilities group_capabilities() {
  mls::Capabilities capabilities = mls::default_capabilities();
  capabilities.extensions.push_back(group_name_extension);
  return capabilities;
}

Result<GroupIdentity> group_identity(Client::Impl& impl) {
  const LocalAccount* account = BULWARK_TRY(impl.require_account());
  GroupStore store(*impl.store);
  auto saved = BULWARK_TRY(store.signer());
  if (!saved) {
    crypto::Ed25519KeyPair keys = crypto::ed25519_keypair(impl.rng);
    auto identity =
        BULWARK_TRY(crypto::X25519SecretKey::from_bytes(account->identity_private.view()));
    Bytes credential = BULWARK_TRY(make_mls_credential(account->account_id, account->device_id,
                                                       keys.public_key, identity, impl.rng));
    MlsSigner fresh{keys.secret_key.seed().clone(), std::move(credential)};
    BULWARK_TRY(store.save_signer(fresh));
    saved = std::move(fresh);
  }
  auto signer = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(saved->seed.view()));
  return GroupIdentity{std::move(signer), mls::basic_credential(saved->credential)};
}

Result<void> replenish_key_packages(Client::Impl& impl) {
  api::Request request;
  request.mutable_get_key_package_counts();
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  const auto& counts = response.key_package_counts();
  const bool one_time_low = counts.key_packages() < key_package_low_water;
  if (!one_time_low && counts.has_last_resort()) return {};
  const GroupIdentity identity = BULWARK_TRY(group_identity(impl));
  GroupStore store(*impl.store);
  api::Request upload;
  auto* packages = upload.mutable_upload_key_packages();
  // The private halves are stored before the server sees the public ones: a package the
  // server hands out is always one this device can open.
  const Result<void> saved = impl.store->transaction([&]() -> Result<void> {
    const std::uint32_t wanted = one_time_low ? key_package_target - counts.key_packages() : 0;
    for (std::uint32_t i = 0; i < wanted; ++i) {
      StoredKeyPackage package = BULWARK_TRY(new_key_package(impl, identity, false));
      BULWARK_TRY(store.add_key_package(package));
      packages->add_key_packages(text_of(package.key_package));
    }
    if (!counts.has_last_resort()) {
      StoredKeyPackage package = BULWARK_TRY(new_key_package(impl, identity, true));
      BULWARK_TRY(store.add_key_package(package));
      packages->set_last_resort_key_package(text_of(package.key_package));
    }
    return {};
  });
  if (!saved) return tl::unexpected(saved.error());
  BULWARK_TRY(impl.call(std::move(upload)));
  return {};
}

Result<std::vector<mls::KeyPackageBundle>> stored_key_package_bundles(Client::Impl& impl) {
  GroupStore store(*impl.store);
  std::vector<mls::KeyPackageBundle> out;
  for (const StoredKeyPackage& stored : BULWARK_TRY(store.key_packages())) {
    mls::KeyPackage key_package = BULWARK_TRY(mls::deserialize_key_package(stored.key_package));
    auto init_key =
        BULWARK_TRY(crypto::X25519SecretKey::from_bytes(stored.private_keys.view().first(32)));
    auto encryption_key =
        BULWARK_TRY(crypto::X25519SecretKey::from_bytes(stored.private_keys.view().subspan(32)));
    out.push_back(mls::KeyPackageBundle{
        std::move(key_package),
        mls::KeyPackagePrivate{std::move(init_key), std::move(encryption_key)}, stored.ref});
  }
  return out;
}

}  // namespace bulwark::client::detail
