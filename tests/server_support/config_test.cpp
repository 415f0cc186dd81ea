#include "server/config.h"

#include <fstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace bulwark::server {
namespace {

using std::chrono::milliseconds;

// Each test writes its own file in a directory named after the test and this process.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bulwark-config-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<ServerConfig> load(const std::string& text) {
    const auto file = dir_ / "server.toml";
    std::ofstream(file) << text;
    return load_config(file);
  }

  // Loading `text` fails with invalid_argument and a message naming `key`.
  void expect_refused(const std::string& text, const std::string& key) {
    const auto config = load(text);
    ASSERT_FALSE(config) << text;
    EXPECT_EQ(config.error().code, Errc::invalid_argument) << text;
    EXPECT_NE(config.error().context.find(key), std::string::npos)
        << "message '" << config.error().context << "' does not name " << key;
  }

  std::filesystem::path dir_;
};

void expect_defaults(const ServerConfig& config) {
  const ServerConfig defaults;
  EXPECT_EQ(config.data_dir, defaults.data_dir);
  EXPECT_EQ(config.listen_host, defaults.listen_host);
  EXPECT_EQ(config.listen_port, defaults.listen_port);
  EXPECT_EQ(config.verification, defaults.verification);
  EXPECT_EQ(config.log_level, defaults.log_level);
  EXPECT_EQ(config.threads, defaults.threads);
  EXPECT_FALSE(config.tls_cert);
  EXPECT_FALSE(config.tls_key);
  EXPECT_EQ(config.code_lifetime, defaults.code_lifetime);
  EXPECT_EQ(config.code_max_attempts, defaults.code_max_attempts);
  EXPECT_EQ(config.ip_retention, defaults.ip_retention);
  EXPECT_EQ(config.queue_retention, defaults.queue_retention);
  EXPECT_EQ(config.franking_epoch, defaults.franking_epoch);
  EXPECT_EQ(config.franking_reportable, defaults.franking_reportable);
  EXPECT_EQ(config.auth_timeout, defaults.auth_timeout);
  EXPECT_EQ(config.idle_timeout, defaults.idle_timeout);
  EXPECT_EQ(config.max_connections, defaults.max_connections);
  EXPECT_EQ(config.max_outgoing_queue_bytes, defaults.max_outgoing_queue_bytes);
  EXPECT_EQ(config.max_unacked_envelopes, defaults.max_unacked_envelopes);
  const std::pair<RateLimit, RateLimit> limits[] = {
      {config.code_per_phone, defaults.code_per_phone},
      {config.code_per_ip, defaults.code_per_ip},
      {config.verify_per_phone, defaults.verify_per_phone},
      {config.requests_per_ip, defaults.requests_per_ip},
      {config.sends_per_account, defaults.sends_per_account},
      {config.lookups_per_account, defaults.lookups_per_account},
  };
  for (const auto& [got, want] : limits) {
    EXPECT_EQ(got.burst, want.burst);
    EXPECT_EQ(got.refill_every, want.refill_every);
  }
}

TEST_F(ConfigTest, NoFileGivesTheDefaults) {
  const auto config = load_config(std::nullopt);
  ASSERT_TRUE(config) << config.error().describe();
  expect_defaults(*config);
}

TEST_F(ConfigTest, EmptyFileGivesTheDefaults) {
  const auto config = load("");
  ASSERT_TRUE(config) << config.error().describe();
  expect_defaults(*config);
}

TEST_F(ConfigTest, ExampleFileLoadsAndStatesTheDefaults) {
  const auto config = load_config(testing::repo_test_path("../docs/bulwark-server.example.toml"));
  ASSERT_TRUE(config) << config.error().describe();
  expect_defaults(*config);
}

TEST_F(ConfigTest, EveryKeyOverridesItsDefault) {
  const auto config = load(R"(
[server]
listen = "[::1]:9000"
data_dir = "/var/lib/bulwark"
verification = "file:/tmp/codes"
log_level = "debug"
threads = 4
[tls]
cert = "/etc/c.pem"
key = "/etc/k.pem"
[registration]
code_lifetime_seconds = 120
code_max_attempts = 3
[retention]
ip_days = 0
queue_days = 2
[limits]
auth_timeout_seconds = 5
idle_timeout_seconds = 60
max_connections = 10
max_outgoing_queue_bytes = 4096
max_unacked_envelopes = 8
code_per_phone = { burst = 1, refill_ms = 2 }
code_per_ip = { burst = 3, refill_ms = 4 }
verify_per_phone = { burst = 5, refill_ms = 6 }
requests_per_ip = { burst = 7, refill_ms = 8 }
sends_per_account = { burst = 9, refill_ms = 10 }
[limits.lookups_per_account]
burst = 11
refill_ms = 12
[franking]
epoch_hours = 6
reportable_days = 7
)");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->listen_host, "::1");
  EXPECT_EQ(config->listen_port, 9000);
  EXPECT_EQ(config->data_dir, "/var/lib/bulwark");
  EXPECT_EQ(config->verification, "file:/tmp/codes");
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->threads, 4U);
  EXPECT_EQ(config->tls_cert, std::filesystem::path("/etc/c.pem"));
  EXPECT_EQ(config->tls_key, std::filesystem::path("/etc/k.pem"));
  EXPECT_EQ(config->code_lifetime, std::chrono::seconds(120));
  EXPECT_EQ(config->code_max_attempts, 3U);
  EXPECT_EQ(config->ip_retention, std::chrono::hours(0));
  EXPECT_EQ(config->queue_retention, std::chrono::hours(48));
  EXPECT_EQ(config->auth_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config->idle_timeout, std::chrono::seconds(60));
  EXPECT_EQ(config->max_connections, 10U);
  EXPECT_EQ(config->max_outgoing_queue_bytes, 4096U);
  EXPECT_EQ(config->max_unacked_envelopes, 8U);
  EXPECT_EQ(config->code_per_phone.burst, 1U);
  EXPECT_EQ(config->code_per_phone.refill_every, milliseconds(2));
  EXPECT_EQ(config->code_per_ip.refill_every, milliseconds(4));
  EXPECT_EQ(config->verify_per_phone.burst, 5U);
  EXPECT_EQ(config->requests_per_ip.refill_every, milliseconds(8));
  EXPECT_EQ(config->sends_per_account.burst, 9U);
  EXPECT_EQ(config->lookups_per_account.burst, 11U);
  EXPECT_EQ(config->lookups_per_account.refill_every, milliseconds(12));
  EXPECT_EQ(config->franking_epoch, std::chrono::hours(6));
  EXPECT_EQ(config->franking_reportable, std::chrono::hours(24 * 7));
}

