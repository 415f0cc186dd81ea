// Message franking through the server's request handling (docs/FRANKING.md): sends are stamped
// in batches, stamps reach the recipient with the envelope, and reports are verified before
// anything is queued.
#include "franking/report.h"
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;
using harness::TestDevice;
using harness::text_of;

api::Frame send_frame(std::uint64_t id, const TestDevice& to, const std::string& content,
                      const std::string& tag) {
  api::Frame frame;
  api::Request* request = frame.mutable_request();
  request->set_id(id);
  request->mutable_send()->set_recipient(text_of(to.account));
  request->mutable_send()->set_franking_tag(tag);
  auto* envelope = request->mutable_send()->add_envelopes();
  envelope->set_device_id(1);
  envelope->set_registration_id(7);
  envelope->set_type(api::CIPHERTEXT);
  envelope->set_content(content);
  return frame;
}

std::vector<api::Envelope> envelopes(harness::FakeConnection& connection) {
  std::vector<api::Envelope> out;
  for (const auto& push : connection.take_pushes())
    if (push.has_envelope()) out.push_back(push.envelope());
  return out;
}

franking::FrankingTag tag_of(const std::string& bytes) {
  franking::FrankingTag tag{};
  std::memcpy(tag.data(), bytes.data(), tag.size());
  return tag;
}

// A message as a real sender commits to it: the franking key and opening, and its tag.
struct Committed {
  franking::FrankingKey key{};
  Bytes sender, conversation, message_id, content;
  franking::FrankingTag previous{}, tag{};
};

Committed commit(Rng& rng, const TestDevice& from, const TestDevice& to, std::string_view text,
                 const franking::FrankingTag& previous = {}) {
  Committed out;
  out.key = franking::new_franking_key(rng);
  out.sender = to_bytes(from.account.bytes);
  out.conversation = franking::one_to_one_conversation(from.account.bytes, to.account.bytes);
  out.message_id = Bytes(16, std::byte{0x42});
  out.content = to_bytes(as_bytes(text));
  out.previous = previous;
  out.tag = franking::franking_tag(out.key, {out.sender, out.conversation, out.message_id, out.content,
                                             out.previous}).value();
  return out;
}

std::string tag_text(const franking::FrankingTag& tag) {
  return std::string(reinterpret_cast<const char*>(tag.data()), tag.size());
}

franking::ReportedMessage reported(const Committed& message, const api::Envelope& envelope) {
  franking::ReportedMessage out;
  out.sender = message.sender;
  out.conversation = message.conversation;
  out.message_id = message.message_id;
  out.content = message.content;
  out.key = message.key;
  out.previous = message.previous;
  out.tag = message.tag;
  out.stamp = franking::decode_stamp(as_bytes(envelope.franking_stamp())).value();
  return out;
}

api::Request report_request(const franking::Report& report, api::ReportCategory category = api::HATE) {
  api::Request request;
  const Bytes encoded = franking::encode_report(report).value();
  request.mutable_report_message()->set_report(reinterpret_cast<const char*>(encoded.data()), encoded.size());
  request.mutable_report_message()->set_category(category);
  return request;
}

