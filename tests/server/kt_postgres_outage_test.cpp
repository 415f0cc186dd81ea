// KtService over the PostgreSQL store when the connection is lost (issue 10, "PostgreSQL
// restarted under load"): a lost connection is Errc::unavailable, which must skip the epoch,
// never stop the log for good, and never leave the log in memory ahead of the store for good.
// A Beast-style fault loop: the store's session is terminated before statement step n of a
// tick, for n = 0.. until a tick runs without reaching the cut. The epoch is an hour, so only
// tick_now() ticks.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "server/kt_keys.h"
#include "server/kt_service.h"
#include "server/kt_store.h"
#include "server/support/kt_support.h"
#include "store/pg_store.h"
#include "support/fake_clock.h"
#include "support/pg_server.h"
#include "support/seeded_rng.h"

namespace bulwark::server {
namespace {

KtSettings outage_settings() {
  KtSettings settings;
  settings.origin = "kt.bulwark.test/pg-outage";
  settings.epoch = std::chrono::hours(1);
  settings.shared_log = true;
  settings.publisher_lease = std::chrono::seconds(5);
  return settings;
}

TEST(KtPostgresOutageTest, AConnectionLostAtAnyStepOfATickSkipsTheEpochAndPublishingResumes) {
  auto pg = test::PgServer::start();
  ASSERT_TRUE(pg) << pg.error().describe();
  auto database = (*pg)->create_database();
  ASSERT_TRUE(database) << database.error().describe();
  test::PgServer& postgres = **pg;
  std::atomic<int> cut_at{-1};
  std::atomic<int> step{0};
  std::atomic<bool> cut{false};
  store::PgOptions options;
  options.inject_fault = [&] {
    if (cut_at.load() >= 0 && step++ == cut_at.load()) {
      cut = true;
      // As a restart or an administrator would: the next statement finds the session gone.
      EXPECT_TRUE(postgres.terminate_sessions("bulwark"));
    }
    return false;
  };
  auto opened = store::open_pg_store(postgres.conninfo(*database), std::move(options));
  ASSERT_TRUE(opened) << opened.error().describe();
  StoreExecutor store(std::move(*opened));
  kt_support::TempDir dir;
  bulwark::testing::FakeClock clock;
  bulwark::testing::SeededRng rng{29};
  auto started = KtService::start(
      outage_settings(), load_or_create_kt_keys(dir.path() / "kt", rng).value(), store, clock, rng);
  ASSERT_TRUE(started) << started.error().describe();
  KtService& kt = **started;

  int n = 0;
  for (bool reached = true; reached; ++n) {
    ASSERT_LT(n, 200) << "a tick never got past the cut";
    SCOPED_TRACE("session lost before step " + std::to_string(n));
    const Bytes record = kt_support::signed_account_record(rng);
    const Bytes label(16, static_cast<std::byte>(n));
    const auto queued = run_store_job(store, [&](store::Store& stored) -> Result<void> {
      BULWARK_TRY(stored.kt_queue_update(label, record));
      return {};
    });
    ASSERT_TRUE(queued) << queued.error().describe();
    const std::uint64_t before = kt.size();
    step = 0;
    cut = false;
    cut_at = n;
    static_cast<void>(kt.tick_now());  // may skip its epoch: the store was away
    cut_at = -1;
    reached = cut.load();
    ASSERT_FALSE(kt.failed()) << "one lost connection stopped the log for good";
    // The next epochs publish what the lost one did not.
    for (int tick = 0; tick < 3 && kt.size() == before; ++tick) {
      const auto ticked = kt.tick_now();
      ASSERT_TRUE(ticked) << ticked.error().describe();
    }
    ASSERT_EQ(kt.size(), before + 1);
    ASSERT_EQ(kt.served_size(), kt.size());
  }
  EXPECT_GT(n, 3) << "the cut never reached the tick's statements";

  // Nothing is left in memory beyond the store: a restarted node rebuilds the same log.
  auto restarted = KtService::start(
      outage_settings(), load_or_create_kt_keys(dir.path() / "kt", rng).value(), store, clock, rng);
  ASSERT_TRUE(restarted) << restarted.error().describe();
  EXPECT_EQ((*restarted)->size(), kt.size());
  EXPECT_EQ((*restarted)->newest_checkpoint(), kt.newest_checkpoint());
}

}  // namespace
}  // namespace bulwark::server
