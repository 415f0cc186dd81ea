// A sending client SIGKILLed at several points of a send: before reading its input, half way
// through it, once connected, after each of the server's first store jobs for it
// (authentication, prekey counts, lookup, the send itself...), once the server committed the
// message. The kills land wherever the client got to by then. Afterwards
// nothing acknowledged ("sent") is lost, nothing is delivered twice or undecryptable, and both
// accounts keep working in both directions. Which sends completed is up to timing; the
// assertion is only about what was acknowledged, so the test is deterministic.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <map>

#include "support/accounts.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto wait_timeout = std::chrono::seconds(15);
constexpr std::size_t body_bytes = 60 * 1000;  // large, under the 64 KiB body limit

std::string large_body(const std::string& tag) {
  std::string body = "killed-send/" + tag + "/";
  body.resize(body_bytes, static_cast<char>('a' + tag.size() % 26));
  return body;
}

enum class KillPoint { at_start, half_of_stdin, once_connected, after_store_jobs, once_committed };

struct Attempt {
  std::string tag;
  std::string body;
  CliResult result;
  bool acknowledged = false;  // the client printed its "sent" line
};

class ClientKilledTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(tmp_.path() / "srv");
    alice_ = std::make_unique<Account>(register_account(tmp_, *server_, "alice", test_phone(23)));
    bob_ = std::make_unique<Account>(register_account(tmp_, *server_, "bob", test_phone(24)));
  }

  // No WebSocket of an earlier client is still open on the server (a killed client's
  // connection must be cleaned up, and the next kill point counts connections from zero).
  void wait_for_no_connections() {
    bool closed =
        poll_until(wait_timeout, [&] { return server_->metric("bulwark_connections_open") == 0; });
    require(closed, "the server still counts " +
                        std::to_string(server_->metric("bulwark_connections_open")) +
                        " open connections");
  }

  // `jobs`: for after_store_jobs, how many store jobs (authentication, prekey counts, lookup,
  // bundles, the send itself...) the server must have run for this client before the kill.
  Attempt send_and_kill(const std::string& tag, KillPoint point, int jobs = 0) {
    Attempt attempt{tag, large_body(tag), {}, false};
    wait_for_no_connections();
    const double committed_before = server_->metric("bulwark_messages_accepted_total");
    const double jobs_before = server_->metric("bulwark_store_jobs_total");
    auto process = alice_->cli.start({"send", "--to", bob_->phone}, /*stdin_pipe=*/true);
    switch (point) {
      case KillPoint::at_start:
        break;
      case KillPoint::half_of_stdin:
        process->process().write_stdin(std::string_view(attempt.body).substr(0, body_bytes / 2),
                                       wait_timeout);
        break;
      case KillPoint::once_connected:
        process->process().write_stdin(attempt.body, wait_timeout);
        process->process().close_stdin();
        (void)poll_until(wait_timeout, [&] {
          return server_->metric("bulwark_connections_open") >= 1 ||
                 process->process().try_wait().has_value();
        });
        break;
      case KillPoint::after_store_jobs:
        process->process().write_stdin(attempt.body, wait_timeout);
        process->process().close_stdin();
        (void)poll_until(wait_timeout, [&] {
          return server_->metric("bulwark_store_jobs_total") >= jobs_before + jobs ||
                 process->process().try_wait().has_value();
        });
        break;
      case KillPoint::once_committed:
        process->process().write_stdin(attempt.body, wait_timeout);
        process->process().close_stdin();
        (void)poll_until(wait_timeout, [&] {
          return server_->metric("bulwark_messages_accepted_total") > committed_before ||
                 process->process().try_wait().has_value();
        });
        break;
    }
    process->process().send_signal(SIGKILL);
    attempt.result = process->finish(wait_timeout);
    attempt.acknowledged = !attempt.result.of_type("sent").empty();
    // A kill after the "sent" line (while the client closes down) still counts as acknowledged.
    if (!attempt.acknowledged && attempt.result.status.exited) {
      ADD_FAILURE() << "exited on its own without acknowledging\n" << attempt.result.describe();
    }
    return attempt;
  }

  std::vector<Attempt> kill_at_every_point() {
    std::vector<Attempt> attempts;
    attempts.push_back(send_and_kill("at-start", KillPoint::at_start));
    attempts.push_back(send_and_kill("half-stdin", KillPoint::half_of_stdin));
    attempts.push_back(send_and_kill("connected", KillPoint::once_connected));
    for (int jobs = 1; jobs <= 6; ++jobs) {
      attempts.push_back(
          send_and_kill("store-jobs-" + std::to_string(jobs), KillPoint::after_store_jobs, jobs));
    }
    attempts.push_back(send_and_kill("committed", KillPoint::once_committed));
    return attempts;
  }

  // Bob's messages, as the tags of the sends they came from, in the order received. Every
  // queued message is on the server before this receive connects, so it gets them all at once
  // and five quiet seconds mean the queue is drained.
  std::vector<std::string> receive_tags_at_bob(const std::vector<Attempt>& attempts) {
    std::map<std::string, std::string> tag_of_body;
    for (const Attempt& attempt : attempts) tag_of_body[attempt.body] = attempt.tag;
    tag_of_body[large_body("after-kills")] = "after-kills";
    tag_of_body["short after kills"] = "short";
    CliResult receipt = bob_->cli.run({"receive", "--timeout", "5"});
    require(receipt.exit_code() == 0, "Bob's receive failed", receipt.describe());
    std::vector<std::string> tags;
    for (const auto& event : receipt.json()) {
      require(event.value("type", "") == "message",
              "unexpected event " + event.dump().substr(0, 300));
      require(event.value("from", "") == alice_->phone, "a message not from Alice");
      std::string body = event.value("body", "");
      auto known = tag_of_body.find(body);
      require(known != tag_of_body.end(), "Bob received a body nobody sent (" +
                                              std::to_string(body.size()) +
                                              " bytes: " + body.substr(0, 40) + "...)");
      tags.push_back(known->second);
    }
    return tags;
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Account> alice_;
  std::unique_ptr<Account> bob_;
};

