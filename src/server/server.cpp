#include "server/server.h"

#include <utility>  // before Asio (Boost 1.74 with g++ 12)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/post.hpp>
#include <csignal>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <thread>

#include "crypto/random.h"
#include "moderation/rules.h"
#include "server/context.h"
#include "server/http_session.h"
#include "server/kt_keys.h"
#include "server/kt_service.h"
#include "server/kt_store.h"
#include "server/lawful_service.h"
#include "server/bus/local_bus.h"
#include "server/bus/nats_bus.h"
#include "server/bus/node_id.h"
#include "server/channel_hub.h"
#include "server/franking_keys.h"
#include "server/franking_stamper.h"
#include "server/secret_file.h"
#include "server/tls_context.h"
#include "store/pg_store.h"
#include "store/sqlite_store.h"

namespace bulwark::server {

namespace asio = boost::asio;

namespace {
constexpr auto maintenance_interval = std::chrono::seconds(60);
// Shared contents checked for orphans per maintenance run: 1,000 a minute goes round a
// million pending group messages in under a day, at one indexed lookup each.
constexpr std::uint32_t orphan_sweep_slice = 1'000;
constexpr auto drain_poll = std::chrono::milliseconds(10);
constexpr auto drain_deadline = std::chrono::seconds(5);
// Often enough to catch a stall that would break a 10 ms latency goal; cheap at 100 wake-ups/s.
constexpr auto loop_lag_interval = std::chrono::milliseconds(10);
// A small batch is committed once its oldest job has waited 1 ms (or 64 jobs are in), so that
// moderate load shares fsyncs too: at half of peak that is ~20 jobs per commit instead of ~12,
// and the server's core 5 points less busy, which shortens the queueing tail more than the
// window adds (p50 +0.5 ms; p99 lower; measured side by side in bench/loadgen, 2026-11-27).
// Under load batches fill at once and nothing waits.
constexpr StoreExecutor::CommitWindow store_commit_window{std::chrono::milliseconds(1), 64};

// The store the configuration names: DATA_DIR/bulwark.db, or a PostgreSQL database that other
// nodes may share. The connection string is never logged (it may hold a password).
Result<std::unique_ptr<store::Store>> open_store(const ServerConfig& config) {
  if (config.store_backend == "postgres") {
    auto opened = BULWARK_TRY(store::open_pg_store(config.postgres));
    spdlog::info("store: PostgreSQL (several nodes may share it; docs/OPERATIONS.md)");
    return opened;
  }
  return store::open_sqlite_store(config.data_dir / "bulwark.db");
}

Result<std::unique_ptr<KtService>> start_kt(const ServerConfig& config, StoreExecutor& store,
                                            Clock& clock, Rng& rng) {
  KtSettings settings;
  settings.origin = config.kt_origin;
  settings.epoch = config.kt_epoch;
  for (const std::string& vkey : config.kt_witnesses) {
    auto witness = kt::CosignerKey::from_vkey(vkey);
    if (!witness) {
      return fail(Errc::invalid_argument, "transparency witness key '" + vkey + "': " +
                                              witness.error().context);
    }
    settings.witnesses.push_back(std::move(*witness));
  }
  settings.quorum = config.kt_quorum.value_or(static_cast<std::uint32_t>(settings.witnesses.size()));
  // Nodes sharing a PostgreSQL database share the log: one publishes, the others follow.
  settings.shared_log = config.store_backend == "postgres";
  settings.publisher_lease = std::max<std::chrono::milliseconds>(5 * config.kt_epoch,
                                                                 std::chrono::seconds(3));
  KtKeys keys = BULWARK_TRY(load_or_create_kt_keys(config.data_dir / "kt", rng));
  auto service = BULWARK_TRY(KtService::start(std::move(settings), std::move(keys), store, clock, rng));
  spdlog::info("key transparency: log {} signed by {}; {} witness(es), {} cosignature(s) required",
               service->origin(), service->log_vkey(), service->witness_vkeys().size(),
               service->quorum());
  if (service->witness_vkeys().empty()) {
    spdlog::warn("key transparency: no witnesses configured, so checkpoints are served without "
                 "cosignatures and clients must trust this server's view of the log. For a real "
                 "deployment, have independent parties run bulwark-witness and list their keys "
                 "in [transparency] witnesses (docs/KEY-TRANSPARENCY.md)");
  }
  return service;
}
// The disclosure log of lawful requests (docs/LAWFUL.md): its key (DATA_DIR/lawful/log.key),
// witnesses and operators; the stored log is checked before the server listens.
Result<std::unique_ptr<LawfulService>> start_lawful(const ServerConfig& config,
                                                    StoreExecutor& store, Clock& clock, Rng& rng) {
  DisclosureLogSettings settings;
  settings.origin = config.lawful_origin;
  for (const std::string& vkey : config.lawful_witnesses) {
    auto witness = kt::CosignerKey::from_vkey(vkey);
    if (!witness)
      return fail(Errc::invalid_argument,
                  "lawful witness key '" + vkey + "': " + witness.error().context);
    settings.witnesses.push_back(std::move(*witness));
  }
  settings.quorum =
      config.lawful_quorum.value_or(static_cast<std::uint32_t>(settings.witnesses.size()));
  const std::filesystem::path dir = config.data_dir / "lawful";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(Errc::storage, "cannot create " + dir.string());
  ::chmod(dir.c_str(), 0700);
  const SecretBytes seed = BULWARK_TRY(load_or_create_secret_file(dir / "log.key", rng));
  auto key = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(seed.view()));
  auto service = std::make_unique<LawfulService>(
      LawfulSettings{config.lawful_operators, config.lawful_approvals, config.ip_retention},
      DisclosureLog(std::move(settings), std::move(key)), clock, rng);
  std::uint64_t size = 0;
  const DisclosureLog& log = service->log();
  auto check = [&log, &size](store::Store& stored) -> Result<void> {
    size = BULWARK_TRY(log.check_stored(stored));
    return {};
  };
  BULWARK_TRY(run_store_job(store, std::move(check)));
  spdlog::info("lawful requests: {} operator(s), {} approval(s) per release; disclosure log {} "
               "({} entries) signed by {}; {} witness(es), {} cosignature(s) before a release "
               "(docs/LAWFUL.md)",
               config.lawful_operators.size(), config.lawful_approvals, config.lawful_origin, size,
               service->log().vkey(), service->log().settings().witnesses.size(),
               service->log().settings().quorum);
  return service;
}

}  // namespace

