// bulwark-bench-store: the store thread's cost of one relayed message (issue 10), without the
// network, the generator or the disk's sync. The relay benchmark (bench/loadgen) measures the
// whole server on two shared cores, where another thread's work moves the figure by ±20%; this
// one runs what the store thread runs per message, on one thread, so that a change to the
// schema or the statements shows up in a few percent. Its time column is per batch of 64.
//
// Per message, as the server does it: in a batch of sends (group commit), each send's job reads
// the sender's suspension and the recipient's devices and enqueues one 100-byte envelope
// (handlers/messages.cpp); in a later batch of acknowledgements, each job deletes that envelope
// (Store::delete_envelopes). Batches of 64, the commit window's size, committed without
// waiting for the disk (run_batch_unsynced): the sync runs on another thread in the server.
// 200 accounts, one device each, as in the relay's scenario. Reported: CPU per message.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite_store.h"

namespace bulwark::store {
namespace {

constexpr int accounts = 200;
constexpr int batch_size = 64;

AccountId account_at(int n) {
  AccountId id;
  id.bytes.fill(std::byte{0x5a});
  id.bytes[0] = static_cast<std::byte>(n & 0xff);
  id.bytes[1] = static_cast<std::byte>(n >> 8);
  return id;
}

Bytes filled(std::size_t size, int value) { return Bytes(size, static_cast<std::byte>(value)); }

NewDevice device_for(int n) {
  NewDevice device;
  device.registration_id = RegistrationId{static_cast<std::uint32_t>(1000 + n)};
  device.auth_key = filled(32, n);
  device.name = "bench";
  device.signed_pre_key = SignedKey{1, filled(33, n), filled(64, n)};
  device.last_resort_kyber_pre_key = SignedKey{2, filled(1569, n), filled(64, n)};
  device.created_at_ms = 1'700'000'000'000;
  return device;
}

void fail_with(const char* what, const Error& error) {
  std::fprintf(stderr, "bulwark-bench-store: %s: %s\n", what, error.describe().c_str());
  std::exit(2);
}

// A fresh database in a temporary directory with `accounts` registered accounts.
struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;

  explicit Fixture(bool memory_queues) {
    std::string pattern = (std::filesystem::temp_directory_path() / "bulwark-bench-store-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) std::exit(2);
    dir = pattern;
    SqliteOptions options;
    options.memory_queues = memory_queues;
    auto opened = open_sqlite_store(dir / "store.db", std::move(options));
    if (!opened) fail_with("open", opened.error());
    store = std::move(*opened);
    for (int n = 0; n < accounts; ++n) {
      NewAccount account;
      account.id = account_at(n);
      account.phone = "+1201555" + std::to_string(1000 + n);
      account.identity_key = filled(33, n);
      auto registered = store->register_account(account, device_for(n));
      if (!registered) fail_with("register", registered.error());
    }
  }
  ~Fixture() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

Envelope envelope_to(const DeviceAddress& to, const AccountId& from, std::uint64_t n) {
  Envelope out;
  out.id.bytes.fill(static_cast<std::byte>(n & 0xff));
  out.id.bytes[1] = static_cast<std::byte>((n >> 8) & 0xff);
  out.destination = to;
  out.source_account = from;
  out.source_device = DeviceId{1};
  out.type = 1;
  out.content = filled(100, static_cast<int>(n & 0xff));
  out.server_timestamp_ms = 1'700'000'000'000 + static_cast<std::int64_t>(n);
  out.client_timestamp_ms = out.server_timestamp_ms;
  out.expires_at_ms = out.server_timestamp_ms + 30LL * 24 * 3600 * 1000;
  out.franking_tag = filled(32, 7);
  return out;
}

void check_all(const std::vector<Result<void>>& results, const char* what) {
  for (const Result<void>& result : results)
    if (!result) fail_with(what, result.error());
}

// One send and its acknowledgement per message, 64 to a batch.
void BM_RelayedMessage(benchmark::State& state) {
  Fixture fixture(state.range(0) != 0);
  Store& store = *fixture.store;
  std::uint64_t sent = 0;
  std::vector<DeviceAddress> acked_devices(batch_size);
  std::vector<std::uint64_t> acked_seqs(batch_size);
  for (auto _ : state) {
    std::vector<Store::Job> sends;
    sends.reserve(batch_size);
    for (int i = 0; i < batch_size; ++i, ++sent) {
      const AccountId from = account_at(static_cast<int>(sent % accounts));
      const DeviceAddress to{account_at(static_cast<int>((sent * 7 + 1) % accounts)), DeviceId{1}};
      sends.push_back(
          [from, to, n = sent, i, &acked_devices, &acked_seqs](Store& s) -> Result<void> {
            auto suspended = BULWARK_TRY(s.account_suspension(from));
            if (suspended) return fail(Errc::conflict, "suspended");
            auto devices = BULWARK_TRY(s.device_registrations(to.account));
            if (devices.size() != 1) return fail(Errc::conflict, "devices");
            std::vector<Envelope> envelopes{envelope_to(to, from, n)};
            BULWARK_TRY(s.enqueue(envelopes));
            acked_devices[static_cast<std::size_t>(i)] = to;
            acked_seqs[static_cast<std::size_t>(i)] = envelopes[0].seq;
            return {};
          });
    }
    const std::vector<Store::JobRerun> reruns(sends.size(), Store::JobRerun::allowed);
    check_all(store.run_batch_unsynced(sends, reruns), "send");
    std::vector<Store::Job> acks;
    acks.reserve(batch_size);
    for (int i = 0; i < batch_size; ++i) {
      acks.push_back([device = acked_devices[static_cast<std::size_t>(i)],
                      seq = acked_seqs[static_cast<std::size_t>(i)]](Store& s) -> Result<void> {
        const std::vector<std::uint64_t> seqs{seq};
        const std::uint32_t deleted = BULWARK_TRY(s.delete_envelopes(device, seqs));
        if (deleted != 1) return fail(Errc::conflict, "not deleted");
        return {};
      });
    }
    const std::vector<Store::JobRerun> ack_reruns(acks.size(), Store::JobRerun::allowed);
    check_all(store.run_batch_unsynced(acks, ack_reruns), "acknowledge");
  }
  // items_per_second is messages per CPU-second of the process (MeasureProcessCPUTime).
  state.SetItemsProcessed(state.iterations() * batch_size);
}
// make bench runs it with --benchmark_min_time=2; ctest with a short time.
// memory_queues:1 is the server's store (store/hot/hot_queues.h); 0, every envelope a row.
BENCHMARK(BM_RelayedMessage)->ArgName("memory_queues")->Arg(1)->Arg(0)->MeasureProcessCPUTime();

}  // namespace
}  // namespace bulwark::store

BENCHMARK_MAIN();
