#include "registration.h"

#include <cstring>
#include <memory>

#include "api/proto/api.pb.h"
#include "api_frames.h"
#include "crypto/random.h"
#include "device_link.h"

namespace bulwark::loadgen {
namespace {

constexpr std::uint64_t request_code_id = 1;
constexpr std::uint64_t register_id = 2;
constexpr std::uint64_t first_add_device_id = 3;

class Registrar final : public WsClient::Handler {
 public:
  enum class State { connecting, code_requested, waiting_code, registering, adding, done, failed };

  Registrar(EventLoop& loop, const TlsClientContext& tls, const ServerAddress& server,
            CodeFile& codes, std::vector<DeviceCredentials>& devices, AccountPlan plan,
            std::size_t index, Rng& rng)
      : client_(loop, tls, server, source_address(index), *this),
        codes_(codes),
        devices_(devices),
        plan_(plan),
        rng_(rng),
        keys_(rng) {}

  void start() { client_.connect(); }
  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool finished() const noexcept {
    return state_ == State::done || state_ == State::failed;
  }
  [[nodiscard]] const std::string& failure() const noexcept { return failure_; }

  // Waiting for the code line: looks again (the phase loop calls this between polls).
  void retry_code() {
    if (state_ == State::waiting_code) send_register();
  }

  void on_open(WsClient&) override {}
  void on_closed(WsClient&, std::string_view reason) override {
    if (!finished()) fail(std::string(reason));
  }
  void on_message(WsClient&, std::string_view payload, Clock::time_point) override {
    if (!frame_.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
      return fail("undecodable frame");
    if (frame_.has_push()) {
      if (frame_.push().has_challenge() && state_ == State::connecting) {
        state_ = State::code_requested;
        client_.send(request_code_frame(request_code_id, first().phone));
      }
      return;  // QueueEmpty after Register
    }
    if (!frame_.has_response()) return;
    const api::Response& response = frame_.response();
    if (response.status() != api::OK) {
      return fail("request " + std::to_string(response.id()) + " refused (status " +
                  std::to_string(response.status()) + "): " + response.message());
    }
    if (response.id() == request_code_id) return send_register();
    if (response.id() == register_id) return on_registered(response.register_());
    on_device_added(response.id(), response.add_device());
  }

 private:
  DeviceCredentials& first() { return devices_[plan_.first]; }

  void fail(std::string reason) {
    state_ = State::failed;
    failure_ = first().phone + ": " + reason;
    client_.close();
  }

  void send_register() {
    auto code = codes_.code_for(first().phone);
    if (!code) {
      state_ = State::waiting_code;
      return;
    }
    state_ = State::registering;
    client_.send(register_frame(register_id, *code, first(), keys_, rng_));
  }

  void on_registered(const api::RegisterResult& result) {
    if (result.account_id().size() != 16) return fail("account id is not 16 bytes");
    for (std::size_t i = plan_.first; i < plan_.first + plan_.count; ++i)
      std::memcpy(devices_[i].account.data(), result.account_id().data(), 16);
    first().device_id = result.device_id();
    if (plan_.count == 1) return finish();
    state_ = State::adding;
    add_next();
  }

  // One AddDevice at a time: each carries the successor of the record before it, which the
  // server accepts only once that one is the account's current record. The server numbers
  // devices one above the highest (WhoAmIResult.next_device_id): device k of the plan is k + 1.
  void add_next() {
    const std::size_t k = added_ + 1;
    const auto device_id = static_cast<std::uint32_t>(k + 1);
    client_.send(add_device_frame(first_add_device_id + k - 1, devices_[plan_.first + k], device_id,
                                  keys_, rng_));
  }

  void on_device_added(std::uint64_t id, const api::AddDeviceResult& result) {
    const std::uint64_t k = id - first_add_device_id + 1;
    if (state_ != State::adding || k != added_ + 1 || k >= plan_.count)
      return fail("unexpected response " + std::to_string(id));
    if (result.device_id() != k + 1)
      return fail("device added as " + std::to_string(result.device_id()) + ", not " +
                  std::to_string(k + 1) + " as its record says");
    devices_[plan_.first + k].device_id = result.device_id();
    if (++added_ == plan_.count - 1) return finish();
    add_next();
  }

  void finish() {
    state_ = State::done;
    client_.close();
  }

  WsClient client_;
  CodeFile& codes_;
  std::vector<DeviceCredentials>& devices_;
  AccountPlan plan_;
  Rng& rng_;
  AccountKeys keys_;  // this account's identity key and record chain
  State state_ = State::connecting;
  std::string failure_;
  std::size_t added_ = 0;
  api::Frame frame_;
};

}  // namespace

RegistrationOutcome register_accounts(const TlsClientContext& tls, const ServerAddress& server,
                                      CodeFile& codes, std::vector<DeviceCredentials>& devices,
                                      const std::vector<AccountPlan>& plans,
                                      std::size_t concurrency, Clock::time_point deadline) {
  RegistrationOutcome outcome;
  const Clock::time_point started = Clock::now();
  crypto::SystemRng rng;
  EventLoop loop;
  std::vector<std::unique_ptr<Registrar>> running;
  std::size_t next = 0;
  auto collect = [&](Registrar& registrar) {
    if (registrar.state() == Registrar::State::done) {
      ++outcome.accounts;
    } else {
      ++outcome.failed;
      if (outcome.first_failure.empty()) outcome.first_failure = registrar.failure();
    }
  };
  while ((next < plans.size() || !running.empty()) && Clock::now() < deadline) {
    while (running.size() < concurrency && next < plans.size()) {
      running.push_back(
          std::make_unique<Registrar>(loop, tls, server, codes, devices, plans[next], next, rng));
      running.back()->start();
      ++next;
    }
    loop.poll(std::chrono::milliseconds(2));
    for (auto it = running.begin(); it != running.end();) {
      (*it)->retry_code();
      if ((*it)->finished()) {
        collect(**it);
        it = running.erase(it);
      } else {
        ++it;
      }
    }
  }
  outcome.failed += running.size() + (plans.size() - next);
  if (outcome.first_failure.empty() && outcome.failed > 0)
    outcome.first_failure = "registration did not finish before its deadline";
  for (const AccountPlan& plan : plans) outcome.devices += plan.count;
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

}  // namespace bulwark::loadgen
