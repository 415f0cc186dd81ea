// The daemon's group.* JSON-RPC methods (docs/CLI.md "The daemon"): a program creates a group,
// adds a member, sends, lists members and groups, removes and leaves; group messages and roster
// changes arrive as "receive" notifications; bad parameters and unknown groups get errors with
// the CLI's exit code.
#include <gtest/gtest.h>

#include <csignal>

#include "support/groups.h"
#include "support/unix_line_client.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto group_rpc_timeout = std::chrono::seconds(15);

// Sends a request and returns its response; notifications read meanwhile go to `notifications`.
nlohmann::json group_rpc(UnixLineClient& client, int id, const std::string& method,
                         const nlohmann::json& params, std::vector<nlohmann::json>& notifications) {
  nlohmann::json request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  client.write_line(request.dump());
  for (;;) {
    auto line = nlohmann::json::parse(client.read_line(group_rpc_timeout), nullptr, false);
    require(!line.is_discarded() && line.is_object(), "the daemon wrote a line that is not JSON");
    if (line.contains("id") && line["id"] == id) return line;
    notifications.push_back(line);
  }
}

// The first "receive" notification whose params have "type" `type`: among those already read,
// else the next lines (each read bounded by group_rpc_timeout).
nlohmann::json next_group_notification(UnixLineClient& client,
                                       std::vector<nlohmann::json>& notifications,
                                       const std::string& type) {
  auto wanted = [&](const nlohmann::json& line) {
    return line.value("method", "") == "receive" && line.contains("params") &&
           line["params"].is_object() && line["params"].value("type", "") == type;
  };
  for (const auto& line : notifications) {
    if (wanted(line)) return line;
  }
  for (int lines = 0; lines < 100; ++lines) {
    auto line = nlohmann::json::parse(client.read_line(group_rpc_timeout), nullptr, false);
    require(!line.is_discarded(), "the daemon wrote a line that is not JSON");
    notifications.push_back(line);
    if (wanted(line)) return line;
  }
  return nullptr;
}

std::unique_ptr<CliProcess> start_group_daemon(const Account& account,
                                               const std::filesystem::path& socket) {
  auto daemon = account.cli.start({"daemon", "--socket", socket.string()});
  bool announced = poll_until(group_rpc_timeout, [&] {
    return daemon->out().find("\"type\":\"daemon\"") != std::string::npos ||
           daemon->process().try_wait().has_value();
  });
  require(announced && !daemon->process().try_wait().has_value(), "the daemon did not start",
          "stdout: " + daemon->out() + "\nstderr: " + daemon->err());
  return daemon;
}

