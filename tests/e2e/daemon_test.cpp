// `bulwark daemon --socket PATH`: JSON-RPC 2.0 lines over a UNIX socket. A program calls
// whoami and send, and gets a "receive" notification when a peer's message arrives; it reports
// a channel post, reads its moderation notices and appeals (docs/MODERATION.md).
#include <gtest/gtest.h>

#include <csignal>

#include "support/accounts.h"
#include "support/admin.h"
#include "support/channels.h"
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

TEST(DaemonTest, JsonRpcReportsAPostReadsModerationNoticesAndAppeals) {
  TempDir tmp;
  const Moderator alice = make_moderator(tmp, "alice");
  ServerProcess server(tmp.path() / "srv", ServerOptions{moderator_toml(alice)});
  Account owner = register_account(tmp, server, "owner", test_phone(25));
  Account reader = register_account(tmp, server, "reader", test_phone(26));
  create_channel(owner, "daily_news");
  const std::uint64_t seq = post_to(owner, "daily_news", "a post someone dislikes");

  const auto reader_socket = tmp.path() / "reader.sock";
  auto reader_daemon = start_daemon(reader, reader_socket);
  UnixLineClient reader_rpc(reader_socket);
  std::vector<nlohmann::json> notifications;
  nlohmann::json bad_category = call(reader_rpc, 1, "channel_report",
                                     {{"handle", "daily_news"}, {"seq", seq}, {"category", "gore"}},
                                     notifications);
  ASSERT_TRUE(bad_category.contains("error")) << bad_category.dump();
  EXPECT_NE(bad_category["error"]["message"].get<std::string>().find("unknown category"),
            std::string::npos);
  nlohmann::json reported = call(reader_rpc, 2, "channel_report",
                                 {{"handle", "daily_news"}, {"seq", seq}, {"category", "spam"},
                                  {"comment", "off topic"}},
                                 notifications);
  ASSERT_TRUE(reported.contains("result")) << reported.dump();
  EXPECT_EQ(reported["result"]["counted"], true);
  const std::string case_id = std::to_string(reported["result"]["case"].get<std::uint64_t>());
  CliResult removed = moderate(alice, server, {"act", case_id, "--action", "remove-post",
                                               "--reason", "spam (rule 2)"});
  ASSERT_EQ(removed.exit_code(), 0) << removed.describe();

  const auto owner_socket = tmp.path() / "owner.sock";
  auto owner_daemon = start_daemon(owner, owner_socket);
  UnixLineClient owner_rpc(owner_socket);
  nlohmann::json notices = call(owner_rpc, 1, "moderation", nlohmann::json::object(), notifications);
  ASSERT_TRUE(notices.contains("result")) << notices.dump();
  ASSERT_EQ(notices["result"]["notices"].size(), 1u) << notices.dump();
  const nlohmann::json& notice = notices["result"]["notices"][0];
  EXPECT_EQ(notice["case"].get<std::uint64_t>(), std::stoull(case_id));
  EXPECT_EQ(notice["action"], "remove-post");
  EXPECT_EQ(notice["moderator"], "alice");
  EXPECT_EQ(notice["signed"], true) << notice.dump();
  EXPECT_EQ(notice["appealable"], true);
  nlohmann::json appealed = call(owner_rpc, 2, "appeal",
                                 {{"case", std::stoull(case_id)}, {"text", "it was on topic"}},
                                 notifications);
  ASSERT_TRUE(appealed.contains("result")) << appealed.dump();
  nlohmann::json again = call(owner_rpc, 3, "appeal",
                              {{"case", std::stoull(case_id)}, {"text", "really"}}, notifications);
  ASSERT_TRUE(again.contains("error")) << again.dump();
  EXPECT_NE(again["error"]["message"].get<std::string>().find("already appealed"), std::string::npos);
  nlohmann::json no_case = call(owner_rpc, 4, "appeal", {{"text", "x"}}, notifications);
  ASSERT_TRUE(no_case.contains("error"));
  EXPECT_EQ(no_case["error"]["code"], -32602) << no_case.dump();

  for (auto* daemon : {reader_daemon.get(), owner_daemon.get()}) {
    daemon->process().send_signal(SIGTERM);
    EXPECT_EQ(daemon->finish(rpc_timeout).exit_code(), 0);
  }
}

}  // namespace
}  // namespace bulwark::e2e
