// Helpers for the key-transparency service's tests: a temporary directory, validly signed
// account records, raw SQL on a database file that nothing else holds open (to tamper with
// the store behind the server's back), and waiting for the KT thread's answers.
#pragma once

#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"

namespace bulwark::server::kt_support {

// A fresh directory for one test, removed with everything in it at the end.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The encoding of an account record with one device, signed by a new X25519 identity drawn
// from `rng`: what registration queues for the log.
[[nodiscard]] Bytes signed_account_record(Rng& rng, std::uint32_t registration_id = 11);

// Runs one SQL statement on `db_file` with `blobs` bound to its parameters ?1, ?2, ... and
// returns how many rows it changed. The file must not be open elsewhere (the server opens it
// with an exclusive lock). Errc::storage with SQLite's message on failure.
[[nodiscard]] Result<int> exec_sql(const std::filesystem::path& db_file, const std::string& sql,
                                   const std::vector<Bytes>& blobs = {});

// Calls `ask` with a completion and waits for the answer on the calling thread (the KT
// thread fulfils a promise: no sleeping). Errc::unavailable if `ask` refused the request.
template <class T, class Ask>
[[nodiscard]] Result<T> wait_for(Ask&& ask) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  const bool queued = ask([promise](Result<T> result) { promise->set_value(std::move(result)); });
  if (!queued) return fail(Errc::unavailable, "the service refused the request");
  return future.get();
}

}  // namespace bulwark::server::kt_support