struct Server::Impl {
  ServerConfig config;
  std::unique_ptr<CodeSender> code_sender;
  std::unique_ptr<asio::ssl::context> tls;
  SystemClock clock;
  crypto::SystemRng rng;
  Metrics metrics;
  Registry registry;
  std::unique_ptr<StoreExecutor> store;
  std::unique_ptr<KtService> kt;  // after store: stopped before it
  std::unique_ptr<LawfulService> lawful;
  ChannelHub channel_hub;
  std::unique_ptr<FrankingKeys> franking;
  // Before io: flushes queued on io reach it. It holds connections only weakly.
  std::unique_ptr<FrankingStamper> stamper;
  SecretBytes channel_view_key{secret_file_bytes};
  moderation::RuleSet moderation_rules;
  std::unique_ptr<Limiters> limiters;
  // Before io: sessions still in io when it is destroyed (after a drain deadline) reach the
  // context from their destructors.
  std::unique_ptr<ServerContext> context;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  asio::thread_pool blocking{1};
  asio::ip::tcp::acceptor acceptor{io};
  asio::ip::tcp::acceptor plaintext_acceptor{io};  // config.plaintext_listen; closed if none
  asio::signal_set signals{io, SIGINT, SIGTERM};
  asio::steady_timer maintenance{io};
  asio::steady_timer drain_timer{io};
  asio::steady_timer loop_lag_timer{io};
  // Live delivery (server/bus/bus.h): the local bus always, the NATS bus over it in cluster
  // mode. After io: a NATS callback still running during teardown posts to live connections.
  std::unique_ptr<LocalBus> local_bus;
  std::unique_ptr<NatsBus> nats_bus;
  std::chrono::steady_clock::time_point drain_started;
  // Where the next maintenance run's orphan sweep starts (store::OrphanSweep).
  std::shared_ptr<std::uint64_t> orphan_sweep_cursor = std::make_shared<std::uint64_t>(0);
  bool stopping = false;
  bool closed_connections = false;

  [[nodiscard]] unsigned io_threads() const {
    return config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  }
  [[nodiscard]] Result<void> start_bus();
  void accept(asio::ip::tcp::acceptor& on, asio::ssl::context* with_tls);
  Result<void> listen_plaintext();
  void run_maintenance();
  void probe_loop_lag();
  void drain_step();
};

