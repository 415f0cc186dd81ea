// parse_kt_http_request (server/kt_http.h): the witnesses' HTTP routes, parsed without I/O.
#include "server/kt_http.h"

#include <string>

#include <gtest/gtest.h>

namespace bulwark::server {
namespace {

constexpr bool get = false;
constexpr bool post = true;
const std::string cosigned_line = "— witness.test/one AAAAAAAAAAAA";

KtHttpRequest post_cosignature(std::string_view body) {
  return parse_kt_http_request(post, "/v1/kt/cosignature", body);
}

TEST(KtHttpTest, GetCheckpointIsTheCheckpointRoute) {
  const KtHttpRequest request = parse_kt_http_request(get, "/v1/kt/checkpoint", "");
  EXPECT_EQ(request.route, KtHttpRoute::checkpoint);
  EXPECT_TRUE(request.error.empty());
}

TEST(KtHttpTest, GetEntryParsesItsIndex) {
  const KtHttpRequest zero = parse_kt_http_request(get, "/v1/kt/entry/0", "");
  EXPECT_EQ(zero.route, KtHttpRoute::entry);
  EXPECT_EQ(zero.index, 0u);
  const KtHttpRequest some = parse_kt_http_request(get, "/v1/kt/entry/1234", "");
  EXPECT_EQ(some.route, KtHttpRoute::entry);
  EXPECT_EQ(some.index, 1234u);
  const KtHttpRequest largest = parse_kt_http_request(get, "/v1/kt/entry/9223372036854775807", "");
  EXPECT_EQ(largest.route, KtHttpRoute::entry);
  EXPECT_EQ(largest.index, 9223372036854775807u);
}

TEST(KtHttpTest, PostCosignatureParsesSizeAndLine) {
  const KtHttpRequest request = post_cosignature("42\n" + cosigned_line + "\n");
  EXPECT_EQ(request.route, KtHttpRoute::cosignature);
  EXPECT_EQ(request.index, 42u);
  EXPECT_EQ(request.line, cosigned_line);
  EXPECT_TRUE(request.error.empty());
}

TEST(KtHttpTest, WrongMethodsAreBadRequests) {
  const KtHttpRequest post_checkpoint = parse_kt_http_request(post, "/v1/kt/checkpoint", "");
  EXPECT_EQ(post_checkpoint.route, KtHttpRoute::bad_request);
  EXPECT_FALSE(post_checkpoint.error.empty());
  EXPECT_EQ(parse_kt_http_request(post, "/v1/kt/entry/1", "").route, KtHttpRoute::bad_request);
  const KtHttpRequest get_cosignature =
      parse_kt_http_request(get, "/v1/kt/cosignature", "1\n" + cosigned_line + "\n");
  EXPECT_EQ(get_cosignature.route, KtHttpRoute::bad_request);
  EXPECT_TRUE(get_cosignature.line.empty());
}

TEST(KtHttpTest, OtherTargetsAreNotFound) {
  for (const char* target : {"/", "", "/v1/kt", "/v1/kt/", "/v1/kt/checkpoint/",
                             "/v1/kt/checkpoint?x=1", "/v1/kt/entry", "/v1/kt/cosignature/1",
                             "/V1/kt/checkpoint", "/v1/kt/entries/1", "v1/kt/checkpoint"}) {
    for (const bool method : {get, post}) {
      const KtHttpRequest request = parse_kt_http_request(method, target, "");
      EXPECT_EQ(request.route, KtHttpRoute::not_found) << target;
      EXPECT_FALSE(request.error.empty()) << target;
    }
  }
}

TEST(KtHttpTest, EntryIndicesMustBePlainDecimalsBelowTwoToTheSixtyThree) {
  for (const char* bad : {"", "00", "01", "007", "+1", "-1", "-0", " 1", "1 ", "1a", "a", "0x10",
                          "1.0", "1e3", "9223372036854775808",  // 2^63
                          "18446744073709551615",              // 2^64 - 1
                          "18446744073709551616",              // 2^64
                          "99999999999999999999", "123456789012345678901234567890",
                          "1/", "1/2", "1?x", "%31"}) {
    const KtHttpRequest request =
        parse_kt_http_request(get, std::string("/v1/kt/entry/") + bad, "");
    EXPECT_EQ(request.route, KtHttpRoute::bad_request) << '"' << bad << '"';
    EXPECT_EQ(request.index, 0u) << bad;
  }
  EXPECT_EQ(parse_kt_http_request(get, "/v1/kt/entry/9223372036854775806", "").index,
            9223372036854775806u);
}

TEST(KtHttpTest, CosignatureSizesMustBePlainDecimalsBelowTwoToTheSixtyThree) {
  for (const char* bad : {"", "00", "01", "+1", "-1", " 1", "1 ", "1\r", "x", "0x1",
                          "9223372036854775808", "18446744073709551616"}) {
    const KtHttpRequest request = post_cosignature(std::string(bad) + "\n" + cosigned_line + "\n");
    EXPECT_EQ(request.route, KtHttpRoute::bad_request) << '"' << bad << '"';
    EXPECT_TRUE(request.line.empty());
  }
  EXPECT_EQ(post_cosignature("0\n" + cosigned_line + "\n").index, 0u);  // the service refuses size 0
  EXPECT_EQ(post_cosignature("9223372036854775807\n" + cosigned_line + "\n").index,
            9223372036854775807u);
}

TEST(KtHttpTest, CosignatureBodiesHoldExactlyOneTerminatedLine) {
  for (const std::string& bad : {std::string(), std::string("\n"), std::string("1"),
                                 std::string("1\n"), std::string("1\n\n"),
                                 "1\n" + cosigned_line,                        // no final newline
                                 "1\n" + cosigned_line + "\n" + cosigned_line + "\n",   // two lines
                                 "1\n" + cosigned_line + "\n\n",               // a trailing empty line
                                 "1\n\n" + cosigned_line + "\n",               // an empty line first
                                 "1" + cosigned_line + "\n"}) {
    const KtHttpRequest request = post_cosignature(bad);
    EXPECT_EQ(request.route, KtHttpRoute::bad_request) << '"' << bad << '"';
    EXPECT_FALSE(request.error.empty());
    EXPECT_TRUE(request.line.empty());
  }
}

TEST(KtHttpTest, CosignatureLinesAreBoundedAtFourKibibytes) {
  const std::string longest(4096, 'a');
  const KtHttpRequest fits = post_cosignature("1\n" + longest + "\n");
  EXPECT_EQ(fits.route, KtHttpRoute::cosignature);
  EXPECT_EQ(fits.line, longest);
  const KtHttpRequest oversize = post_cosignature("1\n" + longest + "a\n");
  EXPECT_EQ(oversize.route, KtHttpRoute::bad_request);
  EXPECT_TRUE(oversize.line.empty());
}

TEST(KtHttpTest, BodiesOfGetRequestsAreIgnored) {
  EXPECT_EQ(parse_kt_http_request(get, "/v1/kt/checkpoint", "junk\n").route,
            KtHttpRoute::checkpoint);
  EXPECT_EQ(parse_kt_http_request(get, "/v1/kt/entry/3", "junk").index, 3u);
}

}  // namespace
}  // namespace bulwark::server
