// Issue 10, "Durability under faults": PostgreSQL restarted under load. One bulwark-server runs
// on a private PostgreSQL server (--store postgres) while senders and recipients exchange
// messages through the client library. PostgreSQL is crashed (immediate shutdown: SIGQUIT to
// the postmaster, no checkpoint) and started again on the same data and port, several times;
// each outage is held until some sends were refused during it. The bulwark-server is never
// restarted: it must reconnect and resume on its own.
//
// Checked: every acknowledged send is delivered to the application exactly once; every failed
// send failed with Errc::unavailable (retryable), within the client's timeout, and was never
// told "nothing was stored" (an outage leaves a commit's outcome unknown); the server stays up,
// answers /healthz with 200 after each restart, and its key-transparency log keeps growing (KT
// publishing resumes after the outages). Sends that failed may or may not arrive: a COMMIT cut
// off by the crash may still have been applied; both counts are reported.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "durability/delivery_ledger.h"
#include "durability/message_load.h"
#include "groups/group_world.h"
#include "support/https_get.h"
#include "support/pg_server.h"

namespace bulwark::e2e {
namespace {

constexpr std::uint64_t pg_restart_seed = 20261129;
constexpr int pg_restarts = 5;
// Each crash comes after a seeded random number of further acknowledged sends in this range.
constexpr std::size_t pg_restart_min_gap = 20;
constexpr std::size_t pg_restart_max_gap = 60;
// PostgreSQL stays down until this many more sends were refused.
constexpr std::size_t pg_refused_per_outage = 10;
// Acknowledged sends after each restart, so that the load is seen to resume.
constexpr std::size_t pg_resume_sends = 10;
constexpr auto pg_progress_limit = std::chrono::seconds(60);
constexpr auto pg_delivery_limit = std::chrono::seconds(60);
// What "no send hangs" means: every send returns within the client's request timeout.
constexpr auto pg_send_bound = std::chrono::seconds(15);

// A [store] section for `conninfo` (which holds no double quote or backslash), and room for
// the load's lookups.
ServerOptions pg_server_options(const std::string& conninfo) {
  ServerOptions options = group_server_options();
  *options.config_toml += "[store]\nbackend = \"postgres\"\npostgres = \"" + conninfo + "\"\n";
  // Every send looks its recipient up; the default 1 lookup/s per account would rate-limit the
  // load itself, which is not what this test is about.
  *options.config_toml += "[limits]\nlookups_per_account = { burst = 1000000, refill_ms = 1 }\n";
  return options;
}

// The tree size of the server's newest KT checkpoint (GET /v1/kt/checkpoint); 0 when none.
std::uint64_t pg_checkpoint_size(const ServerProcess& server) {
  const HttpResult result = https_get(server.port(), server.ca_file(), "/v1/kt/checkpoint");
  if (result.status != 200) return 0;
  const auto first = result.body.find('\n');
  const auto second = result.body.find('\n', first + 1);
  if (first == std::string::npos || second == std::string::npos) return 0;
  return std::stoull(result.body.substr(first + 1, second - first - 1));
}

// Polls (the log grows every 100 ms epoch) until the checkpoint is larger than `size`.
bool pg_log_grows_beyond(const ServerProcess& server, std::uint64_t size) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pg_checkpoint_size(server) > size) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(PostgresRestartTest, AcknowledgedSendsSurviveRestartsAndOutageSendsFailRetryably) {
  auto pg = test::PgServer::start();
  ASSERT_TRUE(pg) << pg.error().describe();
  auto database = (*pg)->create_database();
  ASSERT_TRUE(database) << database.error().describe();
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv", pg_server_options((*pg)->conninfo(*database)));
  GroupWorld world(tmp, server);
  std::vector<GroupDevice*> senders;
  for (int i = 0; i < 4; ++i)
    senders.push_back(&world.register_account("sender" + std::to_string(i), 70 + i));
  std::vector<GroupDevice*> recipients = {&world.register_account("recipient0", 80),
                                          &world.register_account("recipient1", 81)};

  DeliveryLedger ledger;
  ServerGate gate;  // stays open: the server itself is never down
  std::mt19937_64 schedule(pg_restart_seed);
  std::uniform_int_distribution<std::size_t> gap(pg_restart_min_gap, pg_restart_max_gap);
  int restarts = 0;
  std::uint64_t log_size = 0;
  {
    MessageLoad load(senders, recipients, pg_restart_seed, ledger, gate);
    for (; restarts < pg_restarts; ++restarts) {
      const std::size_t target = ledger.acknowledged_count() + gap(schedule);
      ASSERT_TRUE(ledger.wait_for_acknowledged(target, pg_progress_limit))
          << "before crash " << restarts + 1 << ": " << ledger.acknowledged_count() << " of "
          << target << " acknowledged; send errors: " << ledger_errors_text(ledger.send_errors());
      const std::size_t refused = ledger.unacknowledged_count() + pg_refused_per_outage;
      ASSERT_TRUE((*pg)->crash()) << "crash " << restarts + 1;
      ASSERT_TRUE(ledger.wait_for_unacknowledged(refused, pg_progress_limit))
          << "outage " << restarts + 1 << ": only " << ledger.unacknowledged_count() << " of "
          << refused << " sends refused";
      ASSERT_TRUE(server.running()) << "the server exited during outage " << restarts + 1;
      auto restarted = (*pg)->restart();
      ASSERT_TRUE(restarted) << restarted.error().describe();
      const std::size_t resumed = ledger.acknowledged_count() + pg_resume_sends;
      ASSERT_TRUE(ledger.wait_for_acknowledged(resumed, pg_progress_limit))
          << "after restart " << restarts + 1
          << ": sends did not resume; send errors: " << ledger_errors_text(ledger.send_errors()) << "\n"
          << server.log_text();
      EXPECT_TRUE(server.healthy()) << "/healthz after restart " << restarts + 1;
    }
    // Key transparency publishes every epoch: its log must grow again after the outages.
    log_size = pg_checkpoint_size(server);
    EXPECT_TRUE(pg_log_grows_beyond(server, log_size))
        << "the KT log stopped at " << log_size << "\n"
        << server.log_text();
    load.stop_sending();
    EXPECT_TRUE(ledger.wait_all_acknowledged_delivered(pg_delivery_limit))
        << "lost: " << ledger_first_few(ledger.report().lost);
    load.stop_receiving();
  }
  for (GroupDevice* recipient : recipients) {
    const auto drained = drain_into_ledger(*recipient, ledger);
    ASSERT_TRUE(drained) << recipient->name << " final drain: " << drained.error().describe();
  }
  EXPECT_TRUE(server.running());

  const LedgerReport report = ledger.report();
  const auto errors = ledger.send_errors();
  const std::vector<std::string> examples = ledger.send_error_examples();
  expect_exactly_once(report);
  // Refused sends are retryable, and none claims that nothing was stored.
  EXPECT_EQ(errors.size(), errors.count("unavailable")) << ledger_errors_text(errors);
  for (const std::string& example : examples)
    EXPECT_EQ(example.find("nothing was stored"), std::string::npos) << example;
  EXPECT_GE(report.unacknowledged, static_cast<std::size_t>(pg_restarts) * pg_refused_per_outage);
  EXPECT_LT(report.slowest_send, pg_send_bound);
  EXPECT_EQ(restarts, pg_restarts);

  const auto slowest_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(report.slowest_send).count();
  RecordProperty("postgres_restarts", restarts);
  RecordProperty("acknowledged", static_cast<int>(report.acknowledged));
  RecordProperty("refused", static_cast<int>(report.unacknowledged));
  RecordProperty("delivered", static_cast<int>(report.delivered));
  RecordProperty("refused_delivered", static_cast<int>(report.unacknowledged_delivered));
  RecordProperty("duplicates_shown", static_cast<int>(report.duplicated.size()));
  RecordProperty("slowest_send_ms", static_cast<int>(slowest_ms));
  RecordProperty("kt_log_size", static_cast<int>(log_size));
  std::cout << "postgres restarts: restarts=" << restarts << " acknowledged=" << report.acknowledged
            << " refused=" << report.unacknowledged << " delivered=" << report.delivered
            << " refused_delivered=" << report.unacknowledged_delivered
            << " duplicates_shown=" << report.duplicated.size() << " slowest_send_ms=" << slowest_ms
            << " kt_log_size=" << log_size << " send_errors=" << ledger_errors_text(errors) << "\n";
  for (const std::string& example : examples) std::cout << "  refused with: " << example << "\n";
}

}  // namespace
}  // namespace bulwark::e2e
