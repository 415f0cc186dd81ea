#include "durability/delivery_ledger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace bulwark::e2e {

void DeliveryLedger::attempt(const std::string& text, const std::string& recipient) {
  std::lock_guard lock(mutex_);
  if (!entries_.emplace(text, Entry{recipient}).second)
    throw std::logic_error("text attempted twice: " + text);
}

void DeliveryLedger::acknowledged(const std::string& text) {
  std::lock_guard lock(mutex_);
  Entry& entry = entries_.at(text);
  entry.outcome = Outcome::acknowledged;
  ++acknowledged_;
  if (entry.deliveries == 0) ++acknowledged_undelivered_;
  changed_.notify_all();
}

namespace {
constexpr std::size_t max_error_examples = 8;
}  // namespace

void DeliveryLedger::unacknowledged(const std::string& text, const std::string& error,
                                    const std::string& detail) {
  std::lock_guard lock(mutex_);
  entries_.at(text).outcome = Outcome::unacknowledged;
  ++send_errors_[error];
  ++unacknowledged_;
  const std::string example = error + ": " + detail;
  if (!detail.empty() && error_examples_.size() < max_error_examples &&
      std::find(error_examples_.begin(), error_examples_.end(), example) == error_examples_.end())
    error_examples_.push_back(example);
  changed_.notify_all();
}

void DeliveryLedger::send_took(std::chrono::steady_clock::duration took) {
  std::lock_guard lock(mutex_);
  slowest_send_ = std::max(slowest_send_, took);
}

void DeliveryLedger::delivered(const std::string& recipient, const std::string& text) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(text);
  if (found == entries_.end()) {
    unknown_.push_back(recipient + " got unknown text '" + text + "'");
    return;
  }
  Entry& entry = found->second;
  if (entry.recipient != recipient) entry.misrouted = true;
  if (++entry.deliveries == 1 && entry.outcome == Outcome::acknowledged) {
    --acknowledged_undelivered_;
    changed_.notify_all();
  }
}

void DeliveryLedger::problem(const std::string& what) {
  std::lock_guard lock(mutex_);
  problems_.push_back(what);
}

std::size_t DeliveryLedger::acknowledged_count() const {
  std::lock_guard lock(mutex_);
  return acknowledged_;
}

std::size_t DeliveryLedger::unacknowledged_count() const {
  std::lock_guard lock(mutex_);
  return unacknowledged_;
}

bool DeliveryLedger::wait_for_unacknowledged(std::size_t count,
                                             std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return unacknowledged_ >= count; });
}

bool DeliveryLedger::wait_for_acknowledged(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return acknowledged_ >= count; });
}

bool DeliveryLedger::wait_all_acknowledged_delivered(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return acknowledged_undelivered_ == 0; });
}

LedgerReport DeliveryLedger::report() const {
  std::lock_guard lock(mutex_);
  LedgerReport out;
  out.misrouted = unknown_;
  out.problems = problems_;
  out.slowest_send = slowest_send_;
  for (const auto& [text, entry] : entries_) {
    ++out.attempted;
    if (entry.deliveries > 0) ++out.delivered;
    if (entry.deliveries > 1)
      out.duplicated.push_back(text + " (" + std::to_string(entry.deliveries) + " times)");
    if (entry.misrouted) out.misrouted.push_back(text + " (meant for " + entry.recipient + ")");
    switch (entry.outcome) {
      case Outcome::acknowledged:
        ++out.acknowledged;
        if (entry.deliveries == 0) out.lost.push_back(text);
        break;
      case Outcome::unacknowledged:
        ++out.unacknowledged;
        if (entry.deliveries > 0) ++out.unacknowledged_delivered;
        break;
      case Outcome::in_flight:
        out.pending.push_back(text);
        break;
    }
  }
  return out;
}

std::map<std::string, std::size_t> DeliveryLedger::send_errors() const {
  std::lock_guard lock(mutex_);
  return send_errors_;
}

std::vector<std::string> DeliveryLedger::send_error_examples() const {
  std::lock_guard lock(mutex_);
  return error_examples_;
}

std::string ledger_first_few(const std::vector<std::string>& items) {
  std::ostringstream out;
  for (std::size_t i = 0; i < items.size() && i < 10; ++i) out << (i ? ", " : "") << items[i];
  if (items.size() > 10) out << ", ... (" << items.size() << " in all)";
  return out.str();
}

std::string ledger_errors_text(const std::map<std::string, std::size_t>& errors) {
  std::ostringstream out;
  for (const auto& [name, count] : errors) out << name << " x" << count << " ";
  return out.str();
}

void expect_exactly_once(const LedgerReport& report) {
  EXPECT_TRUE(report.lost.empty())
      << "acknowledged but never delivered: " << ledger_first_few(report.lost);
  EXPECT_TRUE(report.duplicated.empty())
      << "shown to the application more than once: " << ledger_first_few(report.duplicated);
  EXPECT_TRUE(report.misrouted.empty()) << ledger_first_few(report.misrouted);
  EXPECT_TRUE(report.problems.empty()) << ledger_first_few(report.problems);
  EXPECT_TRUE(report.pending.empty())
      << "sends that never returned: " << ledger_first_few(report.pending);
}

}  // namespace bulwark::e2e
