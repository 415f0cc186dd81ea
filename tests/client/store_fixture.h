// Test helpers for the client store: a temporary data directory removed afterwards, fixed
// store keys, a deterministic account, and a LocalStore-backed protocol party.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "client/local_store.h"
#include "client/uuid.h"
#include "protocol/protocol.h"
#include "support/seeded_rng.h"

namespace bulwark::testing {

// A fresh directory under the system temp dir, deleted with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "bulwark-client-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // The data directory tests open: a subdirectory, so open() creates it.
  [[nodiscard]] std::filesystem::path data() const { return path_ / "data"; }

 private:
  std::filesystem::path path_;
};

// A fixed 32-byte key: `fill` repeated.
inline client::StoreKey test_key(std::uint8_t fill = 0x42) {
  SecretBytes key(32);
  for (auto& b : key.writable()) b = std::byte{fill};
  return client::StoreKey{std::move(key)};
}

// A 16-byte account id of `fill` bytes.
inline Bytes account_id(std::uint8_t fill) { return Bytes(16, std::byte{fill}); }

inline std::string account_name(std::uint8_t fill) {
  return client::format_uuid(account_id(fill)).value();
}

inline std::unique_ptr<client::LocalStore> open_store(const std::filesystem::path& dir,
                                                      const client::StoreKey& key = test_key()) {
  auto store = client::LocalStore::open(dir, key);
  EXPECT_TRUE(store) << store.error().describe();
  return store ? std::move(*store) : nullptr;
}

// A complete account with a fresh identity from `rng`.
inline client::LocalAccount make_account(Rng& rng, std::uint8_t id_fill = 0xa1) {
  const auto identity = protocol::KeyPair::generate(rng);
  client::LocalAccount account;
  account.server_url = "wss://bulwark.test:8443";
  account.phone = "+15555550100";
  account.account_id = account_id(id_fill);
  account.device_id = 1;
  account.username = "alice.01";
  account.registration_id = RegistrationId(4321);
  account.auth_secret_key = SecretBytes(64);
  rng.fill(account.auth_secret_key.writable());
  account.auth_public_key = Bytes(32);
  rng.fill(account.auth_public_key);
  account.identity_private = identity.secret().bytes().clone();
  const auto serialized = identity.public_key().serialize();
  account.identity_public = Bytes(serialized.begin(), serialized.end());
  account.next_pre_key_id = 101;
  account.next_kyber_pre_key_id = 201;
  account.next_signed_pre_key_id = 301;
  return account;
}

// A whole file as bytes in a string ("" when it cannot be read). Not istreambuf_iterator:
// g++ 12 flags it under -Wnull-dereference.
inline std::string read_file(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return {};
  std::string contents(size, '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  contents.resize(static_cast<std::size_t>(in.gcount()));
  return contents;
}

inline protocol::ProtocolStores stores_of(client::LocalStore& store) {
  return {store, store, store, store, store};
}

inline std::string text_of(const Bytes& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace bulwark::testing
