// Self-monitoring (client/transparency.h): on every connect, and on `bulwark keys verify`, a
// device compares the log's record of its own account, and the server's list of the account's
// devices, with the newest record it made or accepted itself.
#include <algorithm>

#include "client/transparency.h"
#include "client/uuid.h"

namespace bulwark::client {
namespace {

std::string ids_text(const std::vector<std::uint32_t>& ids) {
  std::string out;
  for (const std::uint32_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

std::vector<std::uint32_t> device_ids(const kt::AccountRecord& record) {
  std::vector<std::uint32_t> ids;
  for (const auto& device : record.devices) ids.push_back(device.device_id);
  return ids;
}

std::vector<std::uint32_t> minus(const std::vector<std::uint32_t>& a,
                                 const std::vector<std::uint32_t>& b) {
  std::vector<std::uint32_t> out;
  for (const std::uint32_t x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

void alert(KeysReport& report, std::string kind, std::string message) {
  report.alerts.push_back(KtAlert{std::move(kind), report.account_id, std::move(message)});
}

// The log's record against this device's newest own record.
void compare_records(const kt::AccountRecord& logged, const kt::AccountRecord& own,
                     std::int64_t now_ms, KeysReport& report, bool& own_is_published) {
  own_is_published = false;
  if (logged.identity_key != own.identity_key) {
    return alert(report, "identity_changed",
                 "the transparency log lists another identity key for your account: someone "
                 "registered your number again. Messages to you are now encrypted to their key, "
                 "not this device's");
  }
  if (kt::encode_account_record(logged) == kt::encode_account_record(own)) {
    own_is_published = true;
    return;
  }
  if (logged.sequence < own.sequence) {
    // This device's newer record is not in the log yet: normal for a little while.
    const auto age = now_ms - static_cast<std::int64_t>(own.created_ms);
    if (age > std::chrono::duration_cast<std::chrono::milliseconds>(publication_grace).count()) {
      alert(report, "not_published",
            "your newest device list (made " + std::to_string(age / 60000) +
                " minutes ago) is still not in the transparency log");
    }
    return;
  }
  const auto added = minus(device_ids(logged), device_ids(own));
  const auto removed = minus(device_ids(own), device_ids(logged));
  std::string change = "your account's signed device list changed, and not by this device";
  if (!added.empty()) change += "; added: device " + ids_text(added);
  if (!removed.empty()) change += "; removed: device " + ids_text(removed);
  alert(report, "record_changed",
        change + ". If you did not do this on another of your devices, someone holds your "
                 "identity key");
}

}  // namespace

Result<KeysReport> monitor_own_account(Client::Impl& impl) {
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  KeysReport report;
  report.account_id = BULWARK_TRY(format_uuid(self->account_id));
  const auto own_stored = BULWARK_TRY(impl.store->kt_record(self->account_id));
  if (!own_stored) {
    return fail(Errc::not_found, "this device has no record of its own keys (an account from "
                                 "before key transparency: register again)");
  }
  const kt::AccountRecord own = BULWARK_TRY(kt::decode_account_record(own_stored->record));

  api::Request request;
  request.mutable_whoami();
  const auto who = BULWARK_TRY(impl.call(std::move(request)));
  const std::vector<std::uint32_t> server_devices(who.whoami().device_ids().begin(),
                                                  who.whoami().device_ids().end());

  const auto verified = verify_account(impl, self->account_id, std::chrono::milliseconds(0));
  const kt::AccountRecord* logged = nullptr;
  if (verified) {
    logged = &verified->record;
    report.version = verified->version;
    report.devices = device_ids(verified->record);
    report.checkpoint = verified->checkpoint;
    bool own_is_published = false;
    compare_records(verified->record, own, impl.now_ms(), report, own_is_published);
    if (own_is_published && own_stored->version != verified->version) {
      BULWARK_TRY(impl.store->save_kt_record(
          KtRecord{self->account_id, verified->version, own_stored->record}));
    }
  } else if (verified.error().code == Errc::not_found) {
    // No search to check: check the log itself, so that a server cannot dodge the
    // consistency check by claiming not to know the account.
    const auto view = verify_log_view(impl);
    if (view) report.checkpoint = *view;
    const auto age = impl.now_ms() - static_cast<std::int64_t>(own.created_ms);
    if (own_stored->version) {
      alert(report, "log_inconsistent",
            "your keys, which the transparency log showed as version " +
                std::to_string(*own_stored->version) + ", are missing from the log now");
    } else if (age > std::chrono::duration_cast<std::chrono::milliseconds>(publication_grace).count()) {
      alert(report, "not_published", "your keys are not in the transparency log " +
                                         std::to_string(age / 60000) + " minutes after they were made");
    }
  } else if (verified.error().code != Errc::auth_failed) {  // unwitnessed: alerted already
    alert(report, "log_inconsistent",
          "your own entry in the transparency log could not be verified: " +
              verified.error().context);
  }
  // A device the server lists but no record of this account's identity key signed.
  std::vector<std::uint32_t> signed_ids = device_ids(own);
  if (logged != nullptr) {
    const auto more = device_ids(*logged);
    signed_ids.insert(signed_ids.end(), more.begin(), more.end());
  }
  const auto ghosts = minus(server_devices, signed_ids);
  if (!ghosts.empty()) {
    alert(report, "ghost_device",
          "the server lists device " + ids_text(ghosts) +
              " for your account, which your identity key never signed. Bulwark clients refuse "
              "to encrypt to it, but someone made the server add it");
  }
  for (const KtAlert& found : report.alerts) {
    const bool known = std::any_of(impl.alerts.begin(), impl.alerts.end(), [&](const KtAlert& a) {
      return a.kind == found.kind && a.message == found.message;
    });
    if (!known) impl.alerts.push_back(found);
  }
  return report;
}

}  // namespace bulwark::client
