// Connecting to PostgreSQL and losing the connection (store/pg_store.h, store/pg/db.h): a
// wrong password or an unreachable server is Errc::unavailable naming host and port but never
// the password; a server that goes away makes methods fail with Errc::unavailable, and the
// store reconnects once it is back.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../store/conformance.h"
#include "pg_environment.h"
#include "store/pg_store.h"

namespace bulwark::store::pg {
namespace {

using conformance::must;
using pg_tests::pg_server;

// A loopback port nothing listens on: bound, then closed (never listened).
std::uint16_t unused_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(PgConnectionTest, WrongPasswordIsUnavailableAndNeverQuotesThePassword) {
  const std::string wrong = "wrong-secret-5e9c";
  const auto opened = open_pg_store(pg_server().conninfo_with_password("postgres", wrong));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::unavailable);
  const std::string& context = opened.error().context;
  EXPECT_NE(context.find("127.0.0.1:" + std::to_string(pg_server().port())), std::string::npos)
      << context;
  EXPECT_NE(context.find("password authentication failed"), std::string::npos) << context;
  EXPECT_EQ(context.find(wrong), std::string::npos) << context;
  EXPECT_EQ(context.find(pg_server().password()), std::string::npos) << context;
}

TEST(PgConnectionTest, UnreachableServerIsUnavailableNamingHostAndPort) {
  const std::uint16_t port = unused_loopback_port();
  PgOptions options;
  options.connect_timeout = std::chrono::seconds{2};
  const auto opened = open_pg_store("host=127.0.0.1 port=" + std::to_string(port) +
                                        " user=bulwark dbname=postgres password=hunter2-xyz",
                                    options);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::unavailable);
  EXPECT_NE(opened.error().context.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << opened.error().context;
  EXPECT_EQ(opened.error().context.find("hunter2-xyz"), std::string::npos);
}

TEST(PgConnectionTest, MalformedConnectionStringIsRefusedWithoutEchoingIt) {
  const auto opened = open_pg_store("host=127.0.0.1 password=s3cret-abc nonsense");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::invalid_argument);
  EXPECT_EQ(opened.error().context.find("s3cret-abc"), std::string::npos);
}

// PgServer::create_database, as the multi-node tests use it: a store opened on a fresh
// database migrates it, and a second store (another node) sees what the first committed.
TEST(PgConnectionTest, TwoStoresOnOneFreshDatabaseShareIt) {
  const std::string database = must(pg_server().create_database());
  auto first = must(open_pg_store(pg_server().conninfo(database)));
  auto second = must(open_pg_store(pg_server().conninfo(database)));
  const AccountId id =
      must(first->register_account(conformance::new_account(1), conformance::new_device(1)));
  const auto seen = must(second->account(id));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->phone, conformance::phone(1));
}

// Restarts the shared server while the store is idle: its next read and its next write find
// the connection dead, reconnect and succeed.
TEST(PgConnectionTest, AStoreIdleWhileTheServerRestartedResumesWithoutAnError) {
  const std::string schema = must(pg_server().create_schema());
  auto reader =
      must(open_pg_store(pg_server().conninfo("postgres", test::PgServer::search_options(schema))));
  auto writer =
      must(open_pg_store(pg_server().conninfo("postgres", test::PgServer::search_options(schema))));
  const AccountId id =
      must(writer->register_account(conformance::new_account(1), conformance::new_device(1)));

  ASSERT_TRUE(pg_server().stop());
  const auto restarted = pg_server().restart();
  ASSERT_TRUE(restarted) << restarted.error().describe();

  const auto read = reader->account(id);
  ASSERT_TRUE(read) << read.error().describe();
  EXPECT_TRUE(read->has_value());
  const auto written =
      writer->register_account(conformance::new_account(2), conformance::new_device(2));
  EXPECT_TRUE(written) << written.error().describe();
  reader.reset();
  writer.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

// A clock the test moves by hand (the store's reconnection backoff reads it).
struct FakeClock {
  std::shared_ptr<std::chrono::steady_clock::time_point> now =
      std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::hours{1});
  std::function<std::chrono::steady_clock::time_point()> reader() const {
    return [now = now] { return *now; };
  }
  void advance(std::chrono::milliseconds by) const { *now += by; }
};

// A store on a fresh schema whose reconnection backoff reads `clock`, with account 1 registered;
// dropped with the schema.
struct ClockedStore {
  std::string schema = must(pg_server().create_schema());
  FakeClock clock;
  std::unique_ptr<Store> store =
      must(open_pg_store(pg_server().conninfo("postgres", test::PgServer::search_options(schema)),
                         options_with(clock)));
  AccountId account =
      must(store->register_account(conformance::new_account(1), conformance::new_device(1)));
  ~ClockedStore() {
    store.reset();
    static_cast<void>(pg_server().drop_schema(schema));
  }
  static PgOptions options_with(const FakeClock& clock) {
    PgOptions options;
    options.clock = clock.reader();
    return options;
  }
};

