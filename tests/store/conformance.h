// The store conformance suite: tests written against Store& only, so that every backend
// (SQLite now, PostgreSQL later) runs the same ones. A backend joins by providing a Backend and
// instantiating the suites for it (tests/store/sqlite_backend_test.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "store/store.h"

namespace bulwark::store::conformance {

// Beast's fail_count: once armed with n, the (n+1)th operation from then on fails, and only
// that one.
class FailCounter {
 public:
  void arm(std::optional<int> n) {
    remaining_ = n;
    fired_ = false;
  }
  [[nodiscard]] bool should_fail() {
    if (!remaining_) return false;
    if (*remaining_ == 0) {
      remaining_.reset();
      fired_ = true;
      return true;
    }
    --*remaining_;
    return false;
  }
  [[nodiscard]] bool fired() const { return fired_; }

 private:
  std::optional<int> remaining_;
  bool fired_ = false;
};

// One backend under test: a store over its own fresh database.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual Store& store() = 0;
  // Closes the store and opens the same database again: what is still there was durable.
  virtual void reopen() = 0;
  // Makes the (n+1)th database statement from now fail; nullopt disarms.
  virtual void fail_after(std::optional<int> n) = 0;
  // Whether the armed failure happened.
  [[nodiscard]] virtual bool fault_fired() const = 0;
  // Whether run_batch commits all its jobs at once (SQLite) rather than each on its own
  // (PostgreSQL): only then does one failed commit fail every job.
  [[nodiscard]] virtual bool one_commit_per_batch() const { return true; }
};

struct BackendFactory {
  std::string name;
  std::function<std::unique_ptr<Backend>()> make;
};

// Parameters print as the backend's name in test listings.
inline void PrintTo(const BackendFactory& factory, std::ostream* out) { *out << factory.name; }

inline std::string backend_name(const ::testing::TestParamInfo<BackendFactory>& info) {
  return info.param.name;
}