Result<std::unique_ptr<Server>> Server::create(const ServerConfig& config) {
  // OpenSSL writes the connections' sockets with write(2), not send(MSG_NOSIGNAL): a peer that
  // vanished must be an EPIPE error on its connection, not a signal that ends the server.
  std::signal(SIGPIPE, SIG_IGN);
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) return fail(Errc::storage, "cannot create data directory " + config.data_dir.string());
  ::chmod(config.data_dir.c_str(), 0700);
  impl->code_sender = BULWARK_TRY(make_code_sender(config.verification));
  TlsFiles files = BULWARK_TRY(ensure_tls_files(config));
  impl->tls = BULWARK_TRY(make_tls_context(files));
  auto store = BULWARK_TRY(open_store(config));
  impl->store = std::make_unique<StoreExecutor>(std::move(store), default_store_queue_bound,
                                                default_store_max_batch, store_commit_window);
  impl->limiters = std::make_unique<Limiters>(config);
  Impl& i = *impl;
  impl->context.reset(new ServerContext{
      i.config, *i.store, i.registry, i.metrics, *i.limiters, *i.code_sender, i.clock, i.rng,
      [&i](std::function<void()> job) { asio::post(i.blocking, std::move(job)); }});
  impl->context->run_on_io = [&i](std::function<void()> job) { asio::post(i.io, std::move(job)); };
  impl->kt = BULWARK_TRY(start_kt(config, *impl->store, impl->clock, impl->rng));
  impl->context->kt = impl->kt.get();
  impl->lawful = BULWARK_TRY(start_lawful(config, *impl->store, impl->clock, impl->rng));
  impl->context->lawful = impl->lawful.get();
  impl->channel_view_key =
      BULWARK_TRY(load_or_create_secret_file(config.data_dir / "channel_views.key", impl->rng));
  impl->context->channel_view_key = &impl->channel_view_key;
  impl->context->channels = &impl->channel_hub;
  BULWARK_TRY(impl->start_bus());
  impl->moderation_rules = BULWARK_TRY(moderation::RuleSet::compile(config.moderation_rules));
  impl->context->moderation_rules = &impl->moderation_rules;
  spdlog::info("moderation: {} moderator(s), {} policy rule(s) on public channels' posts "
               "(docs/MODERATION.md)", config.moderators.size(), impl->moderation_rules.size());
  // With several I/O threads the fan-out runs on one strand: one post's groups, and the posts in
  // commit order, then reach every connection's strand in seq order.
  impl->channel_hub.fan_out_on(
      impl->io_threads() == 1 ? asio::any_io_executor(impl->io.get_executor())
                              : asio::any_io_executor(asio::make_strand(impl->io)));
  const FrankingSettings franking{config.franking_epoch, config.franking_reportable};
  impl->franking = BULWARK_TRY(FrankingKeys::open(config.data_dir / "franking", franking,
                                                  impl->rng, impl->context->now_ms()));
  impl->context->franking = impl->franking.get();
  impl->stamper = std::make_unique<FrankingStamper>(
      *impl->franking, impl->clock,
      [&i](std::function<void()> job) { asio::post(i.io, std::move(job)); },
      impl->io_threads() == 1, impl->context->metrics);
  impl->context->stamper = impl->stamper.get();
  spdlog::info("message franking: stamping key rotates every {} h; messages reportable for {} "
               "days after their epoch (docs/FRANKING.md)",
               config.franking_epoch.count(), config.franking_reportable.count() / 24);
  spdlog::info("data directory {}{}", config.data_dir.string(),
               config.store_backend == "sqlite" ? " (SQLite database bulwark.db)" : "");
  spdlog::info("TLS certificate {}{}; clients pin it with --ca-file {}", files.certificate.string(),
               files.generated ? " (self-signed, generated now)" : "", files.certificate.string());
  spdlog::info("verification codes: {}", impl->code_sender->describe());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<void> Server::Impl::start_bus() {
  local_bus = std::make_unique<LocalBus>(registry, channel_hub);
  context->bus = local_bus.get();
  if (config.bus != "nats") return {};
  NatsBusOptions options;
  options.url = config.nats_url;
  options.node_id = config.node_id.empty() ? default_node_id() : config.node_id;
  nats_bus = BULWARK_TRY(NatsBus::connect(*local_bus, std::move(options)));
  context->bus = nats_bus.get();
  context->bus_counters = &nats_bus->counters();
  spdlog::info("cluster: live pushes cross nodes through NATS at {} as node {} "
               "(docs/OPERATIONS.md)", config.nats_url, nats_bus->node_id());
  return {};
}


