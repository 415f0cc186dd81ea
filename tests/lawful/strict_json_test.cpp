// Strict JSON (lawful/strict_json.h): one reading per document.
#include "lawful/strict_json.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::lawful {
namespace {

std::string refusal_of(std::string_view text, std::size_t depth = 4) {
  auto parsed = parse_strict_json(text, depth);
  EXPECT_FALSE(parsed) << text;
  if (parsed) return "parsed";
  EXPECT_EQ(parsed.error().code, Errc::invalid_encoding);
  return parsed.error().context;
}

TEST(StrictJsonTest, AWellFormedDocumentParses) {
  auto parsed = parse_strict_json(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})", 4);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ((*parsed)["b"]["a"], 2);
  EXPECT_EQ((*parsed)["c"][1]["a"], 4);
}

TEST(StrictJsonTest, ADuplicatedKeyIsRefusedAtAnyDepth) {
  EXPECT_NE(refusal_of(R"({"order_id":"a","order_id":"b"})").find("\"order_id\" appears twice"),
            std::string::npos);
  EXPECT_NE(refusal_of(R"({"x":{"from":1,"to":2,"from":3}})").find("\"from\""), std::string::npos);
  EXPECT_NE(refusal_of(R"({"x":[{"k":1},{"k":1,"k":2}]})").find("\"k\""), std::string::npos);
  // The same spelling through an escape is the same key.
  EXPECT_NE(refusal_of(R"({"ab":1,"a\u0062":2})").find("appears twice"), std::string::npos);
}

TEST(StrictJsonTest, TrailingBytesBadUtf8AndDeepNestingAreRefused) {
  refusal_of(R"({"a":1} {"a":2})");
  refusal_of(R"({"a":1},)");
  refusal_of("{\"a\":\"\xc3\x28\"}");
  refusal_of("");
  EXPECT_NE(refusal_of("[[[[[1]]]]]").find("deeper than 4"), std::string::npos);
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(parse_strict_json(R"({"a":"[[[[[[[[\"{{{{{{"})", 1));
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_NE(refusal_of(deep).find("deeper"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::lawful
