// DeliveryLedger: what the SIGKILL durability test sent and what the recipients' applications
// were shown, shared by the sender and recipient threads (every method locks).
//
// A text is attempted (with the recipient it goes to) before its send starts, so that a
// delivery racing the sender's bookkeeping is never mistaken for an unknown text; the send's
// outcome then marks it acknowledged (Client::send returned OK) or unacknowledged (it failed).
// Texts are unique: a sender never sends one twice, so two deliveries of a text are always a
// duplicate shown to the application.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace bulwark::e2e {

struct LedgerReport {
  std::size_t attempted = 0;
  std::size_t acknowledged = 0;
  std::size_t unacknowledged = 0;
  std::size_t delivered = 0;                 // distinct texts shown to an application
  std::size_t unacknowledged_delivered = 0;  // sends that failed, yet the message arrived
  std::vector<std::string> lost;             // acknowledged, never delivered
  std::vector<std::string> duplicated;       // delivered more than once
  std::vector<std::string> misrouted;        // delivered to another recipient, or unknown
  std::vector<std::string> pending;          // still in flight (a send never finished)
  std::vector<std::string> problems;         // undecryptable or untrusted events
  std::chrono::steady_clock::duration slowest_send{};  // the longest a send took to return
};

class DeliveryLedger {
 public:
  // Requires `text` never attempted before.
  void attempt(const std::string& text, const std::string& recipient);
  void acknowledged(const std::string& text);
  // `error` is the error's kind (counted); `detail`, its message, is kept as an example.
  void unacknowledged(const std::string& text, const std::string& error,
                      const std::string& detail = {});
  // How long one send took to return, acknowledged or not.
  void send_took(std::chrono::steady_clock::duration took);
  void delivered(const std::string& recipient, const std::string& text);
  // Something a recipient was shown that is not a message (an undecryptable envelope, say).
  void problem(const std::string& what);

  [[nodiscard]] std::size_t acknowledged_count() const;
  [[nodiscard]] std::size_t unacknowledged_count() const;
  // Waits until at least `count` sends failed; false at the timeout.
  [[nodiscard]] bool wait_for_unacknowledged(std::size_t count, std::chrono::milliseconds timeout);
  // Waits until at least `count` sends were acknowledged; false at the timeout.
  [[nodiscard]] bool wait_for_acknowledged(std::size_t count, std::chrono::milliseconds timeout);
  // Waits until every acknowledged text was delivered; false at the timeout.
  [[nodiscard]] bool wait_all_acknowledged_delivered(std::chrono::milliseconds timeout);

  [[nodiscard]] LedgerReport report() const;
  // How often each send error was seen ("network: ...": count), to explain the unacknowledged.
  [[nodiscard]] std::map<std::string, std::size_t> send_errors() const;
  // The distinct messages of failed sends (the first few), to check what clients were told.
  [[nodiscard]] std::vector<std::string> send_error_examples() const;

 private:
  enum class Outcome { in_flight, acknowledged, unacknowledged };
  struct Entry {
    std::string recipient;
    Outcome outcome = Outcome::in_flight;
    std::size_t deliveries = 0;
    bool misrouted = false;
  };
  [[nodiscard]] bool all_acknowledged_delivered() const;  // requires mutex_ held

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Entry> entries_;
  std::vector<std::string> unknown_;  // delivered texts nobody attempted
  std::vector<std::string> problems_;
  std::size_t acknowledged_ = 0;
  std::size_t unacknowledged_ = 0;
  std::chrono::steady_clock::duration slowest_send_{};
  std::vector<std::string> error_examples_;
  std::size_t acknowledged_undelivered_ = 0;
  std::map<std::string, std::size_t> send_errors_;
};

// For failure messages and reports: the first ten items, and how many there were in all.
[[nodiscard]] std::string ledger_first_few(const std::vector<std::string>& items);
// The fault tests' verdict: every acknowledged send delivered, none shown twice or to the
// wrong device, no receive problem, no send left without an answer (gtest expectations).
void expect_exactly_once(const LedgerReport& report);
// send_errors() as "name xN name xM ".
[[nodiscard]] std::string ledger_errors_text(const std::map<std::string, std::size_t>& errors);

}  // namespace bulwark::e2e