Server::~Server() {
  // The hub's strand must go before the io_context it belongs to (declared after the hub).
  impl_->channel_hub.fan_out_on(std::nullopt);
  impl_->blocking.join();
  impl_->store->drain_and_stop();
}

Result<std::uint16_t> Server::listen() {
  Impl& i = *impl_;
  boost::system::error_code error;
  auto address = asio::ip::make_address(i.config.listen_host, error);
  if (error) return fail(Errc::invalid_argument, "not an IP address: " + i.config.listen_host);
  asio::ip::tcp::endpoint endpoint(address, i.config.listen_port);
  i.acceptor.open(endpoint.protocol(), error);
  if (!error) i.acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) i.acceptor.bind(endpoint, error);
  if (!error) i.acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return fail(Errc::network, "cannot listen on " + i.config.listen_host + ":" +
                                   std::to_string(i.config.listen_port) + ": " + error.message());
  }
  std::uint16_t port = i.acceptor.local_endpoint().port();
  std::string host = address.is_v6() ? "[" + i.config.listen_host + "]" : i.config.listen_host;
  spdlog::info("listening on wss://{}:{}/v1/websocket (health https://{}:{}/healthz; public "
               "channels at https://{}:{}/s/HANDLE)",
               host, port, host, port, host, port);
  if (i.config.plaintext_listen) BULWARK_TRY(i.listen_plaintext());
  return port;
}

std::uint16_t Server::plaintext_port() const {
  boost::system::error_code error;
  if (!impl_->plaintext_acceptor.is_open()) return 0;
  auto endpoint = impl_->plaintext_acceptor.local_endpoint(error);
  return error ? 0 : endpoint.port();
}

// Benchmarks only (config.h): loopback, or nothing at all, and never quietly.
Result<void> Server::Impl::listen_plaintext() {
  const auto& [host, wanted_port] = *config.plaintext_listen;
  boost::system::error_code error;
  auto address = asio::ip::make_address(host, error);
  if (error) return fail(Errc::invalid_argument, "plaintext_listen: not an IP address: " + host);
  if (!address.is_loopback()) {
    return fail(Errc::invalid_argument,
                "plaintext_listen: " + host + " is not a loopback address; the plaintext "
                "listener is for benchmarks on this machine only");
  }
  asio::ip::tcp::endpoint endpoint(address, wanted_port);
  plaintext_acceptor.open(endpoint.protocol(), error);
  if (!error) plaintext_acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) plaintext_acceptor.bind(endpoint, error);
  if (!error) plaintext_acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return fail(Errc::network, "cannot listen (plaintext) on " + host + ":" +
                                   std::to_string(wanted_port) + ": " + error.message());
  }
  const std::uint16_t port = plaintext_acceptor.local_endpoint().port();
  const std::string shown = address.is_v6() ? "[" + host + "]" : host;
  spdlog::warn("PLAINTEXT listener on ws://{}:{}/v1/websocket: NO TLS, for benchmarks only "
               "(config server.plaintext_listen); devices sign the plaintext auth message",
               shown, port);
  return {};
}

void Server::Impl::accept(asio::ip::tcp::acceptor& on, asio::ssl::context* with_tls) {
  // With one I/O thread every handler already runs alone: a strand per connection would only
  // add a queue and a lock to every handler (and to every subscriber of a channel post).
  auto executor = io_threads() == 1 ? asio::any_io_executor(io.get_executor())
                                    : asio::any_io_executor(asio::make_strand(io));
  on.async_accept(executor, [this, &on, with_tls](boost::system::error_code error,
                                                  asio::ip::tcp::socket socket) {
    if (error) {
      if (!on.is_open()) return;
      spdlog::warn("accept failed: {}", error.message());
    } else if (metrics.connections_open.load() >= config.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);  // at capacity: refuse at once rather than degrade everyone
    } else {
      metrics.connections_accepted++;
      socket.set_option(asio::ip::tcp::no_delay(true), error);
      start_http_session(std::move(socket), with_tls, *context);
    }
    accept(on, with_tls);
  });
}