TEST(GroupDaemonTest, GroupMethodsWorkAndGroupEventsArriveAsNotifications) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(65));
  Account bob = register_account(tmp, server, "bob", test_phone(66));
  const std::string alice_id = account_id_of(alice);
  const std::string bob_id = account_id_of(bob);

  const auto socket_path = tmp.path() / "alice.sock";
  auto daemon = start_group_daemon(alice, socket_path);
  UnixLineClient client(socket_path);
  std::vector<nlohmann::json> seen;

  nlohmann::json created = group_rpc(client, 1, "group.create", {{"name", "Team"}}, seen);
  ASSERT_TRUE(created.contains("result")) << created.dump();
  EXPECT_EQ(created["result"]["name"], "Team");
  EXPECT_EQ(created["result"]["members"], 1);
  const std::string group_id = created["result"].value("group_id", "");
  ASSERT_EQ(group_id.size(), 64u) << created.dump();

  nlohmann::json added =
      group_rpc(client, 2, "group.add", {{"group", "Team"}, {"peer", bob.phone}}, seen);
  ASSERT_TRUE(added.contains("result")) << added.dump();
  ASSERT_EQ(added["result"]["changes"].size(), 1u) << added.dump();
  EXPECT_EQ(added["result"]["changes"][0]["kind"], "added");
  EXPECT_EQ(added["result"]["changes"][0]["subject"]["account"], bob_id);
  EXPECT_EQ(added["result"]["group"]["members"], 2);

  // The group's id prefix names it as well as its name.
  nlohmann::json sent =
      group_rpc(client, 3, "group.send",
                {{"group", group_id.substr(0, 8)}, {"message", "from the bot"}}, seen);
  ASSERT_TRUE(sent.contains("result")) << sent.dump();
  EXPECT_EQ(sent["result"]["devices"], 1);
  EXPECT_EQ(sent["result"]["group_id"], group_id);

  auto at_bob = receive_group_events(bob, 2);
  ASSERT_EQ(events_of_type(at_bob, "group_joined").size(), 1u) << nlohmann::json(at_bob).dump();
  auto bob_messages = events_of_type(at_bob, "group_message");
  ASSERT_EQ(bob_messages.size(), 1u) << nlohmann::json(at_bob).dump();
  EXPECT_EQ(bob_messages[0]["body"], "from the bot");
  EXPECT_EQ(bob_messages[0]["from_account"], alice_id);

  // Bob answers; the daemon, connected the whole time, notifies the program.
  CliResult reply = group(bob, {"send", "Team", "-m", "hello bot"});
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  nlohmann::json message = next_group_notification(client, seen, "group_message");
  ASSERT_FALSE(message.is_null()) << "no group_message notification";
  EXPECT_EQ(message["params"]["body"], "hello bot") << message.dump();
  EXPECT_EQ(message["params"]["from_account"], bob_id) << message.dump();
  EXPECT_EQ(message["params"]["group"], "Team") << message.dump();

  nlohmann::json members = group_rpc(client, 4, "group.members", {{"group", "Team"}}, seen);
  ASSERT_TRUE(members.contains("result")) << members.dump();
  ASSERT_EQ(members["result"]["members"].size(), 2u) << members.dump();
  nlohmann::json listed = group_rpc(client, 5, "group.list", nlohmann::json::object(), seen);
  ASSERT_TRUE(listed.contains("result")) << listed.dump();
  ASSERT_EQ(listed["result"]["groups"].size(), 1u) << listed.dump();
  EXPECT_EQ(listed["result"]["groups"][0]["group_id"], group_id);

  // Bad parameters and unknown groups: clear errors with the CLI's exit code.
  nlohmann::json no_peer = group_rpc(client, 6, "group.add", {{"group", "Team"}}, seen);
  ASSERT_TRUE(no_peer.contains("error")) << no_peer.dump();
  EXPECT_EQ(no_peer["error"]["code"], -32602) << no_peer.dump();
  nlohmann::json no_group = group_rpc(client, 7, "group.members", {{"group", "Nope"}}, seen);
  ASSERT_TRUE(no_group.contains("error")) << no_group.dump();
  EXPECT_EQ(no_group["error"]["data"]["exit_code"], 1) << no_group.dump();
  nlohmann::json empty =
      group_rpc(client, 8, "group.send", {{"group", "Team"}, {"message", ""}}, seen);
  ASSERT_TRUE(empty.contains("error")) << empty.dump();
  nlohmann::json bad_name = group_rpc(client, 9, "group.create", {{"name", 7}}, seen);
  ASSERT_TRUE(bad_name.contains("error")) << bad_name.dump();
  EXPECT_EQ(bad_name["error"]["code"], -32602) << bad_name.dump();

  // Bob removed: the result names the change; Bob is told who removed him.
  nlohmann::json removed =
      group_rpc(client, 10, "group.remove", {{"group", "Team"}, {"peer", bob.phone}}, seen);
  ASSERT_TRUE(removed.contains("result")) << removed.dump();
  EXPECT_EQ(removed["result"]["changes"][0]["kind"], "removed");
  EXPECT_EQ(removed["result"]["group"]["members"], 1);
  auto bob_removed = events_of_type(receive_group_events(bob, 1), "group_removed");
  ASSERT_EQ(bob_removed.size(), 1u);
  EXPECT_EQ(bob_removed[0]["from_account"], alice_id);

  nlohmann::json left = group_rpc(client, 11, "group.leave", {{"group", "Team"}}, seen);
  ASSERT_TRUE(left.contains("result")) << left.dump();
  nlohmann::json none = group_rpc(client, 12, "group.list", nlohmann::json::object(), seen);
  ASSERT_TRUE(none.contains("result")) << none.dump();
  EXPECT_TRUE(none["result"]["groups"].empty()) << none.dump();

  daemon->process().send_signal(SIGTERM);
  CliResult stopped = daemon->finish(group_rpc_timeout);
  EXPECT_EQ(stopped.exit_code(), 0) << stopped.describe();
}

}  // namespace
}  // namespace bulwark::e2e
