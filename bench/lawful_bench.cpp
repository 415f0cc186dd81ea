// Issue 8's speed line: "order verification and release of a 100-account order in under a
// second". Measured on the server's real path (server/lawful_service.h) over a SQLite store in a
// temporary directory, with a court PKI made in-process (an EC P-256 root and signer, a CRL):
//   VerifyOrder100          lawful::verify_order of a signed 100-account order (strict JSON,
//                           CMS, chain, CRL, key usage)
//   SubmitApproveRelease100 submit, two operators' approvals, the answer logged, the witness's
//                           cosignature, and the signed package with every account's phone
//                           number and IP addresses (each of the 100 accounts has 3)
// Each iteration of the second starts from a fresh store with the accounts already registered,
// outside the timing.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "kt/checkpoint.h"
#include "kt/cosignature.h"
#include "kt/note.h"
#include "lawful/approval.h"
#include "lawful/order_check.h"
#include "lawful/utc_time.h"
#include "server/lawful_service.h"
#include "store/sqlite_store.h"
#include "support/lawful_order.h"
#include "support/seeded_rng.h"
#include "support/test_pki.h"

namespace bulwark::server {
namespace {

using std::chrono::system_clock;

constexpr int accounts = 100;
// 2026-06-01T00:00:00Z, inside the sample order's validity.
const system_clock::time_point bench_now = system_clock::from_time_t(1'780'272'000);

class FixedClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override { return bench_now; }
};

std::string phone_of(int n) { return "+30210" + std::to_string(1'000'000 + n); }

void check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "lawful bench: %s\n", what);
    std::abort();
  }
}

crypto::Ed25519SecretKey key_of(std::uint8_t fill) {
  return *crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{fill}));
}

struct Court {
  testing::TestAuthority root{"Athens Court Root", bench_now};
  testing::TestSigner judge = root.issue();
  lawful::Authority authority{
      "Athens Court of First Instance", "GR",
      crypto::DocumentTrust{{root.root_pem()}, {}, {root.crl_pem({}, std::chrono::days(60))}}};
  std::string document;
  Bytes signature;

  Court() {
    nlohmann::json order = testing::sample_order();
    order["targets"] = nlohmann::json::array();
    for (int n = 0; n < accounts; ++n) order["targets"].push_back({{"phone_number", phone_of(n)}});
    document = order.dump();
    signature = judge.sign(document);
  }
};

const Court& court() {
  static const Court instance;
  return instance;
}

void VerifyOrder100(benchmark::State& state) {
  const std::vector<lawful::Authority> authorities{court().authority};
  for (auto _ : state) {
    auto verified =
        lawful::verify_order(as_bytes(court().document), court().signature, authorities, bench_now);
    check(verified.has_value(), "the order does not verify");
    benchmark::DoNotOptimize(verified);
  }
}
BENCHMARK(VerifyOrder100)->Unit(benchmark::kMillisecond);

// A store with the 100 accounts, each seen from 3 addresses in the last days.
std::unique_ptr<store::Store> populated_store(const std::filesystem::path& file) {
  std::filesystem::remove(file);
  auto store = store::open_sqlite_store(file).value();
  for (int n = 0; n < accounts; ++n) {
    store::NewAccount account;
    account.id.bytes.fill(std::byte{0});
    account.id.bytes[0] = std::byte{static_cast<unsigned char>(n)};
    account.id.bytes[1] = std::byte{1};
    account.phone = phone_of(n);
    account.identity_key = Bytes(33, std::byte{5});
    store::NewDevice device;
    device.registration_id = RegistrationId{1000u + static_cast<unsigned>(n)};
    device.auth_key = Bytes(32, std::byte{static_cast<unsigned char>(n)});
    device.name = "phone";
    device.signed_pre_key = {7, Bytes(33, std::byte{1}), Bytes(64, std::byte{1})};
    device.last_resort_kyber_pre_key = {99, Bytes(1569, std::byte{1}), Bytes(64, std::byte{1})};
    const store::AccountId id = store->register_account(account, device).value();
    for (int ip = 0; ip < 3; ++ip)
      check(store
                ->record_ip(id, "203.0.113." + std::to_string(ip + 1),
                            1'780'272'000'000 - (ip + 1) * 3'600'000)
                .has_value(),
            "record_ip");
  }
  return store;
}

void SubmitApproveRelease100(benchmark::State& state) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("bulwark-lawful-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  FixedClock clock;
  testing::SeededRng rng(3);
  const auto alice = key_of(0x41);
  const auto bob = key_of(0x42);
  const auto witness = key_of(0x77);
  const std::string witness_name = "witness.example/disclosure";
  for (auto _ : state) {
    state.PauseTiming();
    auto store = populated_store(dir / "bulwark.db");
    LawfulSettings settings;
    settings.operators = {ModeratorKey{"alice", to_bytes(alice.public_key().bytes())},
                          ModeratorKey{"bob", to_bytes(bob.public_key().bytes())}};
    DisclosureLogSettings log;
    log.origin = "bench.example/disclosure";
    log.witnesses = {*kt::CosignerKey::create(witness_name, witness.public_key())};
    log.quorum = 1;
    LawfulService service(std::move(settings), DisclosureLog(std::move(log), key_of(0x55)), clock,
                          rng);
    check(service
              .put_authority(*store, court().authority, service.settings().operators[0],
                             lawful::sign_authority_change(
                                 alice, court().authority.name, court().authority.jurisdiction,
                                 lawful::trust_digest(court().authority.trust)))
              .has_value(),
          "put_authority");
    state.ResumeTiming();

    const LawfulOutcome submitted =
        service.submit(*store, as_bytes(court().document), court().signature).value();
    check(submitted.accepted, "submit");
    const auto order = store->lawful_order(submitted.order).value().value();
    lawful::OrderHash hash{};
    std::copy(order.order_hash.begin(), order.order_hash.end(), hash.begin());
    for (const auto& [config, key] : {std::pair{0, &alice}, std::pair{1, &bob}})
      check(service
                .approve(*store, order.id, service.settings().operators[config],
                         lawful::sign_approval(*key, hash))
                .value()
                .accepted,
            "approve");
    check(
        service.release(*store, order.id).value().kind == ReleaseOutcome::Kind::awaiting_witnesses,
        "release before the witness");
    const std::string note = service.log().newest_checkpoint(*store).value().value();
    const kt::Note parsed = kt::parse_note(note).value();
    const auto size = kt::parse_checkpoint_body(parsed.text).value().size;
    check(service.log()
              .add_cosignature(*store, size,
                               kt::format_signature_line(
                                   kt::cosign(witness, witness_name, parsed.text, 1'780'272'000)),
                               0)
              .has_value(),
          "cosignature");
    const ReleaseOutcome released = service.release(*store, order.id).value();
    check(released.kind == ReleaseOutcome::Kind::released, "release");
    state.counters["package_bytes"] = static_cast<double>(released.package.size());
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(SubmitApproveRelease100)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace bulwark::server

BENCHMARK_MAIN();
