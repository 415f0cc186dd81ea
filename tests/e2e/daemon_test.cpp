// `bulwark daemon --socket PATH`: JSON-RPC 2.0 lines over a UNIX socket. A program calls
// whoami and send, and gets a "receive" notification when a peer's message arrives.
#include <gtest/gtest.h>

#include <csignal>

#include "support/accounts.h"
#include "support/unix_line_client.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto rpc_timeout = std::chrono::seconds(15);

// Sends a request and returns its response; notifications read meanwhile go to `notifications`.
nlohmann::json call(UnixLineClient& client, int id, const std::string& method,
                    const nlohmann::json& params, std::vector<nlohmann::json>& notifications) {
  nlohmann::json request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  client.write_line(request.dump());
  for (;;) {
    auto line = nlohmann::json::parse(client.read_line(rpc_timeout), nullptr, false);
    require(!line.is_discarded() && line.is_object(),
            "the daemon wrote a line that is not a JSON object");
    if (line.contains("id") && line["id"] == id) return line;
    notifications.push_back(line);
  }
}

bool is_message_notification(const nlohmann::json& line) {
  return line.value("method", "") == "receive" && line.contains("params") &&
         line["params"].is_object() && line["params"].value("type", "") == "message";
}

// The first "receive" notification of a message: among those already read, else the next
// lines (each read bounded by rpc_timeout).
nlohmann::json next_message_notification(UnixLineClient& client,
                                         const std::vector<nlohmann::json>& read) {
  for (const auto& line : read) {
    if (is_message_notification(line)) return line;
  }
  for (int lines = 0; lines < 100; ++lines) {
    auto line = nlohmann::json::parse(client.read_line(rpc_timeout), nullptr, false);
    require(!line.is_discarded(), "the daemon wrote a line that is not JSON");
    if (is_message_notification(line)) return line;
  }
  return nullptr;
}

// Starts `bulwark daemon` for `account` and waits until it announces its socket.
std::unique_ptr<CliProcess> start_daemon(const Account& account,
                                         const std::filesystem::path& socket) {
  auto daemon = account.cli.start({"daemon", "--socket", socket.string()});
  bool announced = poll_until(rpc_timeout, [&] {
    return daemon->out().find("\"type\":\"daemon\"") != std::string::npos ||
           daemon->process().try_wait().has_value();
  });
  require(announced && !daemon->process().try_wait().has_value(), "the daemon did not start",
          "stdout: " + daemon->out() + "\nstderr: " + daemon->err());
  return daemon;
}

TEST(DaemonTest, JsonRpcCallsWhoamiAndSendAndNotifiesIncomingMessages) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(23));
  Account bob = register_account(tmp, server, "bob", test_phone(24));

  const auto socket_path = tmp.path() / "alice.sock";
  auto daemon = start_daemon(alice, socket_path);
  UnixLineClient client(socket_path);
  std::vector<nlohmann::json> notifications;

  nlohmann::json who = call(client, 1, "whoami", nlohmann::json::object(), notifications);
  ASSERT_TRUE(who.contains("result")) << who.dump();
  EXPECT_EQ(who["jsonrpc"], "2.0");
  EXPECT_EQ(who["result"]["phone"], alice.phone) << who.dump();
  EXPECT_EQ(who["result"]["device_id"], 1) << who.dump();

  nlohmann::json sent = call(
      client, 2, "send", {{"to", bob.phone}, {"message", "hello from the daemon"}}, notifications);
  ASSERT_TRUE(sent.contains("result")) << sent.dump();
  EXPECT_EQ(sent["result"]["devices"], nlohmann::json::array({1})) << sent.dump();

  nlohmann::json unknown =
      call(client, 3, "send", {{"to", test_phone(99)}, {"message", "x"}}, notifications);
  ASSERT_TRUE(unknown.contains("error")) << unknown.dump();
  EXPECT_EQ(unknown["error"]["data"]["exit_code"], 1) << unknown.dump();
  nlohmann::json no_method =
      call(client, 4, "no_such_method", nlohmann::json::object(), notifications);
  ASSERT_TRUE(no_method.contains("error")) << no_method.dump();
  EXPECT_EQ(no_method["error"]["code"], -32601) << no_method.dump();

  auto at_bob = receive_messages(bob, 1);
  ASSERT_EQ(at_bob.size(), 1u);
  EXPECT_EQ(at_bob[0]["body"], "hello from the daemon");
  EXPECT_EQ(at_bob[0]["from"], alice.phone);

  // Bob answers; the daemon, connected the whole time, notifies the program.
  CliResult reply = send_message(bob, alice.phone, "hello daemon, from bob");
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  nlohmann::json received = next_message_notification(client, notifications);
  ASSERT_FALSE(received.is_null()) << "no receive notification";
  EXPECT_EQ(received["jsonrpc"], "2.0");
  EXPECT_FALSE(received.contains("id")) << "a notification has no id: " << received.dump();
  EXPECT_EQ(received["params"]["body"], "hello daemon, from bob") << received.dump();
  EXPECT_EQ(received["params"]["from"], bob.phone) << received.dump();

  // SIGTERM stops the daemon cleanly and removes its socket.
  daemon->process().send_signal(SIGTERM);
  CliResult stopped = daemon->finish(rpc_timeout);
  EXPECT_EQ(stopped.exit_code(), 0) << stopped.describe();
  EXPECT_FALSE(std::filesystem::exists(socket_path));
  // The message was committed by the daemon: a later receive does not show it again.
  EXPECT_TRUE(receive_messages(alice, 0).empty());
}

}  // namespace
}  // namespace bulwark::e2e