TEST(FrankingSendTest, SendsReadTogetherShareOneSignedBatchAndEachStampIsForItsMessage) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto carol = h.add_account("+12015550125");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  auto c = h.authenticated(carol);
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  const std::string tag_a(32, 'a'), tag_c(32, 'c');
  // Both sends are stored before the I/O loop runs their completions, so both pushes reach the
  // stamper before its flush: one batch.
  a->session().on_message(send_frame(1, bob, "from-alice", tag_a).SerializeAsString());
  c->session().on_message(send_frame(1, bob, "from-carol", tag_c).SerializeAsString());
  h.wait_until_store_idle();
  h.settle();
  ASSERT_EQ(a->take_response(1).value().status(), api::OK);
  ASSERT_EQ(c->take_response(1).value().status(), api::OK);

  auto received = envelopes(*b);
  ASSERT_EQ(received.size(), 2u);
  const crypto::Ed25519PublicKey server_key = h.franking_->public_key();
  std::vector<franking::Stamp> stamps;
  for (const api::Envelope& envelope : received) {
    auto stamp = franking::decode_stamp(as_bytes(envelope.franking_stamp()));
    ASSERT_TRUE(stamp.has_value());
    EXPECT_TRUE(franking::verify_stamp_signature(server_key, *stamp).has_value());
    EXPECT_EQ(stamp->server_time_ms, static_cast<std::int64_t>(envelope.server_timestamp_ms()));
    const TestDevice& sender = envelope.content() == "from-alice" ? alice : carol;
    EXPECT_EQ(envelope.franking_tag(), envelope.content() == "from-alice" ? tag_a : tag_c);
    EXPECT_TRUE(h.franking_->verify(*stamp, tag_of(envelope.franking_tag()), sender.account.bytes,
                                    bob.account.bytes).has_value());
    // Not for the other sender, nor for another recipient.
    const TestDevice& other = envelope.content() == "from-alice" ? carol : alice;
    EXPECT_FALSE(h.franking_->verify(*stamp, tag_of(envelope.franking_tag()), other.account.bytes,
                                     bob.account.bytes).has_value());
    EXPECT_FALSE(h.franking_->verify(*stamp, tag_of(envelope.franking_tag()), sender.account.bytes,
                                     other.account.bytes).has_value());
    stamps.push_back(*stamp);
  }
  EXPECT_EQ(stamps[0].signature, stamps[1].signature) << "one signature for the batch";
  EXPECT_NE(stamps[0].index, stamps[1].index);
  // The operator sees it too: two stamps, one signed batch.
  EXPECT_EQ(h.metrics_.franking_stamps.load(), 2u);
  EXPECT_EQ(h.metrics_.franking_stamp_batches.load(), 1u);
}

TEST(FrankingSendTest, AStampWaitsInTheQueueForAnOfflineDevice) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  a->session().on_message(send_frame(1, bob, "queued", std::string(32, 't')).SerializeAsString());
  h.settle();
  ASSERT_EQ(a->take_response(1).value().status(), api::OK);
  auto b = h.authenticated(bob);
  auto received = envelopes(*b);
  ASSERT_EQ(received.size(), 1u);
  auto stamp = franking::decode_stamp(as_bytes(received[0].franking_stamp()));
  ASSERT_TRUE(stamp.has_value());
  EXPECT_TRUE(h.franking_->verify(*stamp, tag_of(std::string(32, 't')), alice.account.bytes,
                                  bob.account.bytes).has_value());
}

TEST(FrankingSendTest, AnUnfrankedSendCarriesNoStampAndABadTagIsRefused) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  auto b = h.authenticated(bob);
  (void)b->take_pushes();
  a->session().on_message(send_frame(1, bob, "plain", "").SerializeAsString());
  a->session().on_message(send_frame(2, bob, "short", std::string(31, 'x')).SerializeAsString());
  h.settle();
  EXPECT_EQ(a->take_response(1).value().status(), api::OK);
  auto refused = a->take_response(2).value();
  EXPECT_EQ(refused.status(), api::BAD_REQUEST);
  EXPECT_NE(refused.message().find("franking tag"), std::string::npos);
  auto received = envelopes(*b);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0].franking_tag().empty());
  EXPECT_TRUE(received[0].franking_stamp().empty());
}

class FrankingReportHandlingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice = h.add_account("+12015550123");
    bob = h.add_account("+12015550124");
    mallory = h.add_account("+12015550125");
    a = h.authenticated(alice);
    b = h.authenticated(bob);
    m = h.authenticated(mallory);
    (void)b->take_pushes();
    first = commit(rng, alice, bob, "you will regret this");
    second = commit(rng, alice, bob, "I know where you live", first.tag);
    ASSERT_EQ(h.call(*a, send_frame(0, bob, "c1", tag_text(first.tag)).request()).status(), api::OK);
    ASSERT_EQ(h.call(*a, send_frame(0, bob, "c2", tag_text(second.tag)).request()).status(), api::OK);
    received = envelopes(*b);
    ASSERT_EQ(received.size(), 2u);
  }
  franking::Report genuine() {
    franking::Report report;
    report.messages = {reported(first, received[0]), reported(second, received[1])};
    return report;
  }

  ServerHarness h;
  bulwark::testing::SeededRng rng{7};
  TestDevice alice, bob, mallory;
  std::shared_ptr<harness::FakeConnection> a, b, m;
  Committed first, second;
  std::vector<api::Envelope> received;
};

