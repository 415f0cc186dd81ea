// The order document (lawful/order.h): strict, so that what was signed is what is acted on.
#include "lawful/order.h"

#include <gtest/gtest.h>

#include <string>

#include "support/lawful_order.h"

namespace bulwark::lawful {
namespace {

using nlohmann::json;
using testing::sample_order;

Result<Order> parse_json(const json& document) { return parse_order(as_bytes(document.dump())); }

std::string order_refusal(const json& document) {
  auto parsed = parse_json(document);
  EXPECT_FALSE(parsed) << document.dump();
  if (parsed) return "parsed";
  EXPECT_EQ(parsed.error().code, Errc::invalid_encoding);
  return parsed.error().context;
}

TEST(OrderTest, ASampleOrderReadsAsWritten) {
  json document = sample_order();
  document["targets"].push_back({{"username", "alice.42"}});
  document["categories"].push_back("message_content");
  auto order = parse_json(document);
  ASSERT_TRUE(order) << order.error().describe();
  EXPECT_EQ(order->order_id, "2026-GR-0042");
  EXPECT_EQ(order->authority, "Athens Court of First Instance");
  EXPECT_EQ(order->jurisdiction, "GR");
  ASSERT_EQ(order->targets.size(), 2u);
  EXPECT_EQ(order->targets[0], (Target{Target::Kind::phone_number, "+302101234567"}));
  EXPECT_EQ(order->targets[1], (Target{Target::Kind::username, "alice.42"}));
  EXPECT_EQ(order->categories,
            (std::vector<std::string>{"phone_number", "ip_addresses", "message_content"}));
  EXPECT_EQ(format_utc_time(order->from), "2026-05-01T00:00:00Z");
  EXPECT_EQ(format_utc_time(order->to), "2026-06-01T00:00:00Z");
  EXPECT_EQ(format_utc_time(order->issued_at), "2026-05-30T09:00:00Z");
  EXPECT_EQ(format_utc_time(order->expires_at), "2026-06-30T00:00:00Z");
  EXPECT_EQ(format_utc_time(order->non_disclosure_until), "2026-09-01T00:00:00Z");
}

TEST(OrderTest, EveryFieldIsRequiredAndNoOtherIsAllowed) {
  const json complete = sample_order();
  for (auto member = complete.begin(); member != complete.end(); ++member) {
    const std::string field = member.key();
    json document = complete;
    document.erase(field);
    EXPECT_NE(order_refusal(document).find("\"" + field + "\" is missing"), std::string::npos);
  }
  json extra = sample_order();
  extra["content_please"] = true;
  EXPECT_NE(order_refusal(extra).find("unknown field \"content_please\""), std::string::npos);
  json range = sample_order();
  range["time_range"]["until"] = "2026-06-01T00:00:00Z";
  EXPECT_NE(order_refusal(range).find("unknown field"), std::string::npos);
}

TEST(OrderTest, ADuplicatedKeyIsRefusedEvenWithTheSameValue) {
  std::string text = sample_order().dump();
  text.insert(1, R"("order_id":"2026-GR-0042",)");
  auto parsed = parse_order(as_bytes(text));
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().context.find("appears twice"), std::string::npos);
}

TEST(OrderTest, EachValueMustBeInItsForm) {
  const auto with = [](const char* field, json value) {
    json document = sample_order();
    document[field] = std::move(value);
    return document;
  };
  EXPECT_NE(order_refusal(with("order_id", "")).find("order_id"), std::string::npos);
  EXPECT_NE(order_refusal(with("order_id", "a b")).find("order_id"), std::string::npos);
  EXPECT_NE(order_refusal(with("order_id", 42)).find("must be a string"), std::string::npos);
  EXPECT_NE(order_refusal(with("authority", "Court\nForged line")).find("authority"),
            std::string::npos);
  EXPECT_NE(order_refusal(with("jurisdiction", "Greece")).find("ISO 3166"), std::string::npos);
  EXPECT_NE(order_refusal(with("jurisdiction", "gr")).find("ISO 3166"), std::string::npos);
  EXPECT_TRUE(parse_json(with("jurisdiction", "DE-BY")));
  EXPECT_NE(order_refusal(with("legal_basis", std::string(2001, 'x'))).find("legal_basis"),
            std::string::npos);
  EXPECT_NE(order_refusal(with("targets", json::array())).find("1 to 1000"), std::string::npos);
  EXPECT_NE(
      order_refusal(with("targets", json::array({{{"phone_number", "2101234567"}}}))).find("E.164"),
      std::string::npos);
  EXPECT_NE(
      order_refusal(with("targets", json::array({{{"email", "a@example.org"}}}))).find("targets"),
      std::string::npos);
  EXPECT_NE(
      order_refusal(
          with("targets", json::array({{{"username", "a"}, {"phone_number", "+302101234567"}}})))
          .find("targets"),
      std::string::npos);
  EXPECT_NE(
      order_refusal(with("targets", json::array({{{"username", "bob"}}, {{"username", "bob"}}})))
          .find("same account twice"),
      std::string::npos);
  EXPECT_NE(order_refusal(with("categories", json::array({"phone_number", "phone_number"})))
                .find("twice"),
            std::string::npos);
  EXPECT_NE(order_refusal(with("categories", json::array({"Phone"}))).find("categories"),
            std::string::npos);
  EXPECT_NE(order_refusal(with("issued_at", "2026-05-30")).find("YYYY-MM-DD"), std::string::npos);
}

TEST(OrderTest, TimesMustBeConsistent) {
  json backwards = sample_order();
  backwards["time_range"]["from"] = "2026-06-02T00:00:00Z";
  EXPECT_NE(order_refusal(backwards).find("time_range"), std::string::npos);
  json expires_first = sample_order();
  expires_first["expires_at"] = "2026-05-30T09:00:00Z";
  EXPECT_NE(order_refusal(expires_first).find("after issued_at"), std::string::npos);
  json gag_before = sample_order();
  gag_before["non_disclosure_until"] = "2026-05-01T00:00:00Z";
  EXPECT_NE(order_refusal(gag_before).find("non_disclosure_until"), std::string::npos);
}

TEST(OrderTest, AnOrderOverItsSizeLimitIsRefusedBeforeParsing) {
  json document = sample_order();
  document["legal_basis"] = std::string(max_order_bytes, 'x');
  EXPECT_NE(order_refusal(document).find("256 KiB"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::lawful