// Unwraps a Result, turning an error into a thrown exception that fails the test with the
// error's description.
template <class T>
T must(Result<T> result) {
  if (!result) throw std::runtime_error("unexpected error: " + result.error().describe());
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// The Errc of a Result that must have failed.
template <class T>
Errc error_of(const Result<T>& result) {
  if (result) throw std::runtime_error("expected an error, got success");
  return result.error().code;
}

// The ids of the first 100 envelopes queued for `device`, in queue order.
inline std::vector<EnvelopeId> queued_ids(Store& store, const DeviceAddress& device) {
  std::vector<EnvelopeId> ids;
  for (const Envelope& envelope : must(store.queued(device, 0, 100))) ids.push_back(envelope.id);
  return ids;
}

inline Bytes filled(std::size_t size, std::uint8_t value) {
  return Bytes(size, static_cast<std::byte>(value));
}

inline AccountId account_id(std::uint8_t n) {
  AccountId id;
  id.bytes.fill(static_cast<std::byte>(n));
  return id;
}

inline EnvelopeId envelope_id(std::uint8_t a, std::uint8_t b = 0) {
  EnvelopeId id;
  id.bytes.fill(static_cast<std::byte>(a));
  id.bytes[15] = static_cast<std::byte>(b);
  return id;
}

inline std::string phone(int n) { return "+1555000" + std::to_string(1000 + n); }

inline NewAccount new_account(std::uint8_t n, std::uint8_t key = 0x05) {
  NewAccount account;
  account.id = account_id(n);
  account.phone = phone(n);
  account.identity_key = filled(33, key);
  account.created_at_ms = 1'700'000'000'000 + n;
  return account;
}

inline SignedKey signed_key(std::uint32_t id, std::uint8_t tag, std::size_t size = 32) {
  return SignedKey{id, filled(size, tag), filled(64, static_cast<std::uint8_t>(tag + 1))};
}

// A device with one-time EC keys 1..pre_keys and Kyber keys 1..kyber_keys; key bytes encode
// `tag` so that devices' keys differ.
inline NewDevice new_device(std::uint8_t tag, std::uint32_t pre_keys = 3,
                            std::uint32_t kyber_keys = 2) {
  NewDevice device;
  device.registration_id = RegistrationId{1000u + tag};
  device.auth_key = filled(32, tag);
  device.name = "device " + std::to_string(tag);
  device.signed_pre_key = signed_key(7, tag);
  device.last_resort_kyber_pre_key = signed_key(99, static_cast<std::uint8_t>(tag + 2), 1568);
  for (std::uint32_t id = 1; id <= pre_keys; ++id) {
    device.pre_keys.push_back(OneTimeKey{id, filled(32, static_cast<std::uint8_t>(tag + id))});
  }
  for (std::uint32_t id = 1; id <= kyber_keys; ++id) {
    device.kyber_pre_keys.push_back(signed_key(id, static_cast<std::uint8_t>(tag + id), 1568));
  }
  device.created_at_ms = 1'700'000'000'000;
  return device;
}

inline Envelope envelope(const DeviceAddress& to, std::uint8_t n,
                         std::int64_t expires_at_ms = 1'800'000'000'000) {
  Envelope out;
  out.id = envelope_id(n);
  out.destination = to;
  out.source_account = account_id(0xee);
  out.source_device = DeviceId{3};
  out.type = 1;
  out.content = filled(100 + n, n);
  out.server_timestamp_ms = 1'700'000'000'100 + n;
  out.client_timestamp_ms = 1'700'000'000'050 + n;
  out.expires_at_ms = expires_at_ms;
  return out;
}

// Migration 15's check on both backends: the version-14 device (registration 7, signed prekey 3,
// last-resort Kyber key 9 = 0808 signed 0909) still gets its key in a bundle, and replacing the
// key works.
inline void expect_last_resort_key_kept(Store& store, const DeviceAddress& device) {
  const PreKeyBundle bundle = must(store.take_pre_key_bundle(device));
  EXPECT_EQ(bundle.registration_id, RegistrationId{7});
  EXPECT_EQ(bundle.signed_pre_key.id, 3u);
  EXPECT_TRUE(bundle.kyber_is_last_resort);
  EXPECT_EQ(bundle.kyber_pre_key.id, 9u);
  EXPECT_EQ(bundle.kyber_pre_key.public_key, (Bytes{std::byte{0x08}, std::byte{0x08}}));
  EXPECT_EQ(bundle.kyber_pre_key.signature, (Bytes{std::byte{0x09}, std::byte{0x09}}));
  must(store.set_last_resort_kyber_pre_key(
      device, SignedKey{10, Bytes{std::byte{0x0a}}, Bytes{std::byte{0x0b}}}));
  EXPECT_EQ(must(store.take_pre_key_bundle(device)).kyber_pre_key.id, 10u);
}

// Key transparency: the label of account n (16 bytes), and a value of it.
inline Bytes kt_label(std::uint8_t n) { return filled(16, n); }
inline Bytes kt_value(std::uint8_t n, std::uint8_t version) {
  Bytes value = filled(40 + version, n);
  value[0] = static_cast<std::byte>(version);
  return value;
}

// Version `version` of label n, as published by entry `entry`; other fields derive from both.
inline KtVersion kt_version(std::uint8_t n, std::uint32_t version, std::uint64_t entry) {
  const auto tag = static_cast<std::uint8_t>(n + version);
  KtVersion out;
  out.label = kt_label(n);
  out.version = version;
  out.opening = filled(16, tag);
  out.value = kt_value(n, static_cast<std::uint8_t>(version));
  out.vrf_output = filled(32, tag);
  out.commitment = filled(32, static_cast<std::uint8_t>(tag + 1));
  out.entry = entry;
  return out;
}

// Log entry `index`, with a checkpoint-shaped note (its signature is not checked here).
inline KtEntry kt_entry(std::uint64_t index) {
  KtEntry out;
  out.index = index;
  out.timestamp_ms = 1'700'000'000'000 + index;
  out.prefix_root = filled(32, static_cast<std::uint8_t>(index));
  out.checkpoint =
      "example.org/kt\n" + std::to_string(index + 1) + "\nroot\n\n— example.org/kt sig\n";
  return out;
}

// Every conformance suite derives from this fixture; its parameter makes the backend.
class StoreTest : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override { backend_ = GetParam().make(); }

  Backend& backend() { return *backend_; }
  Store& store() { return backend_->store(); }

  // Registers account n with one device; returns device 1's address.
  DeviceAddress registered(std::uint8_t n, std::uint32_t pre_keys = 3,
                           std::uint32_t kyber_keys = 2) {
    const AccountId id =
        must(store().register_account(new_account(n), new_device(n, pre_keys, kyber_keys)));
    return DeviceAddress{id, DeviceId{1}};
  }

  // Beast-style fault loop: for n = 0, 1, ... runs `operation` with the nth statement failing
  // until it succeeds. After each failure, `unchanged` must confirm nothing partial persisted.
  // Returns how many runs failed.
  template <class Operation, class Check>
  int fail_each_statement(Operation operation, Check unchanged) {
    constexpr int max_statements = 200;
    for (int n = 0; n < max_statements; ++n) {
      backend().fail_after(n);
      const bool succeeded = static_cast<bool>(operation());
      const bool fired = backend().fault_fired();
      backend().fail_after(std::nullopt);
      if (!fired) {
        ::testing::Test::RecordProperty("failed_runs", n);
        EXPECT_TRUE(succeeded) << "failed with no fault injected, at n = " << n;
        return n;
      }
      EXPECT_FALSE(succeeded) << "succeeded although statement " << n << " failed";
      unchanged();
      if (::testing::Test::HasFatalFailure()) return n;
    }
    ADD_FAILURE() << "still failing after " << max_statements << " statements";
    return max_statements;
  }

 private:
  std::unique_ptr<Backend> backend_;
};

// One suite per concern; a backend instantiates each (tests/store/sqlite_backend_test.cpp).
class StoreCodesTest : public StoreTest {};
class StoreAccountsTest : public StoreTest {};
class StoreDevicesTest : public StoreTest {};
class StorePreKeysTest : public StoreTest {};
class StoreQueuesTest : public StoreTest {};
class StoreIpsTest : public StoreTest {};
class StoreKtTest : public StoreTest {};
class StoreChannelsTest : public StoreTest {};
class StoreBatchTest : public StoreTest {};
class StoreFaultTest : public StoreTest {};
class StoreModerationTest : public StoreTest {};
class StoreLawfulTest : public StoreTest {};
class StoreKeyPackagesTest : public StoreTest {};
class StoreGroupsTest : public StoreTest {};
class StoreLeasesTest : public StoreTest {};
class StoreSignedRequestsTest : public StoreTest {};

}  // namespace bulwark::store::conformance
