// The MLS peer line protocol itself (tests/interop/mls/README.md), checked on each peer kind
// alone: bad requests are answered with {"ok":false,"error":TEXT} and the peer keeps going, EOF
// ends it with status 0, and the encodings it hands out have the framing RFC 9420 gives them.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "mls_driver.h"
#include "wire_edit.h"

namespace bulwark::interop {
namespace {

// The peer kinds checked.
const std::vector<std::string> mls_protocol_kinds = {
    "ts-mls",
    "bulwark",
};

std::string mls_protocol_kind_name(const ::testing::TestParamInfo<std::string>& info) {
  return mls_kind_test_name(info.param);
}

// A response line must be one JSON object whose "ok" is false and "error" a string.
::testing::AssertionResult mls_refusal(const std::string& line) {
  auto response = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object()) {
    return ::testing::AssertionFailure() << "not a JSON object: " << line;
  }
  if (response.value("ok", true) || !response.contains("error") || !response["error"].is_string()) {
    return ::testing::AssertionFailure() << "not {\"ok\":false,\"error\":TEXT}: " << line;
  }
  return ::testing::AssertionSuccess();
}

// MLSMessage = version(2) wire_format(2) ...; mls10 = 1.
std::string mls_message_prefix(std::uint8_t wire_format) {
  return std::string{'\x00', '\x01', '\x00', static_cast<char>(wire_format)};
}

class MlsPeerProtocolTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (auto why = missing_mls_dependency(GetParam()); !why.empty()) FAIL() << why;
  }
};

TEST_P(MlsPeerProtocolTest, BadRequestsAreRefusedAndThePeerKeepsGoing) {
  PeerProcess peer(mls_peer_command(GetParam()));
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"key_package"})")));  // before "identity"
  EXPECT_TRUE(mls_refusal(peer.call_raw("this is not json")));
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"key_package")")));  // cut short
  EXPECT_TRUE(mls_refusal(peer.call_raw("[1,2,3]")));
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"no_such_op"})")));
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"no_op":true})")));
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"identity","name":"dave","suite":2})")));
  auto identity = peer.call({{"op", "identity"}, {"name", "dave"}, {"suite", 1}});
  ASSERT_TRUE(identity["ok"].get<bool>()) << identity.dump();

  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"no_such_op"})")));
  EXPECT_TRUE(mls_refusal(peer.call_raw("{\"op\":")));
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"state","group_id":"Z3JvdXA="})")));  // none
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"create_group","group_id":"not base64!"})")));
  EXPECT_TRUE(
      mls_refusal(peer.call_raw(R"({"op":"join","welcome":"AAEAAw==","ratchet_tree":""})")));
  auto created = peer.call({{"op", "create_group"}, {"group_id", base64_encode("group")}});
  ASSERT_TRUE(created["ok"].get<bool>()) << created.dump();
  EXPECT_EQ(mls_uint_field(created, "epoch"), 0u);
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"create_group","group_id":"Z3JvdXA="})")));
  EXPECT_TRUE(mls_refusal(
      peer.call_raw(R"({"op":"add","group_id":"Z3JvdXA=","key_packages":["AAEABQ=="]})")));
  EXPECT_TRUE(mls_refusal(peer.call_raw(R"({"op":"remove","group_id":"Z3JvdXA=","leaves":[-1]})")));
  EXPECT_TRUE(
      mls_refusal(peer.call_raw(R"({"op":"process","group_id":"Z3JvdXA=","message":"AAEAAg=="})")));

  // Still answering, and the group untouched by the refusals.
  auto state = peer.call({{"op", "state"}, {"group_id", base64_encode("group")}});
  ASSERT_TRUE(state["ok"].get<bool>()) << state.dump();
  EXPECT_EQ(mls_uint_field(state, "epoch"), 0u);
  EXPECT_EQ(state["members"].size(), 1u);
  EXPECT_EQ(peer.close_and_wait(), 0);
}

TEST_P(MlsPeerProtocolTest, EofEndsThePeerWithStatusZero) {
  PeerProcess peer(mls_peer_command(GetParam()));
  EXPECT_EQ(peer.close_and_wait(), 0);
}

TEST_P(MlsPeerProtocolTest, KeyPackagesAreMlsMessagesForTheChosenSuite) {
  for (int suite : {1, 3}) {
    MlsPeer peer(GetParam(), "erin", suite);
    auto first = peer.key_package();
    auto second = peer.key_package();
    // MLSMessage(mls_key_package = 5) whose KeyPackage starts version(2) cipher_suite(2).
    ASSERT_GE(first.size(), 8u);
    EXPECT_EQ(first.substr(0, 4), mls_message_prefix(5)) << "suite " << suite;
    EXPECT_EQ(first.substr(4, 4), std::string({'\x00', '\x01', '\x00', static_cast<char>(suite)}));
    EXPECT_NE(first, second) << "each KeyPackage must have fresh keys";
  }
}

// Application messages are PrivateMessage (RFC 9420 §6); commits may be either framing.
TEST_P(MlsPeerProtocolTest, MessagesCarryTheirWireFormats) {
  MlsPeer peer(GetParam(), "frank", 1);
  ASSERT_EQ(peer.create_group("solo"), 0u);
  auto message = peer.encrypt("solo", "to nobody");
  EXPECT_EQ(message.substr(0, 4), mls_message_prefix(2));
  auto update = peer.update("solo");
  EXPECT_EQ(update.epoch, 1u);
  auto framing = update.commit.substr(0, 4);
  EXPECT_TRUE(framing == mls_message_prefix(1) || framing == mls_message_prefix(2));
  EXPECT_EQ(peer.state("solo").epoch, 1u);
}

INSTANTIATE_TEST_SUITE_P(Kinds, MlsPeerProtocolTest, ::testing::ValuesIn(mls_protocol_kinds),
                         mls_protocol_kind_name);

}  // namespace
}  // namespace bulwark::interop