// Stops the shared server mid-test and starts it again: every later test needs it back.
TEST(PgConnectionTest, ServerStoppedIsUnavailableAndTheStoreReconnectsWhenItIsBack) {
  ClockedStore fixture;
  FakeClock& clock = fixture.clock;
  auto& store = fixture.store;
  const AccountId& id = fixture.account;

  ASSERT_TRUE(pg_server().stop());
  const auto while_down = store->account(id);
  clock.advance(std::chrono::minutes{1});  // past the backoff: this one tries again
  const auto write_while_down =
      store->register_account(conformance::new_account(2), conformance::new_device(2));
  const auto restarted = pg_server().restart();
  ASSERT_TRUE(restarted) << restarted.error().describe();
  clock.advance(std::chrono::minutes{1});

  ASSERT_FALSE(while_down);
  EXPECT_EQ(while_down.error().code, Errc::unavailable) << while_down.error().describe();
  ASSERT_FALSE(write_while_down);
  EXPECT_EQ(write_while_down.error().code, Errc::unavailable);

  const auto after = store->account(id);
  ASSERT_TRUE(after) << after.error().describe();
  ASSERT_TRUE(after->has_value());
  EXPECT_EQ((*after)->phone, conformance::phone(1));
  // The write that failed while the server was down left nothing behind.
  const auto second = store->account_by_phone(conformance::phone(2));
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_FALSE(second->has_value());
}

// While the server is down, a failed reconnection is not tried again before the backoff's delay
// (store/pg/reconnect_backoff.h): the calls in between are unavailable at once, saying when the
// next attempt is, even once the server is back; the first call after the delay reconnects.
TEST(PgConnectionTest, AFailedReconnectionIsNotRetriedBeforeTheBackoffDelay) {
  ClockedStore fixture;
  FakeClock& clock = fixture.clock;
  auto& store = fixture.store;
  const AccountId& id = fixture.account;

  ASSERT_TRUE(pg_server().stop());
  const auto attempt = store->account(id);
  const auto waiting = store->account(id);
  clock.advance(std::chrono::milliseconds{99});
  const auto still_waiting = store->account(id);
  const auto restarted = pg_server().restart();
  ASSERT_TRUE(restarted) << restarted.error().describe();
  const auto back_but_waiting = store->account(id);
  clock.advance(std::chrono::milliseconds{1});
  const auto reconnected = store->account(id);

  ASSERT_FALSE(attempt);
  EXPECT_EQ(attempt.error().code, Errc::unavailable);
  EXPECT_NE(attempt.error().describe().find("reconnect to PostgreSQL"), std::string::npos)
      << attempt.error().describe();
  ASSERT_FALSE(waiting);
  EXPECT_EQ(waiting.error().code, Errc::unavailable);
  EXPECT_NE(waiting.error().describe().find("next reconnection attempt is in 100 ms"),
            std::string::npos)
      << waiting.error().describe();
  ASSERT_FALSE(still_waiting);
  EXPECT_NE(still_waiting.error().describe().find("in 1 ms"), std::string::npos)
      << still_waiting.error().describe();
  ASSERT_FALSE(back_but_waiting) << "no attempt before the delay, even with the server back";
  EXPECT_EQ(back_but_waiting.error().code, Errc::unavailable);
  ASSERT_TRUE(reconnected) << reconnected.error().describe();
  ASSERT_TRUE(reconnected->has_value());
  EXPECT_EQ((*reconnected)->phone, conformance::phone(1));
}

// Each job of a batch commits on its own (store/pg_store.h): a connection lost in the middle
// of one fails that job as Errc::unavailable and leaves nothing of it; the jobs before it stay
// committed and the next one runs on a new connection.
TEST(PgConnectionTest, ABatchWhoseConnectionIsLostMidwayFailsOnlyTheJobThatSawIt) {
  const std::string schema = must(pg_server().create_schema());
  auto store =
      must(open_pg_store(pg_server().conninfo("postgres", test::PgServer::search_options(schema))));
  std::vector<Store::Job> jobs;
  jobs.emplace_back([](Store& in_batch) -> Result<void> {
    BULWARK_TRY(in_batch.register_account(conformance::new_account(1), conformance::new_device(1)));
    return {};
  });
  jobs.emplace_back([](Store& in_batch) -> Result<void> {
    BULWARK_TRY(in_batch.register_account(conformance::new_account(2), conformance::new_device(2)));
    BULWARK_TRY(pg_server().terminate_sessions("bulwark"));
    BULWARK_TRY(in_batch.set_username(conformance::account_id(2), "lost.02"));
    return {};
  });
  jobs.emplace_back([](Store& in_batch) -> Result<void> {
    BULWARK_TRY(in_batch.register_account(conformance::new_account(3), conformance::new_device(3)));
    return {};
  });
  const auto results = store->run_batch(jobs);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0]) << results[0].error().describe();
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, Errc::unavailable) << results[1].error().describe();
  EXPECT_TRUE(results[2]) << results[2].error().describe();
  for (const int kept : {1, 3}) {
    const auto account = store->account_by_phone(conformance::phone(kept));
    ASSERT_TRUE(account) << account.error().describe();
    EXPECT_TRUE(account->has_value()) << "account " << kept;
  }
  const auto lost = store->account_by_phone(conformance::phone(2));
  ASSERT_TRUE(lost) << lost.error().describe();
  EXPECT_FALSE(lost->has_value());
  store.reset();
  static_cast<void>(pg_server().drop_schema(schema));
}

}  // namespace
}  // namespace bulwark::store::pg
