// A DeviceSession on a fake connection against a real SQLite store in a temporary directory:
// the server's request handling without sockets. Completions posted by the store thread are
// run by settle(), on the test's thread, so every test is deterministic.
#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "api/auth.h"
#include "api/proto/api.pb.h"
#include "crypto/ed25519.h"
#include "server/bus/local_bus.h"
#include "server/bus/nats_bus.h"
#include "server/channel_hub.h"
#include "server/context.h"
#include "server/franking_keys.h"
#include "server/franking_stamper.h"
#include "server/device_session.h"
#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/seeded_rng.h"

namespace bulwark::server::harness {

class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(ServerContext& context) : session_(context, *this) {}
  void post(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    posted_.push_back(std::move(fn));
  }
  bool write(std::shared_ptr<const std::string> frame) override {
    api::Frame decoded;
    EXPECT_TRUE(decoded.ParseFromString(*frame));
    frames_.push_back(std::move(decoded));
    return !closed_;
  }
  std::size_t queued_write_bytes() const override { return 0; }
  void close(std::string_view reason) override {
    closed_ = true;
    close_reason_ = std::string(reason);
  }
  const std::string& remote_ip() const override { return ip_; }
  ByteView tls_exporter() const override { return exporter_; }
  bool plaintext() const override { return plaintext_; }
  DeviceSession& session() override { return session_; }

  bool run_posted() {
    std::deque<std::function<void()>> batch;
    {
      std::lock_guard lock(mutex_);
      batch.swap(posted_);
    }
    for (auto& fn : batch) fn();
    return !batch.empty();
  }
  // Forgets what was posted and not run (the harness's teardown).
  void drop_posted() {
    std::deque<std::function<void()>> dropped;
    {
      std::lock_guard lock(mutex_);
      dropped.swap(posted_);
    }
  }
  // Removes and returns the response to request `id`, if written.
  std::optional<api::Response> take_response(std::uint64_t id) {
    for (auto it = frames_.begin(); it != frames_.end(); ++it) {
      if (it->has_response() && it->response().id() == id) {
        api::Response response = it->response();
        frames_.erase(it);
        return response;
      }
    }
    return std::nullopt;
  }
  // Removes and returns every push written so far, in order.
  std::vector<api::Push> take_pushes() {
    std::vector<api::Push> pushes;
    std::vector<api::Frame> rest;
    for (auto& frame : frames_) {
      if (frame.has_push()) pushes.push_back(frame.push());
      else rest.push_back(std::move(frame));
    }
    frames_ = std::move(rest);
    return pushes;
  }
  // Every frame still unread (responses without a caller, e.g. to garbage).
  std::vector<api::Frame> take_all() { return std::exchange(frames_, {}); }

  bool closed_ = false;
  std::string close_reason_;
  std::string ip_ = "192.0.2.7";
  Bytes exporter_ = Bytes(32, std::byte{0x33});
  bool plaintext_ = false;  // as on the benchmark's plaintext listener

 private:
  std::mutex mutex_;
  std::deque<std::function<void()>> posted_;
  std::vector<api::Frame> frames_;
  DeviceSession session_;
};

// An account id as the api's `bytes` fields carry it.
inline std::string text_of(const store::AccountId& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size());
}

struct TestDevice {
  store::AccountId account;
  DeviceId device{1};
  std::unique_ptr<crypto::Ed25519KeyPair> auth;
  RegistrationId registration{7};
};

class ServerHarness {
 public:
  explicit ServerHarness(ServerConfig config = {});
  ~ServerHarness();

  // A connection that got its Challenge.
  std::shared_ptr<FakeConnection> connect();
  // Runs store jobs and their completions until nothing is left.
  void settle();
  // Waits until every store job queued so far has run and posted its completion, running none
  // of them: what one pass of the I/O loop would find waiting after a burst of frames.
  void wait_until_store_idle();
  // Sends one request frame and returns the response to it (settling first).
  api::Response call(FakeConnection& connection, api::Request request);
  void send_frame(FakeConnection& connection, const api::Frame& frame);

  // ---- cluster mode (server/bus/nats_bus.h) ----
  // Puts this harness's node ("A") on NATS at `nats_url` and adds a second node ("B") on the
  // same store, with its own registry, channel hub and bus: two server processes on one
  // database. Pushes from the other node arrive on libnats threads, so tests wait for them.
  void join_cluster(const std::string& nats_url);
  std::shared_ptr<FakeConnection> connect_to_b();
  std::shared_ptr<FakeConnection> authenticated_on_b(const TestDevice& device);
  [[nodiscard]] NatsBus& bus_a() { return *nats_a_; }
  [[nodiscard]] NatsBus& bus_b();

  // Registers an account with one device directly in the store.
  TestDevice add_account(std::string phone, bool discoverable = true);
  // Adds a device to an existing account directly in the store.
  TestDevice add_device(const TestDevice& of);
  // A connection authenticated as `device` (asserts the answer was OK).
  std::shared_ptr<FakeConnection> authenticated(const TestDevice& device);
  api::Request authenticate_request(const TestDevice& device, FakeConnection& connection);

  // Runs `fn` on the store thread and waits.
  void with_store(const std::function<void(store::Store&)>& fn);
  std::uint64_t queue_length(const TestDevice& device);

  ServerConfig config_;
  std::filesystem::path dir_;
  std::unique_ptr<StoreExecutor> store_;
  Registry registry_;
  Metrics metrics_;
  std::unique_ptr<Limiters> limiters_;
  std::unique_ptr<CodeSender> sender_;
  bulwark::testing::FakeClock clock_;
  bulwark::testing::SeededRng rng_{42};
  ChannelHub hub_;
  LocalBus bus_{registry_, hub_};
  SecretBytes view_key_{32};
  std::unique_ptr<FrankingKeys> franking_;
  // The stamper's flushes, run by settle() as the I/O thread would after the handlers queued
  // before them: frames sent without settling in between share a batch.
  std::deque<std::function<void()>> io_posted_;
  std::unique_ptr<FrankingStamper> stamper_;
  std::unique_ptr<ServerContext> context_;
  std::vector<std::shared_ptr<FakeConnection>> connections_;
  std::unique_ptr<NatsBus> nats_a_;
  struct NodeB;
  std::unique_ptr<NodeB> b_;
  std::uint64_t next_id_ = 1;
  int accounts_ = 0;
};

}  // namespace bulwark::server::harness
