// MessageLoad: the traffic the SIGKILL durability test runs while it kills the server. Each
// sender device sends numbered unique texts ("<name> #<n>") in its own thread to a recipient
// its seeded RNG picks, recording each send in the DeliveryLedger; each recipient device
// receives in its own thread and records what its application is shown.
//
// A failed send is never retried with the same text: the next send is a new text, after a short
// pause that doubles while sends keep failing (a client's retry backoff). While the
// server is down (the ServerGate closed) every thread waits for it to be up again instead of
// spinning; a failure while it is up is simply followed by the next send or receive (the
// client reconnects on its own). Every Client is used by exactly one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "durability/delivery_ledger.h"
#include "groups/group_world.h"

namespace bulwark::e2e {

// Whether the server is up: closed by the test before a kill, opened after the restart.
class ServerGate {
 public:
  void close_for_restart();
  void open_after_restart();
  // Makes every wait_until_up() return false from now on.
  void shut_down();
  // Blocks while the server is down; false once shut down.
  [[nodiscard]] bool wait_until_up();
  // After close_for_restart(): waits until `threads` threads are blocked in wait_until_up(),
  // that is, none of them is using its Client any more (so a test may reopen the Clients, as
  // the cluster test does to move them to another node). False at the timeout.
  [[nodiscard]] bool wait_until_parked(std::size_t threads, std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool up_ = true;
  bool shut_down_ = false;
  std::size_t parked_ = 0;
};

class MessageLoad {
 public:
  // Starts the threads. The devices must outlive the load.
  MessageLoad(std::vector<GroupDevice*> senders, std::vector<GroupDevice*> recipients,
              std::uint64_t seed, DeliveryLedger& ledger, ServerGate& gate);
  // Stops and joins everything still running.
  ~MessageLoad();
  MessageLoad(const MessageLoad&) = delete;
  MessageLoad& operator=(const MessageLoad&) = delete;

  // Senders finish the send they are in and stop; recipients keep receiving.
  void stop_sending();
  // Recipients return from their current receive and stop.
  void stop_receiving();
  // How many threads the load runs (senders and recipients), for ServerGate::wait_until_parked.
  [[nodiscard]] std::size_t thread_count() const noexcept {
    return senders_.size() + receivers_.size();
  }

 private:
  void send_continuously(GroupDevice& sender, std::uint64_t seed);
  void receive_continuously(GroupDevice& recipient);

  std::vector<GroupDevice*> recipients_;
  DeliveryLedger& ledger_;
  ServerGate& gate_;
  std::atomic<bool> sending_{true};
  std::atomic<bool> receiving_{true};
  std::vector<std::thread> senders_;
  std::vector<std::thread> receivers_;
};

// Records one receive event in the ledger (messages as deliveries, failures as problems).
void record_receive_event(DeliveryLedger& ledger, const GroupDevice& recipient,
                          const client::ReceiveEvent& event);
// Receives everything still queued for `device` (until one quiet second) into the ledger: the
// fault tests' final drain. The receive's own failure, if any.
[[nodiscard]] Result<void> drain_into_ledger(GroupDevice& device, DeliveryLedger& ledger);

}  // namespace bulwark::e2e
