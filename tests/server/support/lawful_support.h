// A lawful-request setup for server tests: a LawfulService over a real SQLite store in a
// temporary directory, a fake clock at 2026-06-01 (inside the sample order's validity), a test
// court PKI, three operators and one witness of the disclosure log.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "server/lawful_service.h"
#include "server/support/kt_support.h"
#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/lawful_order.h"
#include "support/seeded_rng.h"
#include "support/test_pki.h"

namespace bulwark::server::lawful_support {

// 2026-06-01T00:00:00Z.
inline constexpr std::int64_t june_first_s = 1'780'272'000;

struct Operator {
  ModeratorKey config;
  crypto::Ed25519SecretKey key;
};

class LawfulFixture {
 public:
  LawfulFixture();
  // The same workflow against `external` (a ServerHarness's store, from its store thread: every
  // call then belongs on that thread) instead of a store of its own.
  explicit LawfulFixture(store::Store& external);

  store::Store& store() { return *target_; }
  // Runs `sql` on the database with the store closed (what an edit behind the server's back
  // is), then opens the store again; the SQLite result code. Only with a store of its own.
  int edit_database(const char* sql);
  LawfulService& service() { return *service_; }
  testing::FakeClock& clock() { return clock_; }
  const testing::TestAuthority& court() const { return court_; }
  const testing::TestSigner& judge() const { return judge_; }
  const Operator& person(std::size_t i) const { return operators_[i]; }

  // Adds or replaces an authority, signed by operator `by` (alice by default).
  Result<std::uint64_t> put_authority(const lawful::Authority& authority, std::size_t by = 0);
  // The id add_account gives the account of `tag`.
  static store::AccountId account_of(std::uint8_t tag);
  // Registers an account with this phone number; returns its id.
  store::AccountId add_account(const std::string& phone, std::uint8_t tag);
  // The order as JSON text, signed by `signer` (the judge by default); submitted.
  Result<LawfulOutcome> submit(const nlohmann::json& order);
  Result<LawfulOutcome> submit_signed(const std::string& document, ByteView signature);
  Result<LawfulOutcome> approve(std::uint64_t order, std::size_t by);
  // The witness cosigns the newest checkpoint.
  void witness_cosigns();
  // The log's entries, decoded.
  std::vector<lawful::LogEntry> entries();

 private:
  explicit LawfulFixture(store::Store* external);

  kt_support::TempDir dir_;
  testing::FakeClock clock_;
  testing::SeededRng rng_{8};
  std::unique_ptr<store::Store> store_;  // null with an external store
  store::Store* target_ = nullptr;
  testing::TestAuthority court_;
  testing::TestSigner judge_;
  std::vector<Operator> operators_;
  crypto::Ed25519SecretKey witness_key_;
  std::unique_ptr<LawfulService> service_;
};

}  // namespace bulwark::server::lawful_support
