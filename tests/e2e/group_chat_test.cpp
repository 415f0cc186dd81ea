// `bulwark group ...` with real processes (issue 9): three accounts share an MLS group; every
// member's `receive` shows each roster change with who made it; messages go both ways; the
// roster comes from each member's own state; a removed member is told by whom; a member
// leaves; bad input gets a clear error and exit code 1, never a crash.
#include <gtest/gtest.h>

#include <set>

#include "support/channels.h"
#include "support/groups.h"

namespace bulwark::e2e {
namespace {

// The accounts of a "group_members" line.
std::set<std::string> member_accounts(const CliResult& members) {
  std::set<std::string> accounts;
  for (const auto& line : members.of_type("group_members")) {
    for (const auto& member : line["members"]) accounts.insert(member.value("account", ""));
  }
  return accounts;
}

// The bodies of the group_message events among `events`, and who sent each.
std::vector<std::pair<std::string, std::string>> group_bodies(
    const std::vector<nlohmann::json>& events) {
  std::vector<std::pair<std::string, std::string>> bodies;
  for (const auto& event : events_of_type(events, "group_message"))
    bodies.emplace_back(event.value("body", ""), event.value("from_account", ""));
  return bodies;
}

TEST(GroupChatTest, ThreeMembersSeeEveryRosterChangeWithWhoMadeItAndTalkBothWays) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(60));
  Account bob = register_account(tmp, server, "bob", test_phone(61));
  Account carol = register_account(tmp, server, "carol", test_phone(62));
  const std::string alice_id = account_id_of(alice);
  const std::string bob_id = account_id_of(bob);
  const std::string carol_id = account_id_of(carol);

  nlohmann::json created = create_group(alice, "Family");
  EXPECT_EQ(created["name"], "Family");
  EXPECT_EQ(created["members"], 1);
  ASSERT_EQ(created.value("group_id", "").size(), 64u) << created.dump();

  for (const Account* peer : {&bob, &carol}) {
    CliResult added = group(alice, {"add", "Family", peer->phone});
    ASSERT_EQ(added.exit_code(), 0) << added.describe();
    auto lines = added.of_type("group_member_added");
    ASSERT_EQ(lines.size(), 1u) << added.describe();
    ASSERT_EQ(lines[0]["changes"].size(), 1u) << added.describe();
    EXPECT_EQ(lines[0]["changes"][0]["kind"], "added");
    EXPECT_EQ(lines[0]["changes"][0]["by"]["you"], true);
    EXPECT_EQ(lines[0]["changes"][0]["subject"]["phone"], peer->phone) << added.describe();
  }

  // Bob joined (Alice added him), then saw Alice add Carol; Carol joined, told so in text.
  auto at_bob = receive_group_events(bob, 2);
  auto bob_joined = events_of_type(at_bob, "group_joined");
  ASSERT_EQ(bob_joined.size(), 1u) << nlohmann::json(at_bob).dump();
  EXPECT_EQ(bob_joined[0]["from_account"], alice_id);
  EXPECT_EQ(bob_joined[0]["group"], "Family");
  auto bob_roster = events_of_type(at_bob, "group_roster");
  ASSERT_EQ(bob_roster.size(), 1u) << nlohmann::json(at_bob).dump();
  EXPECT_EQ(bob_roster[0]["changes"][0]["kind"], "added");
  EXPECT_EQ(bob_roster[0]["changes"][0]["subject"]["account"], carol_id);
  EXPECT_EQ(bob_roster[0]["changes"][0]["by"]["account"], alice_id);

  CliResult carol_text = carol.cli.run({"--output", "text", "receive", "--timeout", "2"});
  ASSERT_EQ(carol_text.exit_code(), 0) << carol_text.describe();
  EXPECT_NE(carol_text.out.find("[Family] "), std::string::npos) << carol_text.describe();
  EXPECT_NE(carol_text.out.find("(device 1) added you"), std::string::npos)
      << carol_text.describe();

  // Messages both ways.
  CliResult sent = group(alice, {"send", "Family", "-m", "hello family"});
  ASSERT_EQ(sent.exit_code(), 0) << sent.describe();
  ASSERT_EQ(sent.of_type("group_sent").size(), 1u) << sent.describe();
  EXPECT_EQ(sent.of_type("group_sent")[0]["devices"], 2) << sent.describe();
  CliResult reply = group(bob, {"send", "Family", "-m", "hi from bob"});
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();

  using Body = std::pair<std::string, std::string>;
  EXPECT_EQ(group_bodies(receive_group_events(carol, 2)),
            (std::vector<Body>{{"hello family", alice_id}, {"hi from bob", bob_id}}));
  EXPECT_EQ(group_bodies(receive_group_events(bob, 1)),
            (std::vector<Body>{{"hello family", alice_id}}));
  EXPECT_EQ(group_bodies(receive_group_events(alice, 1)),
            (std::vector<Body>{{"hi from bob", bob_id}}));

  // Every member's roster, from its own state, lists all three.
  const std::set<std::string> all{alice_id, bob_id, carol_id};
  for (const Account* member : {&alice, &bob, &carol}) {
    CliResult members = group(*member, {"members", "Family"});
    ASSERT_EQ(members.exit_code(), 0) << members.describe();
    EXPECT_EQ(member_accounts(members), all) << members.describe();
  }