void Server::Impl::run_maintenance() {
  std::int64_t now = context->now_ms();
  // Rotation writes a key file and destroys expired ones: small, but disk work, so not on the
  // I/O thread.
  asio::post(blocking, [this, now] {
    if (auto rotated = franking->rotate(now, rng); !rotated)
      spdlog::warn("message franking: key rotation failed: {}", rotated.error().describe());
  });
  std::int64_t ip_cutoff =
      now - std::chrono::duration_cast<std::chrono::milliseconds>(config.ip_retention).count();
  auto expired = std::make_shared<std::uint64_t>(0);
  bool queued = store->submit([now, ip_cutoff, expired](store::Store& s) -> Result<void> {
    *expired = BULWARK_TRY(s.expire_envelopes(now));
    BULWARK_TRY(s.prune_ips(ip_cutoff));
    return {};
  }, [this, expired](Result<void> result) {
    if (!result) return spdlog::warn("maintenance failed: {}", result.error().describe());
    metrics.envelopes_expired += *expired;
    if (*expired > 0) spdlog::info("expired {} envelopes past retention", *expired);
  });
  // Group message bytes two nodes' deletes left behind (store/group_store.h): a slice of the
  // table per run, round and round. A job of its own, so that it advances whatever the expiry
  // does. Only the store thread touches the cursor.
  auto released = std::make_shared<std::uint32_t>(0);
  queued = store->submit([released, cursor = orphan_sweep_cursor](store::Store& s) -> Result<void> {
    const store::OrphanSweep sweep =
        BULWARK_TRY(s.release_orphaned_contents(*cursor, orphan_sweep_slice));
    *cursor = sweep.checked_up_to;
    *released = sweep.released;
    return {};
  }, [released](Result<void> result) {
    if (!result) return spdlog::warn("orphan sweep failed: {}", result.error().describe());
    if (*released > 0)
      spdlog::info("released {} group messages' bytes no queued copy named", *released);
  }) && queued;
  if (!queued) spdlog::warn("maintenance skipped: store busy");
  maintenance.expires_after(maintenance_interval);
  maintenance.async_wait([this](boost::system::error_code error) {
    if (!error && !stopping) run_maintenance();
  });
}

void Server::Impl::probe_loop_lag() {
  const auto due = std::chrono::steady_clock::now() + loop_lag_interval;
  loop_lag_timer.expires_at(due);
  loop_lag_timer.async_wait([this, due](boost::system::error_code error) {
    if (error || stopping) return;
    const auto late = std::chrono::steady_clock::now() - due;
    metrics.observe_loop_lag(std::chrono::duration<double>(late).count());
    probe_loop_lag();
  });
}

void Server::run() {
  Impl& i = *impl_;
  i.signals.async_wait([this](boost::system::error_code error, int) {
    if (!error) stop();
  });
  i.accept(i.acceptor, i.tls.get());
  if (i.plaintext_acceptor.is_open()) i.accept(i.plaintext_acceptor, nullptr);
  i.run_maintenance();
  i.probe_loop_lag();
  unsigned threads = i.io_threads();
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back([&i] { i.io.run(); });
  i.io.run();
  for (auto& thread : pool) thread.join();
  i.context->kt = nullptr;
  i.kt.reset();  // its last publish finishes before the store stops taking work
  i.store->drain_and_stop();
  // Nothing delivers any more (the sync thread is done): the node leaves the bus.
  i.context->bus = i.local_bus.get();
  i.context->bus_counters = nullptr;
  i.nats_bus.reset();
  spdlog::info("stopped");
}

void Server::stop() {
  asio::post(impl_->io, [&i = *impl_] {
    if (i.stopping) return;
    i.stopping = true;
    i.context->shutting_down = true;
    spdlog::info("stopping: committing pending work, then closing connections");
    boost::system::error_code ignored;
    i.acceptor.close(ignored);
    i.plaintext_acceptor.close(ignored);
    i.maintenance.cancel();
    i.loop_lag_timer.cancel();
    i.signals.cancel();
    i.drain_started = std::chrono::steady_clock::now();
    i.drain_step();
  });
}

void Server::Impl::drain_step() {
  bool late = std::chrono::steady_clock::now() - drain_started > drain_deadline;
  if (!closed_connections && (store->idle() || late)) {
    closed_connections = true;
    for (auto& connection : registry.all()) {
      connection->post([connection] { connection->close("server restarting"); });
    }
  }
  if (closed_connections && (registry.open_connections() == 0 || late)) {
    work.reset();
    io.stop();
    return;
  }
  drain_timer.expires_after(drain_poll);
  drain_timer.async_wait([this](boost::system::error_code) { drain_step(); });
}

}  // namespace bulwark::server
