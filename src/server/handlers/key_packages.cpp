// MLS KeyPackages (docs/GROUPS.md "Delivery service (server)"): uploads, counts (for refilling)
// and takes (one per device of an account, one-time packages consumed atomically), the way
// prekeys.cpp serves Signal prekeys. The packages are opaque: the server checks sizes only.
#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "crypto/hash.h"
#include "server/device_session.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"

namespace bulwark::server {
namespace {

bool fits_key_package(const std::string& bytes) {
  return !bytes.empty() && bytes.size() <= api::max_key_package_bytes;
}

store::KeyPackage key_package_from(const std::string& bytes) {
  const ByteView view = as_bytes(bytes);
  const crypto::Sha256Digest digest = crypto::sha256(view);
  return store::KeyPackage{to_bytes(digest), to_bytes(view)};
}

struct TakenPackages {
  std::optional<store::Account> account;
  std::vector<std::pair<DeviceId, store::TakenKeyPackage>> packages;
  std::vector<DeviceId> missing;
};

// Runs on the store thread: one package per device (but the asking one), taken in one job.
Result<void> take_for_devices(store::Store& store, const store::DeviceAddress& asker,
                              const store::AccountId& target, std::uint32_t wanted,
                              TakenPackages& out) {
  out.account = BULWARK_TRY(store.account(target));
  if (!out.account) return {};
  auto devices = BULWARK_TRY(store.devices(target));
  for (const store::Device& device : devices) {
    if (wanted != 0 && device.id.value() != wanted) continue;
    // A device is in its groups already: taking its own package would only waste one.
    if (target == asker.account && device.id == asker.device) continue;
    auto taken = BULWARK_TRY(store.take_key_package({target, device.id}));
    if (taken) {
      out.packages.emplace_back(device.id, std::move(*taken));
    } else {
      out.missing.push_back(device.id);
    }
  }
  return {};
}

void answer_taken(DeviceSession& session, std::uint64_t id, const TakenPackages& found) {
  if (!found.account || (found.packages.empty() && found.missing.empty()))
    return session.respond_status(id, api::NOT_FOUND, "no such account or device");
  api::Response response = ok_response(id);
  api::KeyPackages* out = response.mutable_key_packages();
  for (const auto& [device, taken] : found.packages) {
    api::DeviceKeyPackage* package = out->add_key_packages();
    package->set_device_id(device.value());
    package->set_key_package(taken.bytes.data(), taken.bytes.size());
    package->set_last_resort(taken.last_resort);
  }
  for (DeviceId device : found.missing) out->add_missing_devices(device.value());
  session.respond(std::move(response));
}

}  // namespace

void handle_upload_key_packages(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::UploadKeyPackages& upload = request.upload_key_packages();
  if (static_cast<std::size_t>(upload.key_packages_size()) > api::max_key_packages_per_upload)
    return session.respond_status(id, api::BAD_REQUEST, "at most 100 KeyPackages per upload");
  std::vector<store::KeyPackage> packages;
  for (const std::string& bytes : upload.key_packages()) {
    if (!fits_key_package(bytes))
      return session.respond_status(id, api::TOO_LARGE, "a KeyPackage is 1 byte to 16 KiB");
    packages.push_back(key_package_from(bytes));
  }
  std::optional<Bytes> last_resort;
  if (!upload.last_resort_key_package().empty()) {
    if (!fits_key_package(upload.last_resort_key_package()))
      return session.respond_status(id, api::TOO_LARGE, "a KeyPackage is 1 byte to 16 KiB");
    last_resort = to_bytes(as_bytes(upload.last_resort_key_package()));
  }
  store::DeviceAddress device = *session.device();
  session.with_store(
      id,
      [device, packages = std::move(packages),
       last_resort = std::move(last_resort)](store::Store& store) -> Result<void> {
        if (last_resort) BULWARK_TRY(store.set_last_resort_key_package(device, *last_resort));
        if (!packages.empty()) BULWARK_TRY(store.add_key_packages(device, packages));
        return {};
      },
      [&session, id](Result<void> result) {
        if (!result) return respond_error(session, id, result.error());
        session.respond(ok_response(id));
      });
}

void handle_get_key_package_counts(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  store::DeviceAddress device = *session.device();
  auto counts = std::make_shared<store::KeyPackageCounts>();
  session.read_store(
      id,
      [device, counts](store::Store& store) -> Result<void> {
        *counts = BULWARK_TRY(store.key_package_counts(device));
        return {};
      },
      [&session, id, counts](Result<void> result) {
        if (!result) return respond_error(session, id, result.error());
        api::Response response = ok_response(id);
        response.mutable_key_package_counts()->set_key_packages(counts->one_time);
        response.mutable_key_package_counts()->set_has_last_resort(counts->has_last_resort);
        session.respond(response);
      });
}

void handle_take_key_packages(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::TakeKeyPackages& take = request.take_key_packages();
  auto account = account_id_from(take.account_id());
  if (!account) return respond_error(session, id, account.error());
  const store::DeviceAddress asker = *session.device();
  auto decision =
      session.context().limiters.take(Limit::lookups_per_account, account_text(asker.account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  auto found = std::make_shared<TakenPackages>();
  const std::uint32_t wanted = take.device_id();
  const store::AccountId target = *account;
  session.with_store(
      id,
      [found, asker, target, wanted](store::Store& store) {
        return take_for_devices(store, asker, target, wanted, *found);
      },
      [&session, id, found](Result<void> result) {
        if (!result) return respond_error(session, id, result.error());
        answer_taken(session, id, *found);
      });
}

}  // namespace bulwark::server