  // Alice removes Carol: Carol is told by whom, Bob sees it, and Carol's group is closed.
  CliResult removed = group(alice, {"remove", "Family", carol.phone});
  ASSERT_EQ(removed.exit_code(), 0) << removed.describe();
  auto removal = removed.of_type("group_member_removed");
  ASSERT_EQ(removal.size(), 1u) << removed.describe();
  EXPECT_EQ(removal[0]["changes"][0]["kind"], "removed");
  EXPECT_EQ(removal[0]["group"]["members"], 2);

  auto at_carol = receive_group_events(carol, 1);
  auto carol_removed = events_of_type(at_carol, "group_removed");
  ASSERT_EQ(carol_removed.size(), 1u) << nlohmann::json(at_carol).dump();
  EXPECT_EQ(carol_removed[0]["from_account"], alice_id);
  CliResult closed = group(carol, {"send", "Family", "-m", "still here?"});
  EXPECT_EQ(closed.exit_code(), 1) << closed.describe();

  auto bob_saw = events_of_type(receive_group_events(bob, 1), "group_roster");
  ASSERT_EQ(bob_saw.size(), 1u);
  EXPECT_EQ(bob_saw[0]["changes"][0]["kind"], "removed");
  EXPECT_EQ(bob_saw[0]["changes"][0]["subject"]["account"], carol_id);
  EXPECT_EQ(bob_saw[0]["changes"][0]["by"]["account"], alice_id);

  // Bob leaves: his group is gone here; Alice, processing his proposal, commits it and sees
  // that Bob left.
  CliResult left = group(bob, {"leave", "Family"});
  ASSERT_EQ(left.exit_code(), 0) << left.describe();
  EXPECT_EQ(left.of_type("group_left").size(), 1u) << left.describe();
  CliResult bob_list = group(bob, {"list"});
  ASSERT_EQ(bob_list.exit_code(), 0) << bob_list.describe();
  ASSERT_EQ(bob_list.of_type("groups").size(), 1u) << bob_list.describe();
  EXPECT_TRUE(bob_list.of_type("groups")[0]["groups"].empty()) << bob_list.describe();

  auto alice_saw = events_of_type(receive_group_events(alice, 1), "group_roster");
  ASSERT_GE(alice_saw.size(), 1u);
  EXPECT_EQ(alice_saw[0]["changes"][0]["kind"], "removed");
  EXPECT_EQ(alice_saw[0]["changes"][0]["subject"]["account"], bob_id);
  EXPECT_EQ(alice_saw[0]["changes"][0]["by"]["account"], bob_id);
  CliResult alone = group(alice, {"members", "Family"});
  ASSERT_EQ(alone.exit_code(), 0) << alone.describe();
  EXPECT_EQ(member_accounts(alone), std::set<std::string>{alice_id}) << alone.describe();
  CliResult listed = group(alice, {"list"});
  ASSERT_EQ(listed.exit_code(), 0) << listed.describe();
  ASSERT_EQ(listed.of_type("groups").size(), 1u) << listed.describe();
  ASSERT_EQ(listed.of_type("groups")[0]["groups"].size(), 1u) << listed.describe();
  EXPECT_EQ(listed.of_type("groups")[0]["groups"][0]["name"], "Family");
}

struct GroupRefusal {
  std::vector<std::string> args;
  std::string says;  // part of the error message
};

TEST(GroupChatTest, BadInputIsRefusedWithAClearErrorAndExitCodeOne) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(63));
  Account bob = register_account(tmp, server, "bob", test_phone(64));
  create_group(alice, "Family");
  CliResult added = group(alice, {"add", "Family", bob.phone});
  ASSERT_EQ(added.exit_code(), 0) << added.describe();

  const std::vector<GroupRefusal> refusals{
      {{"send", "NoSuchGroup", "-m", "hello"}, "NoSuchGroup"},
      {{"members", "NoSuchGroup"}, "NoSuchGroup"},
      {{"add", "NoSuchGroup", bob.phone}, "NoSuchGroup"},
      {{"leave", "NoSuchGroup"}, "NoSuchGroup"},
      {{"add", "Family", test_phone(99)}, "is not on this server"},
      {{"add", "Family", "not-a-peer"}, "a peer is +PHONE"},
      {{"add", "Family", bob.phone}, "is already a member"},
      {{"remove", "Family", test_phone(99)}, "is not on this server"},
      {{"send", "Family", "-m", ""}, "the message is empty"},
      {{"create", std::string(65, 'n')}, "1-64"},
  };
  for (const GroupRefusal& refusal : refusals) {
    CliResult refused = group(alice, refusal.args);
    EXPECT_EQ(refused.exit_code(), 1) << refused.describe();
    const std::string message = error_message(refused);
    EXPECT_FALSE(message.empty()) << refused.describe();
    EXPECT_NE(message.find(refusal.says), std::string::npos) << refused.describe();
    EXPECT_NE(refused.err.find("bulwark: "), std::string::npos) << refused.describe();
  }
  // Without -m and with nothing on stdin there is nothing to send.
  CliResult usage = group(alice, {"send", "Family"});
  EXPECT_EQ(usage.exit_code(), 1) << usage.describe();
  EXPECT_NE(error_message(usage).find("give -m TEXT or a body on stdin"), std::string::npos)
      << usage.describe();

  // None of it changed the group: still Alice and Bob.
  CliResult members = group(alice, {"members", "Family"});
  ASSERT_EQ(members.exit_code(), 0) << members.describe();
  ASSERT_EQ(members.of_type("group_members").size(), 1u) << members.describe();
  EXPECT_EQ(members.of_type("group_members")[0]["members"].size(), 2u) << members.describe();
}

}  // namespace
}  // namespace bulwark::e2e