TEST_F(FrankingReportHandlingTest, AGenuineReportWithContextOpensACaseWithOnlyTheRevealedTexts) {
  auto response = h.call(*b, report_request(genuine()));
  ASSERT_EQ(response.status(), api::OK) << response.message();
  EXPECT_EQ(h.metrics_.message_reports_verified.load(), 1u);
  EXPECT_EQ(h.metrics_.message_reports_forged.load(), 0u);
  const std::uint64_t case_id = response.report_message().case_id();
  ASSERT_GT(case_id, 0u);
  h.with_store([&](store::Store& store) {
    auto found = store.moderation_case(case_id);
    ASSERT_TRUE(found && *found);
    const store::ModerationCase& opened = **found;
    EXPECT_EQ(opened.target, store::CaseTarget::message);
    EXPECT_EQ(opened.account, alice.account) << "the proven sender is the affected account";
    const std::string evidence(reinterpret_cast<const char*>(opened.evidence.data()), opened.evidence.size());
    EXPECT_NE(evidence.find("you will regret this"), std::string::npos) << evidence;
    EXPECT_NE(evidence.find("I know where you live"), std::string::npos) << evidence;
    EXPECT_LT(evidence.find("you will regret this"), evidence.find("I know where you live"));
  });
  // Reported again (a retry, another device): the same case, not a second one in the queue.
  auto again = h.call(*b, report_request(genuine()));
  ASSERT_EQ(again.status(), api::OK) << again.message();
  EXPECT_EQ(again.report_message().case_id(), case_id);
}

TEST_F(FrankingReportHandlingTest, AlteredTextIsRefusedAndCounted) {
  franking::Report report = genuine();
  report.messages[1].content = to_bytes(as_bytes("I know where you park"));
  auto response = h.call(*b, report_request(report));
  EXPECT_EQ(response.status(), api::REPORT_REFUSED);
  EXPECT_EQ(h.metrics_.message_reports_forged.load(), 1u);
  EXPECT_EQ(h.metrics_.message_reports_verified.load(), 0u);
}

TEST_F(FrankingReportHandlingTest, AnotherSenderClaimedIsRefused) {
  franking::Report report = genuine();
  report.messages.erase(report.messages.begin());
  report.messages[0].sender = to_bytes(mallory.account.bytes);
  report.messages[0].conversation = franking::one_to_one_conversation(mallory.account.bytes, bob.account.bytes);
  EXPECT_EQ(h.call(*b, report_request(report)).status(), api::REPORT_REFUSED);
  EXPECT_EQ(h.metrics_.message_reports_forged.load(), 1u);
}

TEST_F(FrankingReportHandlingTest, AReportByAnotherRecipientIsRefused) {
  // Mallory got hold of Bob's openings and stamps: the stamps name Bob as the recipient.
  EXPECT_EQ(h.call(*m, report_request(genuine())).status(), api::REPORT_REFUSED);
  EXPECT_EQ(h.metrics_.message_reports_forged.load(), 1u);
}

TEST_F(FrankingReportHandlingTest, ContextOutOfOrderIsRefused) {
  franking::Report report = genuine();
  std::swap(report.messages[0], report.messages[1]);
  EXPECT_EQ(h.call(*b, report_request(report)).status(), api::REPORT_REFUSED);
}

TEST_F(FrankingReportHandlingTest, AStampFromADestroyedKeyIsRefusedAsUnprovable) {
  // Past the reportable window the stamping key is destroyed (FrankingKeys::rotate).
  h.clock_.advance(std::chrono::hours(24 * 40));
  ASSERT_TRUE(h.franking_->rotate(h.context_->now_ms(), h.rng_).has_value());
  auto response = h.call(*b, report_request(genuine()));
  EXPECT_EQ(response.status(), api::REPORT_REFUSED);
  EXPECT_NE(response.message().find("reportable window"), std::string::npos);
  EXPECT_EQ(h.metrics_.message_reports_expired.load(), 1u);
}

TEST_F(FrankingReportHandlingTest, MalformedReportsAndBadCategoriesGetClearErrors) {
  api::Request garbage;
  garbage.mutable_report_message()->set_report("not a report");
  garbage.mutable_report_message()->set_category(api::SPAM);
  auto response = h.call(*b, garbage);
  EXPECT_EQ(response.status(), api::BAD_REQUEST);
  EXPECT_EQ(h.metrics_.message_reports_malformed.load(), 1u);
  auto bad_category = h.call(*b, report_request(genuine(), api::CATEGORY_UNSPECIFIED));
  EXPECT_EQ(bad_category.status(), api::BAD_REQUEST);
  EXPECT_NE(bad_category.message().find("category"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::server
