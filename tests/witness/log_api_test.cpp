// The server's log APIs as the witness reads them (witness/log_api.h), the log kinds that
// pick one (witness/log_kind.h) and the server URL (witness/server_url.h): every status means
// one thing, and nothing else parses.
#include "witness/log_api.h"

#include <gtest/gtest.h>

#include "witness/server_url.h"

namespace bulwark::witness {
namespace {

TEST(LogApiTest, CheckpointResponseIsTheNoteOrNothingYet) {
  EXPECT_EQ(checkpoint_from_response({200, "note"}).value(), "note");
  EXPECT_EQ(checkpoint_from_response({503, ""}).value(), std::nullopt);
  const auto error = checkpoint_from_response({500, "oops\n\x01"});
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().code, Errc::network);
  EXPECT_NE(error.error().context.find("500: oops??"), std::string::npos) << error.error().context;
}

TEST(LogApiTest, EntryResponseIsTheBodyAsItIs) {
  const std::string body("\x00\x01entry\xff", 8);
  EXPECT_EQ(entry_from_response(3, {200, body}).value(), to_bytes(as_bytes(body)));
  EXPECT_EQ(entry_from_response(3, {200, ""}).value(), Bytes{});
  EXPECT_EQ(entry_from_response(3, {404, ""}).error().code, Errc::not_found);
  EXPECT_EQ(entry_from_response(3, {502, ""}).error().code, Errc::network);
  EXPECT_EQ(entry_target(LogKind::kt, 17), "/v1/kt/entry/17");
}

TEST(LogApiTest, EachLogKindHasItsOwnEndpoints) {
  EXPECT_EQ(checkpoint_target(LogKind::kt), "/v1/kt/checkpoint");
  EXPECT_EQ(entry_target(LogKind::kt, 0), "/v1/kt/entry/0");
  EXPECT_EQ(cosignature_target(LogKind::kt), "/v1/kt/cosignature");
  EXPECT_EQ(checkpoint_target(LogKind::disclosure), "/v1/lawful/checkpoint");
  EXPECT_EQ(entry_target(LogKind::disclosure, 18446744073709551615u),
            "/v1/lawful/entry/18446744073709551615");
  EXPECT_EQ(cosignature_target(LogKind::disclosure), "/v1/lawful/cosignature");
}

TEST(LogApiTest, LogKindNamesParseBackAndNothingElseDoes) {
  for (const LogKind kind : {LogKind::kt, LogKind::disclosure}) {
    EXPECT_EQ(parse_log_kind(log_kind_name(kind)).value(), kind);
  }
  for (const char* name : {"", "KT", "lawful", "disclosure ", "kt\n"}) {
    EXPECT_EQ(parse_log_kind(name).error().code, Errc::invalid_argument) << name;
  }
}

TEST(LogApiTest, CosignatureRequestAndItsAnswers) {
  EXPECT_EQ(cosignature_request_body(12, "— w AAAA"), "12\n— w AAAA\n");
  EXPECT_TRUE(cosignature_submission_result({200, ""}));
  EXPECT_EQ(cosignature_submission_result({400, ""}).error().code, Errc::invalid_argument);
  EXPECT_EQ(cosignature_submission_result({403, ""}).error().code, Errc::auth_failed);
  EXPECT_EQ(cosignature_submission_result({409, ""}).error().code, Errc::conflict);
  EXPECT_EQ(cosignature_submission_result({500, ""}).error().code, Errc::network);
  const auto long_body = cosignature_submission_result({409, std::string(10'000, 'x')});
  EXPECT_LT(long_body.error().context.size(), 400u);
}

TEST(ServerUrlTest, ParsesHostsAndPorts) {
  EXPECT_EQ(parse_server_url("https://kt.example:8443").value(), (ServerUrl{"kt.example", "8443"}));
  EXPECT_EQ(parse_server_url("https://127.0.0.1:8443/").value(), (ServerUrl{"127.0.0.1", "8443"}));
  EXPECT_EQ(parse_server_url("https://kt.example").value(), (ServerUrl{"kt.example", "443"}));
  EXPECT_EQ(parse_server_url("https://[::1]:9").value(), (ServerUrl{"::1", "9"}));
}

TEST(ServerUrlTest, RefusesAnythingElse) {
  for (const char* url :
       {"http://kt.example", "wss://kt.example", "https://", "https://:443",
        "https://kt.example:", "https://kt.example:0", "https://kt.example:65536",
        "https://kt.example:08443", "https://kt.example/v1", "https://u@kt.example", "https://[::1",
        "https://[::1]x", "https://[kt]:1", "https://a b", "https://kt.example:1:2"}) {
    EXPECT_FALSE(parse_server_url(url)) << url;
  }
}

}  // namespace
}  // namespace bulwark::witness