TEST_F(ConfigTest, UnknownKeyIsAnErrorNamingIt) {
  expect_refused("[server]\nlisten_addr = \"127.0.0.1:1\"\n", "server.listen_addr");
  expect_refused("[limits]\ncode_per_phone = { burst = 1, refill = 2 }\n",
                 "limits.code_per_phone.refill");
}

TEST_F(ConfigTest, UnknownSectionIsAnErrorNamingIt) {
  expect_refused("[srever]\nthreads = 1\n", "srever");
  expect_refused("threads = 1\n", "threads");
}

TEST_F(ConfigTest, WrongTypeIsAnErrorNamingTheKey) {
  expect_refused("[server]\nthreads = \"4\"\n", "server.threads");
  expect_refused("[server]\nthreads = 4.0\n", "server.threads");
  expect_refused("[server]\nlisten = 8443\n", "server.listen");
  expect_refused("server = 1\n", "server");
  expect_refused("[limits]\ncode_per_ip = 10\n", "limits.code_per_ip");
  expect_refused("[tls]\ncert = \"\"\nkey = \"k\"\n", "tls.cert");
}

TEST_F(ConfigTest, OutOfRangeValueIsAnErrorNamingTheKey) {
  expect_refused("[server]\nthreads = -1\n", "server.threads");
  expect_refused("[registration]\ncode_max_attempts = 0\n", "registration.code_max_attempts");
  expect_refused("[retention]\nqueue_days = 0\n", "retention.queue_days");
  expect_refused("[limits]\nrequests_per_ip = { burst = 0, refill_ms = 1 }\n",
                 "limits.requests_per_ip.burst");
  expect_refused("[limits]\nrequests_per_ip = { burst = 1, refill_ms = 0 }\n",
                 "limits.requests_per_ip.refill_ms");
}

TEST_F(ConfigTest, BadValuesAreErrorsNamingTheKey) {
  expect_refused("[server]\nlog_level = \"loud\"\n", "server.log_level");
  expect_refused("[server]\nlisten = \"localhost\"\n", "server.listen");
  expect_refused("[tls]\ncert = \"c.pem\"\n", "tls.key");
}

TEST_F(ConfigTest, PlaintextListenIsAbsentByDefaultAndReadWhenGiven) {
  const auto defaults = load("");
  ASSERT_TRUE(defaults) << defaults.error().describe();
  EXPECT_FALSE(defaults->plaintext_listen.has_value());
  const auto config = load("[server]\nplaintext_listen = \"127.0.0.1:0\"\n");
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_TRUE(config->plaintext_listen.has_value());
  EXPECT_EQ(config->plaintext_listen->first, "127.0.0.1");
  EXPECT_EQ(config->plaintext_listen->second, 0);
  expect_refused("[server]\nplaintext_listen = \"nowhere\"\n", "server.plaintext_listen");
}

TEST_F(ConfigTest, SyntaxErrorNamesTheLine) {
  const auto config = load("[server]\nthreads = = 2\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, Errc::invalid_argument);
  EXPECT_NE(config.error().context.find("server.toml:2:"), std::string::npos)
      << config.error().context;
}

TEST_F(ConfigTest, DuplicateKeyIsASyntaxError) {
  const auto config = load("[server]\nthreads = 1\nthreads = 2\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, Errc::invalid_argument);
}

TEST_F(ConfigTest, MissingFileIsNotFound) {
  const auto config = load_config(dir_ / "absent.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, Errc::not_found);
}

TEST(ParseListenTest, HostAndPortAreSplit) {
  const auto listen = parse_listen("0.0.0.0:443");
  ASSERT_TRUE(listen);
  EXPECT_EQ(listen->first, "0.0.0.0");
  EXPECT_EQ(listen->second, 443);
  EXPECT_EQ(parse_listen("localhost:0")->second, 0);
  EXPECT_EQ(parse_listen("example.org:65535")->second, 65535);
}

TEST(ParseListenTest, BracketedIpv6HostLosesItsBrackets) {
  const auto listen = parse_listen("[::1]:8443");
  ASSERT_TRUE(listen);
  EXPECT_EQ(listen->first, "::1");
  EXPECT_EQ(listen->second, 8443);
  EXPECT_EQ(parse_listen("[::]:1")->first, "::");
}

TEST(ParseListenTest, MalformedAddressesAreRefused) {
  for (const char* text :
       {"", "localhost", "localhost:", ":80", "::1:80", "[::1]", "[::1]80", "[]:80", "[::1:80",
        "host:65536", "host:-1", "host:80a", "host:123456", "ho st:80", "host: 80"}) {
    const auto listen = parse_listen(text);
    ASSERT_FALSE(listen) << text;
    EXPECT_EQ(listen.error().code, Errc::invalid_argument) << text;
  }
}

}  // namespace
}  // namespace bulwark::server