TEST_F(ClientKilledTest, ClientKilledMidSendLosesNothingAcknowledgedAndKeepsWorking) {
  std::vector<Attempt> attempts = kill_at_every_point();

  // Before the client read its whole input, there was nothing to send.
  EXPECT_FALSE(attempts[0].acknowledged) << attempts[0].result.describe();
  EXPECT_FALSE(attempts[1].acknowledged) << attempts[1].result.describe();
  EXPECT_EQ(attempts[1].result.status.signal, SIGKILL) << attempts[1].result.describe();

  // The sender's next send works (its store and sessions survived the kills)...
  wait_for_no_connections();
  CliResult after =
      alice_->cli.run({"send", "--to", bob_->phone}, RunOptions{large_body("after-kills")});
  ASSERT_EQ(after.exit_code(), 0) << after.describe();
  ASSERT_EQ(after.of_type("sent").size(), 1u) << after.describe();
  CliResult short_one = send_message(*alice_, bob_->phone, "short after kills");
  ASSERT_EQ(short_one.exit_code(), 0) << short_one.describe();

  // ...and Bob gets every acknowledged message, nothing twice, nothing unknown, nothing
  // undecryptable, in the order sent.
  std::vector<std::string> sent_order;
  for (const Attempt& attempt : attempts) sent_order.push_back(attempt.tag);
  sent_order.insert(sent_order.end(), {"after-kills", "short"});
  std::vector<std::string> received = receive_tags_at_bob(attempts);
  std::string order;
  for (const auto& tag : received) order += tag + " ";
  auto count = [&](const std::string& tag) {
    return std::count(received.begin(), received.end(), tag);
  };
  for (const Attempt& attempt : attempts) {
    EXPECT_LE(count(attempt.tag), 1) << attempt.tag << " was delivered twice: " << order;
    if (attempt.acknowledged) {
      EXPECT_EQ(count(attempt.tag), 1)
          << "acknowledged but lost: " << attempt.tag << "; got " << order;
    }
  }
  EXPECT_EQ(count("after-kills"), 1) << order;
  EXPECT_EQ(count("short"), 1) << order;
  // Received in the order sent: `received` is a subsequence of `sent_order`.
  bool in_order = true;
  auto next = sent_order.begin();
  for (const auto& tag : received) {
    next = std::find(next, sent_order.end(), tag);
    if (next == sent_order.end()) {
      in_order = false;
      break;
    }
    ++next;
  }
  EXPECT_TRUE(in_order) << "out of order: " << order;
  EXPECT_TRUE(receive_messages(*bob_, 0).empty()) << "nothing more, and nothing again";

  // Both directions still work.
  CliResult reply = send_message(*bob_, alice_->phone, "bob is fine too");
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  auto at_alice = receive_messages(*alice_, 1);
  ASSERT_EQ(at_alice.size(), 1u);
  EXPECT_EQ(at_alice[0]["body"], "bob is fine too");
}

}  // namespace
}  // namespace bulwark::e2e
