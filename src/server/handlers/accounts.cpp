// Accounts: usernames, discoverability, lookups, whoami, adding devices.
#include <algorithm>

#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "server/account_record_checks.h"
#include "server/device_session.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"
#include "server/phone.h"

namespace bulwark::server {
namespace {

void add_devices(const std::vector<store::Device>& devices,
                 google::protobuf::RepeatedField<std::uint32_t>& out) {
  for (const store::Device& device : devices) out.Add(device.id.value());
}

}  // namespace

void handle_set_username(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  std::string name = api::canonical_username(request.set_username().username());
  if (!name.empty() && !api::is_valid_username(name))
    return session.respond_status(id, api::BAD_REQUEST,
                                  "a username is 3-32 letters, digits or _, starting with a letter");
  store::AccountId account = session.device()->account;
  session.with_store(id, [account, name](store::Store& store) {
    return store.set_username(account, name);
  }, [&session, id](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    session.respond(ok_response(id));
  });
}

void handle_set_discoverable(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  store::AccountId account = session.device()->account;
  bool discoverable = request.set_discoverable().discoverable_by_phone();
  session.with_store(id, [account, discoverable](store::Store& store) {
    return store.set_discoverable(account, discoverable);
  }, [&session, id](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    session.respond(ok_response(id));
  });
}

void handle_lookup(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::LookupAccount& lookup = request.lookup();
  auto decision = session.context().limiters.take(Limit::lookups_per_account,
                                                  account_text(session.device()->account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);

  std::string phone, username;
  std::optional<store::AccountId> account_id;
  switch (lookup.key_case()) {
    case api::LookupAccount::kPhone: {
      auto normalised = normalize_phone(lookup.phone());
      if (!normalised) return respond_error(session, id, normalised.error());
      phone = *normalised;
      break;
    }
    case api::LookupAccount::kUsername: username = api::canonical_username(lookup.username()); break;
    case api::LookupAccount::kAccountId: {
      auto parsed = account_id_from(lookup.account_id());
      if (!parsed) return respond_error(session, id, parsed.error());
      account_id = *parsed;
      break;
    }
    case api::LookupAccount::KEY_NOT_SET:
      return session.respond_status(id, api::BAD_REQUEST, "lookup needs a phone, username or id");
  }
  struct Found {
    std::optional<store::Account> account;
    std::vector<store::Device> devices;
  };
  auto found = std::make_shared<Found>();
  session.with_store(id, [=](store::Store& store) -> Result<void> {
    std::optional<store::Account> account;
    if (!phone.empty()) {
      account = BULWARK_TRY(store.account_by_phone(phone));
      // Phone discovery only for accounts that allow it; the answer is the same as for an
      // unknown number, so a lookup cannot tell "hidden" from "absent".
      if (account && !account->discoverable) account.reset();
    } else if (!username.empty()) {
      account = BULWARK_TRY(store.account_by_username(username));
    } else {
      account = BULWARK_TRY(store.account(*account_id));
    }
    if (account) found->devices = BULWARK_TRY(store.devices(account->id));
    found->account = std::move(account);
    return {};
  }, [&session, id, found](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (!found->account) return session.respond_status(id, api::NOT_FOUND, "no such account");
    api::Response response = ok_response(id);
    api::LookupResult* out = response.mutable_lookup();
    out->set_account_id(found->account->id.bytes.data(), found->account->id.bytes.size());
    out->set_identity_key(found->account->identity_key.data(), found->account->identity_key.size());
    if (found->account->username) out->set_username(*found->account->username);
    add_devices(found->devices, *out->mutable_device_ids());
    session.respond(response);
  });
}

void handle_whoami(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  store::DeviceAddress device = *session.device();
  struct Found {
    std::optional<store::Account> account;
    std::vector<store::Device> devices;
  };
  auto found = std::make_shared<Found>();
  session.with_store(id, [device, found](store::Store& store) -> Result<void> {
    found->account = BULWARK_TRY(store.account(device.account));
    found->devices = BULWARK_TRY(store.devices(device.account));
    return {};
  }, [&session, id, device, found](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    if (!found->account) return session.respond_status(id, api::NOT_FOUND, "account is gone");
    api::Response response = ok_response(id);
    api::WhoAmIResult* out = response.mutable_whoami();
    out->set_account_id(device.account.bytes.data(), device.account.bytes.size());
    out->set_device_id(device.device.value());
    out->set_phone(found->account->phone);
    if (found->account->username) out->set_username(*found->account->username);
    out->set_discoverable_by_phone(found->account->discoverable);
    add_devices(found->devices, *out->mutable_device_ids());
    // Device ids only grow (a re-registration starts again at 1): the next is one past the
    // highest. The add-device job checks the id it is really given anyway.
    std::uint32_t highest = 0;
    for (const auto& d : found->devices) highest = std::max(highest, d.id.value());
    out->set_next_device_id(highest + 1);
    session.respond(response);
  });
}

void handle_add_device(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  auto device = new_device_from(request.add_device().device(), session.context().now_ms());
  if (!device) return respond_error(session, id, device.error());
  const auto record = decode_signed_record(as_bytes(request.add_device().account_record()));
  if (!record) return respond_error(session, id, record.error());
  store::AccountId account = session.device()->account;
  auto added = std::make_shared<DeviceId>();
  session.with_store(id, [account, added, device = std::move(*device), next = *record,
                          encoded = to_bytes(as_bytes(request.add_device().account_record()))](
                             store::Store& store) -> Result<void> {
    auto devices = BULWARK_TRY(store.devices(account));
    if (devices.size() >= api::max_devices_per_account)
      return fail(Errc::conflict, "the account has the most devices allowed");
    const auto current_bytes = BULWARK_TRY(store.kt_latest_value(view_of(account.bytes)));
    if (!current_bytes) {
      return fail(Errc::conflict, "the account has no key-transparency record: register again");
    }
    const auto current = BULWARK_TRY(kt::decode_account_record(*current_bytes));
    *added = BULWARK_TRY(store.add_device(account, device));
    // A failed check undoes this job alone, the device included.
    BULWARK_TRY(check_added_device(current, next, added->value(), device.registration_id.value(),
                                   device.auth_key));
    BULWARK_TRY(store.kt_queue_update(view_of(account.bytes), encoded));
    return {};
  }, [&session, id, added](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    api::Response response = ok_response(id);
    response.mutable_add_device()->set_device_id(added->value());
    session.respond(response);
  });
}

}  // namespace bulwark::server
