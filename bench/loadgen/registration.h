// Registration through the real API, as a phone client does it: RequestCode, the code read
// from the server's verification file, Register (account plus first device, with the account's
// first key-transparency record), then AddDevice for the account's further devices, one after
// another, over the same, now authenticated, connection (account_keys.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "code_file.h"
#include "device.h"
#include "ws_client.h"

namespace bulwark::loadgen {

// One account: devices[first, first + count) of the device list; devices[first] registers,
// the others are added. Each device must have its phone, registration id and auth key set.
struct AccountPlan {
  std::size_t first = 0;
  std::size_t count = 1;
};

struct RegistrationOutcome {
  std::size_t accounts = 0;
  std::size_t devices = 0;
  std::size_t failed = 0;
  std::string first_failure;
  double seconds = 0;
};

// Fills in account ids and device ids. At most `concurrency` registrations run at once.
RegistrationOutcome register_accounts(const TlsClientContext& tls, const ServerAddress& server,
                                      CodeFile& codes, std::vector<DeviceCredentials>& devices,
                                      const std::vector<AccountPlan>& plans,
                                      std::size_t concurrency, Clock::time_point deadline);

}  // namespace bulwark::loadgen
