#include "server/support/kt_support.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

#include <gtest/gtest.h>

#include "crypto/x25519.h"
#include "kt/account_record.h"

namespace bulwark::server::kt_support {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::path(::testing::TempDir()) /
          ("bulwark-kt-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Bytes signed_account_record(Rng& rng, std::uint32_t registration_id) {
  const auto identity = crypto::x25519_keypair(rng);
  kt::AccountRecord record;
  record.identity_key[0] = std::byte{0x05};
  const ByteView public_key = identity.public_key.bytes();
  std::copy(public_key.begin(), public_key.end(), record.identity_key.begin() + 1);
  record.created_ms = 1'700'000'000'000;
  kt::DeviceEntry device{1, registration_id, {}};
  rng.fill(device.auth_key);
  record.devices.push_back(device);
  kt::sign_account_record(record, identity.secret_key, rng);
  return kt::encode_account_record(record);
}

Result<int> exec_sql(const std::filesystem::path& db_file, const std::string& sql,
                     const std::vector<Bytes>& blobs) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    const std::string message = db == nullptr ? "out of memory" : sqlite3_errmsg(db);
    sqlite3_close(db);
    return fail(Errc::storage, "cannot open " + db_file.string() + ": " + message);
  }
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  for (std::size_t i = 0; rc == SQLITE_OK && i < blobs.size(); ++i) {
    rc = sqlite3_bind_blob(statement, static_cast<int>(i + 1), blobs[i].data(),
                           static_cast<int>(blobs[i].size()), SQLITE_TRANSIENT);
  }
  if (rc == SQLITE_OK) rc = sqlite3_step(statement);
  const bool done = rc == SQLITE_DONE;
  const std::string message = sqlite3_errmsg(db);
  const int changed = sqlite3_changes(db);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (!done) return fail(Errc::storage, sql + ": " + message);
  return changed;
}

}  // namespace bulwark::server::kt_support
