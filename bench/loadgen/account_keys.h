// An account's identity key and its key-transparency record chain (kt/account_record.h), as
// far as registering through the API needs them: since issue 5 the server takes a Register
// only with the account's first record (this device as device 1) and an AddDevice only with
// the successor record listing the new device, each signed (XEdDSA) by the identity key.
// The generator keeps the identity key only while it registers the account.
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/rng.h"
#include "crypto/x25519.h"
#include "device.h"
#include "kt/account_record.h"

namespace bulwark::loadgen {

class AccountKeys {
 public:
  explicit AccountKeys(Rng& rng);

  // 0x05 || X25519 public key: Register's identity_key.
  [[nodiscard]] ByteView identity_key() const noexcept { return view_of(identity_key_); }

  // The chain's first record, `device` as device 1. Starts the chain again if called twice.
  [[nodiscard]] Bytes first_record(const DeviceCredentials& device, Rng& rng);
  // The successor of the last record made, which adds `device` under `device_id`.
  [[nodiscard]] Bytes record_adding(const DeviceCredentials& device, std::uint32_t device_id,
                                    Rng& rng);

 private:
  Bytes signed_record(kt::AccountRecord record, Rng& rng);

  crypto::X25519KeyPair identity_;
  std::array<std::byte, kt::identity_key_bytes> identity_key_{};
  kt::AccountRecord current_;
};

}  // namespace bulwark::loadgen
