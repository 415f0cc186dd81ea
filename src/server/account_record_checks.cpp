#include "server/account_record_checks.h"

#include <algorithm>

namespace bulwark::server {
namespace {

Error invalid(const char* what) {
  return Error{Errc::invalid_argument, std::string("account record: ") + what};
}

}  // namespace

Result<kt::AccountRecord> decode_signed_record(ByteView bytes) {
  auto record = kt::decode_account_record(bytes);
  if (!record) return tl::unexpected(invalid("malformed"));
  if (!kt::verify_account_record(*record)) {
    return tl::unexpected(invalid("not signed by its identity key"));
  }
  return record;
}

Result<kt::AccountRecord> check_first_record(ByteView bytes, ByteView identity_key,
                                             std::uint32_t registration_id, ByteView auth_key) {
  kt::AccountRecord record = BULWARK_TRY(decode_signed_record(bytes));
  if (!std::equal(identity_key.begin(), identity_key.end(), record.identity_key.begin(),
                  record.identity_key.end())) {
    return tl::unexpected(invalid("another identity key than the registration's"));
  }
  if (record.sequence != 0) return tl::unexpected(invalid("a registration starts a new chain"));
  if (record.devices.size() != 1 ||
      record.devices[0] != kt::device_entry(1, registration_id, auth_key)) {
    return tl::unexpected(invalid("must list exactly the registering device as device 1"));
  }
  return record;
}

Result<void> check_added_device(const kt::AccountRecord& current, const kt::AccountRecord& next,
                                std::uint32_t device_id, std::uint32_t registration_id,
                                ByteView auth_key) {
  if (!kt::verify_successor(current, next)) {
    return fail(Errc::conflict,
                "account record: does not continue the account's current record; fetch it again");
  }
  std::vector<kt::DeviceEntry> expected = current.devices;
  expected.push_back(kt::device_entry(device_id, registration_id, auth_key));
  std::sort(expected.begin(), expected.end(),
            [](const auto& a, const auto& b) { return a.device_id < b.device_id; });
  if (next.devices != expected) {
    return tl::unexpected(invalid("must list the current devices plus the new one, nothing else"));
  }
  return {};
}

}  // namespace bulwark::server
