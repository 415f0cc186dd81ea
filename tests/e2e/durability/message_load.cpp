#include "durability/message_load.h"

#include <algorithm>
#include <chrono>
#include <random>

namespace bulwark::e2e {
namespace {

// Short, so that a recipient notices the end of the load quickly; a receive that returns
// idle is simply started again.
constexpr std::chrono::milliseconds receive_idle{250};
// After a failed send a sender pauses before the next, doubling up to the cap and starting over
// after a success, as a real client retries: a server that refuses at once (its database down)
// would otherwise see thousands of sends a second and rate-limit them.
constexpr std::chrono::milliseconds first_retry_pause{20};
constexpr std::chrono::milliseconds max_retry_pause{320};

}  // namespace

void ServerGate::close_for_restart() {
  std::lock_guard lock(mutex_);
  up_ = false;
}

void ServerGate::open_after_restart() {
  std::lock_guard lock(mutex_);
  up_ = true;
  changed_.notify_all();
}

void ServerGate::shut_down() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  changed_.notify_all();
}

bool ServerGate::wait_until_up() {
  std::unique_lock lock(mutex_);
  if (!up_ && !shut_down_) {
    ++parked_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return up_ || shut_down_; });
    --parked_;
  }
  return !shut_down_;
}

bool ServerGate::wait_until_parked(std::size_t threads, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return parked_ >= threads; });
}

MessageLoad::MessageLoad(std::vector<GroupDevice*> senders, std::vector<GroupDevice*> recipients,
                         std::uint64_t seed, DeliveryLedger& ledger, ServerGate& gate)
    : recipients_(std::move(recipients)), ledger_(ledger), gate_(gate) {
  for (GroupDevice* recipient : recipients_)
    receivers_.emplace_back([this, recipient] { receive_continuously(*recipient); });
  std::uint64_t sender_seed = seed;
  for (GroupDevice* sender : senders)
    senders_.emplace_back([this, sender, s = ++sender_seed] { send_continuously(*sender, s); });
}

MessageLoad::~MessageLoad() {
  gate_.shut_down();  // a test that failed mid-restart must not leave threads waiting
  stop_sending();
  stop_receiving();
}

void MessageLoad::stop_sending() {
  sending_ = false;
  for (auto& thread : senders_)
    if (thread.joinable()) thread.join();
}

void MessageLoad::stop_receiving() {
  receiving_ = false;
  for (auto& thread : receivers_)
    if (thread.joinable()) thread.join();
}

void MessageLoad::send_continuously(GroupDevice& sender, std::uint64_t seed) {
  std::mt19937_64 pick(seed);
  std::chrono::milliseconds retry_pause{0};
  for (std::uint64_t n = 0; sending_ && gate_.wait_until_up(); ++n) {
    if (retry_pause.count() > 0) std::this_thread::sleep_for(retry_pause);
    GroupDevice& recipient = *recipients_[pick() % recipients_.size()];
    const std::string text = sender.name + " #" + std::to_string(n);
    ledger_.attempt(text, recipient.name);
    const auto started = std::chrono::steady_clock::now();
    auto sent = sender.client->send(recipient.phone, text);
    ledger_.send_took(std::chrono::steady_clock::now() - started);
    if (sent) {
      ledger_.acknowledged(text);
      retry_pause = std::chrono::milliseconds(0);
    } else {
      retry_pause = std::clamp(2 * retry_pause, first_retry_pause, max_retry_pause);
      ledger_.unacknowledged(text, std::string(errc_name(sent.error().code)),
                             sent.error().context);
    }
  }
}

void MessageLoad::receive_continuously(GroupDevice& recipient) {
  while (receiving_ && gate_.wait_until_up()) {
    // A kill breaks the receive with a network error; the next round reconnects.
    (void)recipient.client->receive(receive_idle, [&](const client::ReceiveEvent& event) {
      record_receive_event(ledger_, recipient, event);
      return receiving_.load();
    });
  }
}

void record_receive_event(DeliveryLedger& ledger, const GroupDevice& recipient,
                          const client::ReceiveEvent& event) {
  using Kind = client::ReceiveEvent::Kind;
  if (event.kind == Kind::message && event.message) {
    ledger.delivered(recipient.name, event.message->body);
  } else if (event.kind == Kind::undecryptable || event.kind == Kind::untrusted_identity) {
    ledger.problem(recipient.name + ": " + event.detail);
  }
}

Result<void> drain_into_ledger(GroupDevice& device, DeliveryLedger& ledger) {
  return device.client->receive(std::chrono::seconds(1), [&](const client::ReceiveEvent& event) {
    record_receive_event(ledger, device, event);
    return true;
  });
}

}  // namespace bulwark::e2e
