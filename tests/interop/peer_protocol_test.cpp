// The line protocol itself (tests/interop/README.md), checked on each peer kind alone: bad
// requests are answered with ok:false and the peer keeps going, EOF ends it with status 0, and
// bundles carry keys in libsignal's serialised forms.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "party.h"
#include "wire_edit.h"

namespace bulwark::interop {
namespace {

std::vector<PeerKind> all_kinds() {
#ifdef BULWARK_HAVE_PEER_BIN
  return {PeerKind::libsignal, PeerKind::bulwark};
#else
  return {PeerKind::libsignal};
#endif
}

std::string kind_name(const ::testing::TestParamInfo<PeerKind>& info) {
  return std::string(to_string(info.param));
}

// A response line must be one JSON object whose "ok" is false and "error" a string.
::testing::AssertionResult refused(const std::string& line) {
  auto response = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object()) {
    return ::testing::AssertionFailure() << "not a JSON object: " << line;
  }
  if (response.value("ok", true) || !response.contains("error") || !response["error"].is_string()) {
    return ::testing::AssertionFailure() << "not {\"ok\":false,\"error\":TEXT}: " << line;
  }
  return ::testing::AssertionSuccess();
}

class PeerProtocolTest : public ::testing::TestWithParam<PeerKind> {
 protected:
  void SetUp() override {
    if (auto why = missing_dependency(GetParam()); !why.empty()) FAIL() << why;
  }
};

TEST_P(PeerProtocolTest, BadRequestsAreRefusedAndThePeerKeepsGoing) {
  PeerProcess peer(peer_command(GetParam()));
  EXPECT_TRUE(refused(peer.call_raw(R"({"op":"bundle"})")));  // before "identity"
  EXPECT_TRUE(refused(peer.call_raw("this is not json")));
  EXPECT_TRUE(refused(peer.call_raw("[1,2,3]")));
  EXPECT_TRUE(refused(peer.call_raw(R"({"op":"no_such_op"})")));
  EXPECT_TRUE(refused(peer.call_raw(R"({"no_op":true})")));
  auto identity = peer.call({{"op", "identity"}, {"name", "carol"}, {"device", 3}});
  ASSERT_TRUE(identity["ok"].get<bool>()) << identity.dump();
  EXPECT_TRUE(refused(peer.call_raw(
      R"({"op":"decrypt","peer":"nobody","device":1,"type":"whisper","body":"RAAA"})")));
  EXPECT_TRUE(refused(peer.call_raw(
      R"({"op":"decrypt","peer":"nobody","device":1,"type":"whisper","body":"not base64!"})")));
  EXPECT_TRUE(refused(peer.call_raw(
      R"({"op":"encrypt","peer":"nobody","device":1,"plaintext":"aGk="})")));  // no session
  EXPECT_TRUE(refused(peer.call_raw(R"({"op":"fingerprint","peer":"nobody"})")));
  auto bundle = peer.call({{"op", "bundle"}});
  EXPECT_TRUE(bundle["ok"].get<bool>()) << bundle.dump();
  EXPECT_EQ(peer.close_and_wait(), 0);
}

TEST_P(PeerProtocolTest, ExitsWithStatusZeroOnEndOfInput) {
  PeerProcess peer(peer_command(GetParam()));
  EXPECT_EQ(peer.close_and_wait(), 0);
}

// Sizes from libsignal: EC keys 0x05 ‖ 32 B, Kyber1024 keys 0x08 ‖ 1568 B, XEdDSA signatures
// 64 B. Registration ids fit 14 bits (libsignal rejects larger ones in sealed sender).
TEST_P(PeerProtocolTest, BundlesUseLibsignalSerialisationAndFreshKeys) {
  Party party(GetParam(), "dave", 7);
  ASSERT_EQ(party.identity_key().size(), 33u);
  EXPECT_EQ(party.identity_key()[0], '\x05');
  auto first = party.bundle(true);
  auto second = party.bundle(true);
  auto bytes = [](const nlohmann::json& bundle, const char* key) {
    return base64_decode(text_field(bundle, key));
  };
  for (const auto& bundle : {first, second}) {
    EXPECT_EQ(bundle.at("device_id").get<int>(), 7);
    auto registration_id = bundle.at("registration_id").get<int>();
    EXPECT_TRUE(registration_id >= 1 && registration_id <= 0x3FFF) << registration_id;
    EXPECT_TRUE(bundle.at("pre_key_id").is_number_integer());
    EXPECT_TRUE(bundle.at("signed_pre_key_id").is_number_integer());
    EXPECT_TRUE(bundle.at("kyber_pre_key_id").is_number_integer());
    EXPECT_EQ(bytes(bundle, "identity_key"), party.identity_key());
    for (const char* key : {"pre_key", "signed_pre_key"}) {
      auto value = bytes(bundle, key);
      EXPECT_EQ(value.size(), 33u) << key;
      EXPECT_EQ(value.at(0), '\x05') << key;
    }
    auto kyber = bytes(bundle, "kyber_pre_key");
    EXPECT_EQ(kyber.size(), 1569u);
    EXPECT_EQ(kyber.at(0), '\x08');
    EXPECT_EQ(bytes(bundle, "signed_pre_key_signature").size(), 64u);
    EXPECT_EQ(bytes(bundle, "kyber_pre_key_signature").size(), 64u);
  }
  EXPECT_NE(first["pre_key_id"], second["pre_key_id"]);
  EXPECT_NE(first["kyber_pre_key_id"], second["kyber_pre_key_id"]);
  EXPECT_NE(bytes(first, "pre_key"), bytes(second, "pre_key"));
  EXPECT_NE(bytes(first, "kyber_pre_key"), bytes(second, "kyber_pre_key"));

  auto without = party.bundle(false);
  EXPECT_TRUE(without.at("pre_key_id").is_null());
  EXPECT_TRUE(without.at("pre_key").is_null());
  EXPECT_EQ(bytes(without, "kyber_pre_key").size(), 1569u);
}

INSTANTIATE_TEST_SUITE_P(Peers, PeerProtocolTest, ::testing::ValuesIn(all_kinds()), kind_name);

TEST(WireEditTest, Base64RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << i;
    bytes += static_cast<char>(i * 37);
  }
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");  // RFC 4648 §10
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(WireEditTest, Base64RejectsNonStandardText) {
  EXPECT_THROW((void)base64_decode("Zm9vYg"), std::invalid_argument);    // unpadded
  EXPECT_THROW((void)base64_decode("Zm9v-_=="), std::invalid_argument);  // URL alphabet
  EXPECT_THROW((void)base64_decode("Zm=vYmFy"), std::invalid_argument);  // inner padding
}

TEST(WireEditTest, DroppingFieldsKeepsTheOthersByteForByte) {
  // {5: 300 varint, 7: 9 varint, 8: "xyz", 2: ""}
  const std::string message("\x28\xAC\x02\x38\x09\x42\x03xyz\x12\x00", 12);
  EXPECT_EQ(drop_proto_fields(message, {7, 8}), std::string("\x28\xAC\x02\x12\x00", 5));
  EXPECT_EQ(proto_varint(message, 5), 300u);
  EXPECT_EQ(proto_bytes(message, 8), "xyz");
  EXPECT_THROW((void)proto_fields(std::string("\x42\x05xy", 4)), std::invalid_argument);
}

}  // namespace
}  // namespace bulwark::interop
