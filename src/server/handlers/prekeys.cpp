// Prekeys: uploads, counts (for replenishment) and bundles (one-time keys consumed atomically).
#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "server/device_session.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"

namespace bulwark::server {

void handle_upload_pre_keys(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::UploadPreKeys& upload = request.upload_pre_keys();
  if (static_cast<std::size_t>(upload.pre_keys_size()) > api::max_pre_keys_per_upload ||
      static_cast<std::size_t>(upload.kyber_pre_keys_size()) > api::max_pre_keys_per_upload)
    return session.respond_status(id, api::BAD_REQUEST, "too many prekeys in one upload");
  std::optional<store::SignedKey> signed_key, last_resort;
  std::vector<store::OneTimeKey> pre_keys;
  std::vector<store::SignedKey> kyber_keys;
  if (upload.has_signed_pre_key()) {
    auto key = signed_pre_key_from(upload.signed_pre_key());
    if (!key) return respond_error(session, id, key.error());
    signed_key = std::move(*key);
  }
  if (upload.has_last_resort_kyber_pre_key()) {
    auto key = kyber_pre_key_from(upload.last_resort_kyber_pre_key());
    if (!key) return respond_error(session, id, key.error());
    last_resort = std::move(*key);
  }
  for (const api::PreKey& key : upload.pre_keys()) {
    auto converted = pre_key_from(key);
    if (!converted) return respond_error(session, id, converted.error());
    pre_keys.push_back(std::move(*converted));
  }
  for (const api::KyberPreKey& key : upload.kyber_pre_keys()) {
    auto converted = kyber_pre_key_from(key);
    if (!converted) return respond_error(session, id, converted.error());
    kyber_keys.push_back(std::move(*converted));
  }
  store::DeviceAddress device = *session.device();
  session.with_store(id, [=](store::Store& store) -> Result<void> {
    if (signed_key) BULWARK_TRY(store.set_signed_pre_key(device, *signed_key));
    if (last_resort) BULWARK_TRY(store.set_last_resort_kyber_pre_key(device, *last_resort));
    if (!pre_keys.empty()) BULWARK_TRY(store.add_pre_keys(device, pre_keys));
    if (!kyber_keys.empty()) BULWARK_TRY(store.add_kyber_pre_keys(device, kyber_keys));
    return {};
  }, [&session, id](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    session.respond(ok_response(id));
  });
}

void handle_get_pre_key_counts(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  store::DeviceAddress device = *session.device();
  auto counts = std::make_shared<store::PreKeyCounts>();
  session.with_store(id, [device, counts](store::Store& store) -> Result<void> {
    *counts = BULWARK_TRY(store.pre_key_counts(device));
    return {};
  }, [&session, id, counts](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    api::Response response = ok_response(id);
    response.mutable_pre_key_counts()->set_pre_keys(counts->pre_keys);
    response.mutable_pre_key_counts()->set_kyber_pre_keys(counts->kyber_pre_keys);
    session.respond(response);
  });
}

void handle_get_pre_key_bundles(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::GetPreKeyBundles& get = request.get_pre_key_bundles();
  auto account = account_id_from(get.account_id());
  if (!account) return respond_error(session, id, account.error());
  auto decision = session.context().limiters.take(Limit::lookups_per_account,
                                                  account_text(session.device()->account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  struct Found {
    std::optional<store::Account> account;
    std::vector<store::PreKeyBundle> bundles;
  };
  auto found = std::make_shared<Found>();
  std::uint32_t wanted = get.device_id();
  store::AccountId target = *account;
  session.with_store(id, [found, target, wanted](store::Store& store) -> Result<void> {
    found->account = BULWARK_TRY(store.account(target));
    if (!found->account) return {};
    auto devices = BULWARK_TRY(store.devices(target));
    for (const store::Device& device : devices) {
      if (wanted != 0 && device.id.value() != wanted) continue;
      auto bundle = BULWARK_TRY(store.take_pre_key_bundle({target, device.id}));
      found->bundles.push_back(std::move(bundle));
    }
    return {};
  }, [&session, id, found](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (!found->account || found->bundles.empty())
      return session.respond_status(id, api::NOT_FOUND, "no such account or device");
    api::Response response = ok_response(id);
    api::PreKeyBundles* out = response.mutable_pre_key_bundles();
    out->set_identity_key(found->account->identity_key.data(), found->account->identity_key.size());
    for (const store::PreKeyBundle& bundle : found->bundles) bundle_to_api(bundle, *out->add_bundles());
    session.respond(response);
  });
}

}  // namespace bulwark::server
