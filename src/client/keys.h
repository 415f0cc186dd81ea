// Key generation for this device: the identity and device keys made at registration, and
// batches of one-time prekeys (EC and Kyber) for replenishment. Ids are "medium" ids as in
// Signal: 1..0xFFFFFE, wrapping, taken from the account's counters (which the caller saves).
#pragma once

#include <cstdint>
#include <vector>

#include "api/proto/api.pb.h"
#include "client/local_store.h"
#include "protocol/prekeys.h"

namespace bulwark::client {

inline constexpr std::uint32_t max_medium_id = 0xFFFFFE;

struct OneTimeKeys {
  std::vector<protocol::PreKeyRecord> ec;
  std::vector<protocol::KyberPreKeyRecord> kyber;
};

// Generates `ec` EC and `kyber` Kyber one-time prekeys, advancing the account's counters.
[[nodiscard]] OneTimeKeys generate_one_time_keys(LocalAccount& account,
                                                 const protocol::IdentityKeyPair& identity,
                                                 std::uint32_t ec, std::uint32_t kyber,
                                                 std::uint64_t now_ms, Rng& rng);
[[nodiscard]] Result<void> store_one_time_keys(LocalStore& store, const OneTimeKeys& keys);
void add_public_keys(const OneTimeKeys& keys, api::UploadPreKeys& out);
void add_public_keys(const OneTimeKeys& keys, api::DeviceKeys& out);

// Generates, stores and describes one-time keys in one step (replenishment).
[[nodiscard]] Result<void> generate_one_time_keys(LocalStore& store, LocalAccount& account,
                                                  std::uint32_t ec, std::uint32_t kyber,
                                                  std::uint64_t now_ms, Rng& rng,
                                                  api::UploadPreKeys& out);

void set_signed_pre_key(const protocol::SignedPreKeyRecord& record, api::SignedPreKey& out);
void set_kyber_pre_key(const protocol::KyberPreKeyRecord& record, api::KyberPreKey& out);

}  // namespace bulwark::client
