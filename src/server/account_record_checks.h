// What the server checks of the account records clients publish in key transparency
// (kt/account_record.h) before queueing them: that each is signed by the account's identity
// key and describes exactly the change being made. The server cannot sign records, so these
// checks do not protect users from the server (the clients' own checks do); they keep a buggy
// or hostile client from publishing a record that does not match the account, which would
// make every contact refuse it.
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "kt/account_record.h"

namespace bulwark::server {

// A registration's first record: signed, a chain start, the registration's identity key, and
// device 1 alone with this registration id and authentication key. Errc::invalid_argument
// otherwise.
[[nodiscard]] Result<kt::AccountRecord> check_first_record(ByteView record, ByteView identity_key,
                                                           std::uint32_t registration_id,
                                                           ByteView auth_key);

// Decodes and verifies the signature of a record. Errc::invalid_argument otherwise.
[[nodiscard]] Result<kt::AccountRecord> decode_signed_record(ByteView record);

// An added device's record: the successor of `current`, whose devices are current's plus
// {device_id, registration_id, auth_key}. Errc::conflict when it does not continue `current`
// (another change came first), Errc::invalid_argument when it lists other devices.
[[nodiscard]] Result<void> check_added_device(const kt::AccountRecord& current,
                                              const kt::AccountRecord& next,
                                              std::uint32_t device_id,
                                              std::uint32_t registration_id, ByteView auth_key);

}  // namespace bulwark::server
