// How group events and roster changes read (cli/group_render.h): every change names who made
// it, runs of one account's devices read as one line, and the JSON carries every field.
#include "cli/group_render.h"

#include <gtest/gtest.h>

#include "cli/render.h"

namespace bulwark::cli {
namespace {

client::GroupMember group_test_member(const std::string& account, std::uint32_t device,
                                      std::optional<std::string> phone,
                                      std::optional<std::string> username = std::nullopt,
                                      bool you = false) {
  client::GroupMember member;
  member.leaf = device * 2;
  member.account = account;
  member.device_id = device;
  member.phone = std::move(phone);
  member.username = std::move(username);
  member.you = you;
  return member;
}

const client::GroupMember alice1 = group_test_member("acct-alice", 1, "+15551234");
const client::GroupMember bob1 = group_test_member("acct-bob", 1, std::nullopt, "bob");
const client::GroupMember bob2 = group_test_member("acct-bob", 2, std::nullopt, "bob");
const client::GroupMember me = group_test_member("acct-me", 1, "+15550000", std::nullopt, true);

client::GroupEvent group_test_event(client::GroupEvent::Kind kind) {
  client::GroupEvent event;
  event.kind = kind;
  event.group_id = std::string(64, 'a');
  event.group_name = "Family";
  event.epoch = 3;
  event.envelope_id = "env-1";
  event.sent_at_ms = 1700;
  return event;
}

TEST(GroupRenderTest, MessageShowsGroupAndSender) {
  auto event = group_test_event(client::GroupEvent::Kind::message);
  event.from = alice1;
  event.text = "hello";
  EXPECT_EQ(group_event_text(event), "[Family] +15551234: hello");
  auto json = group_event_json(event);
  EXPECT_EQ(json["type"], "group_message");
  EXPECT_EQ(json["group"], "Family");
  EXPECT_EQ(json["group_id"], std::string(64, 'a'));
  EXPECT_EQ(json["epoch"], 3);
  EXPECT_EQ(json["body"], "hello");
  EXPECT_EQ(json["from"], "+15551234");
  EXPECT_EQ(json["from_account"], "acct-alice");
  EXPECT_EQ(json["from_device"], 1);
  EXPECT_EQ(json["from_phone"], "+15551234");
  EXPECT_EQ(json["id"], "env-1");
  EXPECT_EQ(json["sent_at"], 1700);
}

TEST(GroupRenderTest, AddsOfOneAccountsDevicesReadAsOneLineWithWhoAddedThem) {
  auto event = group_test_event(client::GroupEvent::Kind::roster);
  event.changes = {{client::RosterChange::Kind::added, bob1, alice1},
                   {client::RosterChange::Kind::added, bob2, alice1}};
  EXPECT_EQ(group_event_text(event), "[Family] +15551234 (device 1) added @bob (devices 1, 2)");
  auto json = group_event_json(event);
  EXPECT_EQ(json["type"], "group_roster");
  ASSERT_EQ(json["changes"].size(), 2u);
  EXPECT_EQ(json["changes"][1]["kind"], "added");
  EXPECT_EQ(json["changes"][1]["subject"]["device"], 2);
  EXPECT_EQ(json["changes"][1]["subject"]["username"], "bob");
  EXPECT_EQ(json["changes"][1]["by"]["account"], "acct-alice");
}

TEST(GroupRenderTest, ThisDeviceIsYouAndALeaverLeft) {
  auto event = group_test_event(client::GroupEvent::Kind::roster);
  event.changes = {{client::RosterChange::Kind::removed, alice1, me},
                   {client::RosterChange::Kind::removed, bob1, bob1},
                   {client::RosterChange::Kind::updated, alice1, alice1}};
  EXPECT_EQ(group_event_text(event),
            "[Family] you removed +15551234 (device 1)\n"
            "[Family] @bob (device 1) left\n"
            "[Family] +15551234 (device 1) updated its keys");
}

TEST(GroupRenderTest, JoinedAndRemovedNameWhoDidIt) {
  auto joined = group_test_event(client::GroupEvent::Kind::joined);
  joined.from = alice1;
  joined.changes = {{client::RosterChange::Kind::added, me, alice1},
                    {client::RosterChange::Kind::added, bob1, alice1}};
  EXPECT_EQ(group_event_text(joined),
            "[Family] +15551234 (device 1) added you\n"
            "[Family] +15551234 (device 1) added @bob (device 1)");
  EXPECT_EQ(group_event_json(joined)["type"], "group_joined");

  auto removed = group_test_event(client::GroupEvent::Kind::removed);
  removed.from = alice1;
  EXPECT_EQ(group_event_text(removed), "[Family] you were removed by +15551234 (device 1)");
  EXPECT_EQ(group_event_json(removed)["type"], "group_removed");
  EXPECT_EQ(group_event_json(removed)["from_account"], "acct-alice");
}

TEST(GroupRenderTest, ForkAndProblemAreFlaggedWithTheirDetail) {
  auto fork = group_test_event(client::GroupEvent::Kind::fork);
  fork.detail = "two different commits for epoch 3";
  EXPECT_EQ(group_event_text(fork), "! [Family] fork: two different commits for epoch 3");
  EXPECT_EQ(group_event_json(fork)["type"], "group_fork");
  EXPECT_EQ(group_event_json(fork)["detail"], "two different commits for epoch 3");

  auto problem = group_test_event(client::GroupEvent::Kind::problem);
  problem.group_name.clear();
  problem.detail = "leaf 7: not in its key-transparency record";
  EXPECT_EQ(group_event_text(problem),
            "! [aaaaaaaa] refused: leaf 7: not in its key-transparency record");
  EXPECT_EQ(group_event_json(problem)["type"], "group_problem");
}

TEST(GroupRenderTest, ReceiveEventsOfGroupsRenderThroughTheCommonRenderer) {
  client::ReceiveEvent event;
  event.kind = client::ReceiveEvent::Kind::group_event;
  event.group_event = group_test_event(client::GroupEvent::Kind::message);
  event.group_event->from = bob2;
  event.group_event->text = "hi";
  EXPECT_EQ(event_text(event), "[Family] @bob: hi");
  EXPECT_EQ(event_json(event)["type"], "group_message");
}

TEST(GroupRenderTest, MembersAndSummariesListEveryField) {
  EXPECT_EQ(group_member_text(me), "+15550000 (device 1, leaf 2) - you");
  auto member = group_member_json(bob2);
  EXPECT_EQ(member["name"], "@bob");
  EXPECT_EQ(member["leaf"], 4);
  EXPECT_EQ(member["you"], false);
  EXPECT_FALSE(member.contains("phone"));
  client::GroupSummary summary{std::string(64, 'b'), "Family", 4, 3};
  EXPECT_EQ(group_summary_text(summary), "Family  bbbbbbbb...  3 devices, epoch 4");
  EXPECT_EQ(group_summary_json(summary)["members"], 3);
}

}  // namespace
}  // namespace bulwark::cli
