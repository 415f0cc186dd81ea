// MLS groups' delivery service (docs/GROUPS.md "Delivery service (server)"): group creation,
// commits ordered per epoch by the epoch token, messages, and the fan-out into the devices'
// queues and pushes.
#include "api/limits.h"
#include "crypto/hash.h"
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;
using harness::TestDevice;
using harness::text_of;

const std::string gs_group(16, 'G');

// A device address nobody registered (or not yet): TestDevice's key is not needed to name it.
TestDevice gs_address(const store::AccountId& account, std::uint32_t device) {
  TestDevice out;
  out.account = account;
  out.device = DeviceId(device);
  return out;
}

// Epoch e's token, and its SHA-256 as the server stores it.
std::string gs_token(std::uint64_t epoch) {
  return std::string(32, static_cast<char>('0' + epoch));
}
std::string gs_hash(std::uint64_t epoch) {
  const auto digest = crypto::sha256(as_bytes(gs_token(epoch)));
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

void gs_add(google::protobuf::RepeatedPtrField<api::DeviceAddress>& list, const TestDevice& to) {
  api::DeviceAddress* address = list.Add();
  address->set_account_id(text_of(to.account));
  address->set_device_id(to.device.value());
}

api::Request gs_create(const std::string& id = gs_group) {
  api::Request request;
  request.mutable_create_group()->set_group_id(id);
  request.mutable_create_group()->set_epoch_token_hash(gs_hash(0));
  return request;
}

api::Request gs_commit(std::uint64_t epoch, const std::string& commit,
                       const std::vector<const TestDevice*>& to,
                       const std::vector<const TestDevice*>& welcomed = {},
                       std::uint64_t token_epoch = ~std::uint64_t{0}) {
  api::Request request;
  auto* in = request.mutable_send_group_commit();
  in->set_group_id(gs_group);
  in->set_epoch(epoch);
  in->set_epoch_token(gs_token(token_epoch == ~std::uint64_t{0} ? epoch : token_epoch));
  in->set_next_epoch_token_hash(gs_hash(epoch + 1));
  in->set_commit(commit);
  for (const TestDevice* device : to) gs_add(*in->mutable_recipients(), *device);
  if (!welcomed.empty()) in->set_welcome("welcome:" + commit);
  for (const TestDevice* device : welcomed) gs_add(*in->mutable_welcome_recipients(), *device);
  return request;
}

api::Request gs_message(std::uint64_t epoch, const std::string& text,
                        const std::vector<const TestDevice*>& to,
                        api::EnvelopeType type = api::MLS_APPLICATION) {
  api::Request request;
  auto* in = request.mutable_send_group_message();
  in->set_group_id(gs_group);
  in->set_epoch(epoch);
  in->set_epoch_token(gs_token(epoch));
  in->set_type(type);
  in->set_message(text);
  for (const TestDevice* device : to) gs_add(*in->mutable_recipients(), *device);
  return request;
}

std::vector<api::Envelope> gs_envelopes(harness::FakeConnection& connection) {
  std::vector<api::Envelope> out;
  for (const api::Push& push : connection.take_pushes())
    if (push.has_envelope()) out.push_back(push.envelope());
  return out;
}

// Alice (two devices), Bob and Carol, each online; Alice's first device created the group.
struct GsWorld {
  explicit GsWorld(ServerConfig config = {}) : h(std::move(config)) {
    alice = h.add_account("+12015550123");
    alice2 = h.add_device(alice);
    bob = h.add_account("+12015550124");
    carol = h.add_account("+12015550125");
    a = h.authenticated(alice);
    a2 = h.authenticated(alice2);
    b = h.authenticated(bob);
    c = h.authenticated(carol);
    for (auto* connection : {a.get(), a2.get(), b.get(), c.get()}) connection->take_pushes();
    EXPECT_EQ(h.call(*a, gs_create()).status(), api::OK);
  }
  ServerHarness h;
  TestDevice alice, alice2, bob, carol;
  std::shared_ptr<harness::FakeConnection> a, a2, b, c;
};

TEST(GroupsTest, ATakenGroupIdIsAConflictAndBadIdsAreRefused) {
  GsWorld w;
  EXPECT_EQ(w.h.call(*w.b, gs_create()).status(), api::CONFLICT);
  EXPECT_EQ(w.h.call(*w.b, gs_create(std::string(15, 'x'))).status(), api::BAD_REQUEST);
  EXPECT_EQ(w.h.call(*w.b, gs_create(std::string(33, 'x'))).status(), api::BAD_REQUEST);
  EXPECT_EQ(w.h.call(*w.b, gs_create(std::string(32, 'x'))).status(), api::OK);
  api::Request short_hash = gs_create(std::string(20, 'y'));
  short_hash.mutable_create_group()->set_epoch_token_hash("short");
  EXPECT_EQ(w.h.call(*w.b, short_hash).status(), api::BAD_REQUEST);
}

TEST(GroupsTest, ACommitAdvancesTheEpochAndReachesEveryNamedDevice) {
  GsWorld w;
  api::Response response =
      w.h.call(*w.a, gs_commit(0, "commit-0", {&w.alice2, &w.bob}, {&w.carol}));
  ASSERT_EQ(response.status(), api::OK) << response.message();
  EXPECT_EQ(response.group_commit().epoch(), 1u);
  EXPECT_EQ(response.group_commit().skipped_recipients_size(), 0);
  EXPECT_GT(response.group_commit().server_timestamp_ms(), 0u);
  const auto to_alice2 = gs_envelopes(*w.a2);
  const auto to_bob = gs_envelopes(*w.b);
  const auto to_carol = gs_envelopes(*w.c);
  ASSERT_EQ(to_alice2.size(), 1u);
  ASSERT_EQ(to_bob.size(), 1u);
  ASSERT_EQ(to_carol.size(), 1u);
  EXPECT_EQ(to_bob[0].type(), api::MLS_COMMIT);
  EXPECT_EQ(to_bob[0].content(), "commit-0");
  EXPECT_EQ(to_bob[0].group_id(), gs_group);
  EXPECT_EQ(to_bob[0].group_epoch(), 0u);
  EXPECT_EQ(to_bob[0].source_account(), text_of(w.alice.account));
  EXPECT_EQ(to_bob[0].source_device(), 1u);
  EXPECT_EQ(to_bob[0].id(), to_alice2[0].id()) << "one delivery, one id for every copy";
  EXPECT_EQ(to_carol[0].type(), api::MLS_WELCOME);
  EXPECT_EQ(to_carol[0].content(), "welcome:commit-0");
  EXPECT_EQ(gs_envelopes(*w.a).size(), 0u);
  // The next epoch's token now rules.
  EXPECT_EQ(w.h.call(*w.b, gs_message(1, "hi", {&w.alice, &w.alice2, &w.carol})).status(), api::OK);
  EXPECT_EQ(gs_envelopes(*w.c).at(0).group_epoch(), 1u);
}

TEST(GroupsTest, OfTwoCommitsInOneEpochTheLoserGetsConflictWithTheEpoch) {
  GsWorld w;
  ASSERT_EQ(w.h.call(*w.a, gs_commit(0, "first", {&w.bob})).status(), api::OK);
  api::Response loser = w.h.call(*w.b, gs_commit(0, "second", {&w.alice}));
  EXPECT_EQ(loser.status(), api::CONFLICT);
  EXPECT_EQ(loser.group_commit().epoch(), 1u);
  EXPECT_EQ(w.h.queue_length(w.alice), 0u);
  // A replay of the winner is stale as well.
  EXPECT_EQ(w.h.call(*w.a, gs_commit(0, "first", {&w.bob})).status(), api::CONFLICT);
  EXPECT_EQ(w.h.queue_length(w.bob), 1u);
}

TEST(GroupsTest, CommitsArrivingTogetherHaveExactlyOneWinner) {
  GsWorld w;
  const std::vector<std::pair<harness::FakeConnection*, const TestDevice*>> senders{
      {w.a.get(), &w.bob}, {w.b.get(), &w.carol}, {w.c.get(), &w.alice}};
  for (std::size_t i = 0; i < senders.size(); ++i) {
    api::Frame frame;
    *frame.mutable_request() = gs_commit(0, "commit-" + std::to_string(i), {senders[i].second});
    frame.mutable_request()->set_id(500 + i);
    senders[i].first->session().on_message(frame.SerializeAsString());
  }
  w.h.settle();
  int won = 0;
  for (std::size_t i = 0; i < senders.size(); ++i) {
    auto response = senders[i].first->take_response(500 + i);
    ASSERT_TRUE(response.has_value());
    if (response->status() == api::OK)
      ++won;
    else
      EXPECT_EQ(response->status(), api::CONFLICT);
    EXPECT_EQ(response->group_commit().epoch(), 1u);
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(w.h.queue_length(w.alice) + w.h.queue_length(w.bob) + w.h.queue_length(w.carol), 1u);
}

TEST(GroupsTest, AWrongTokenIsForbiddenAndChangesNothing) {
  GsWorld w;
  EXPECT_EQ(w.h.call(*w.b, gs_commit(0, "forged", {&w.alice}, {}, 5)).status(), api::FORBIDDEN);
  api::Request forged = gs_message(0, "forged", {&w.alice});
  forged.mutable_send_group_message()->set_epoch_token(gs_token(5));
  EXPECT_EQ(w.h.call(*w.b, forged).status(), api::FORBIDDEN);
  EXPECT_EQ(w.h.queue_length(w.alice), 0u);
  api::Response real = w.h.call(*w.a, gs_commit(0, "real", {&w.bob}));
  EXPECT_EQ(real.status(), api::OK);
  EXPECT_EQ(real.group_commit().epoch(), 1u);
}

TEST(GroupsTest, AMessageFromAnOldEpochIsAConflictWithTheCurrentEpoch) {
  GsWorld w;
  ASSERT_EQ(w.h.call(*w.a, gs_commit(0, "c0", {&w.bob})).status(), api::OK);
  api::Response stale = w.h.call(*w.b, gs_message(0, "late", {&w.alice}));
  EXPECT_EQ(stale.status(), api::CONFLICT);
  EXPECT_EQ(stale.group_message().epoch(), 1u);
  api::Response sent = w.h.call(*w.b, gs_message(1, "proposal", {&w.alice}, api::MLS_PROPOSAL));
  ASSERT_EQ(sent.status(), api::OK) << sent.message();
  EXPECT_EQ(sent.group_message().epoch(), 1u);
  const auto got = gs_envelopes(*w.a);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].type(), api::MLS_PROPOSAL);
  EXPECT_EQ(got[0].content(), "proposal");
}

TEST(GroupsTest, DepartedRecipientsAreSkippedAndListed) {
  GsWorld w;
  const TestDevice gone_device = gs_address(w.bob.account, 9);
  store::AccountId nobody;
  nobody.bytes.fill(std::byte{0x55});
  const TestDevice gone_account = gs_address(nobody, 1);
  api::Response response = w.h.call(
      *w.a, gs_commit(0, "c0", {&w.bob, &gone_device, &gone_account}, {&w.carol, &gone_device}));
  ASSERT_EQ(response.status(), api::OK) << response.message();
  const auto& skipped = response.group_commit().skipped_recipients();
  ASSERT_EQ(skipped.size(), 2);
  EXPECT_EQ(skipped[0].device_id(), 9u);
  EXPECT_EQ(skipped[1].account_id(), text_of(gone_account.account));
  EXPECT_EQ(w.h.queue_length(w.bob), 1u);
  EXPECT_EQ(w.h.queue_length(w.carol), 1u);
}

TEST(GroupsTest, AnOfflineDeviceGetsItsGroupEnvelopesFromTheQueue) {
  GsWorld w;
  TestDevice bob2 = w.h.add_device(w.bob);
  ASSERT_EQ(w.h.call(*w.a, gs_commit(0, "c0", {&bob2})).status(), api::OK);
  ASSERT_EQ(w.h.call(*w.a, gs_message(1, "m1", {&bob2})).status(), api::OK);
  auto b2 = w.h.authenticated(bob2);
  const auto got = gs_envelopes(*b2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].type(), api::MLS_COMMIT);
  EXPECT_EQ(got[0].group_id(), gs_group);
  EXPECT_EQ(got[0].group_epoch(), 0u);
  EXPECT_EQ(got[1].type(), api::MLS_APPLICATION);
  EXPECT_EQ(got[1].content(), "m1");
  EXPECT_EQ(got[1].group_epoch(), 1u);
  api::Frame ack;
  for (const auto& envelope : got) ack.mutable_ack()->add_envelope_ids(envelope.id());
  w.h.send_frame(*b2, ack);
  EXPECT_EQ(w.h.queue_length(bob2), 0u);
}

TEST(GroupsTest, MalformedSendsAreRefusedBeforeTheStore) {
  GsWorld w;
  auto status = [&w](const api::Request& request) { return w.h.call(*w.a, request).status(); };
  EXPECT_EQ(status(gs_commit(0, "", {&w.bob})), api::TOO_LARGE);
  EXPECT_EQ(status(gs_commit(0, std::string(api::max_group_commit_bytes + 1, 'c'), {&w.bob})),
            api::TOO_LARGE);
  EXPECT_EQ(status(gs_message(0, std::string(api::max_group_message_bytes + 1, 'm'), {&w.bob})),
            api::TOO_LARGE);
  EXPECT_EQ(status(gs_message(0, "m", {&w.bob}, api::CIPHERTEXT)), api::BAD_REQUEST);
  EXPECT_EQ(status(gs_commit(0, "c", {&w.bob, &w.bob})), api::BAD_REQUEST);
  EXPECT_EQ(status(gs_commit(0, "c", {&w.alice})), api::BAD_REQUEST) << "the sender itself";
  api::Request welcome_alone = gs_commit(0, "c", {&w.bob});
  welcome_alone.mutable_send_group_commit()->set_welcome("welcome");
  EXPECT_EQ(status(welcome_alone), api::BAD_REQUEST);
  api::Request short_token = gs_message(0, "m", {&w.bob});
  short_token.mutable_send_group_message()->set_epoch_token("short");
  EXPECT_EQ(status(short_token), api::BAD_REQUEST);
  api::Request crowd = gs_message(0, "m", {});
  for (std::uint32_t i = 0; i <= api::max_group_recipients; ++i) {
    gs_add(*crowd.mutable_send_group_message()->mutable_recipients(),
           gs_address(w.bob.account, i + 2));
  }
  EXPECT_EQ(status(crowd), api::BAD_REQUEST);
  api::Request unknown = gs_message(0, "m", {&w.bob});
  unknown.mutable_send_group_message()->set_group_id(std::string(16, 'U'));
  EXPECT_EQ(status(unknown), api::NOT_FOUND);
  EXPECT_EQ(w.h.queue_length(w.bob), 0u);
  EXPECT_EQ(w.h.call(*w.a, gs_commit(0, "c", {&w.bob})).group_commit().epoch(), 1u);
}

TEST(GroupsTest, SendsCostMoreTheMoreDevicesTheyReach) {
  ServerConfig config;
  config.sends_per_account = {3, std::chrono::hours(1)};
  GsWorld w(config);  // the group's creation took one token
  api::Request wide = gs_message(0, "m", {&w.bob});
  for (std::uint32_t i = 0; i < 128; ++i) {
    gs_add(*wide.mutable_send_group_message()->mutable_recipients(),
           gs_address(w.carol.account, i + 2));
  }
  api::Response limited = w.h.call(*w.a, wide);  // 129 devices: 3 tokens
  EXPECT_EQ(limited.status(), api::RATE_LIMITED);
  EXPECT_GT(limited.retry_after_ms(), 0u);
  EXPECT_EQ(w.h.call(*w.a, gs_message(0, "m", {&w.bob})).status(), api::OK);
}

// Pushes waiting for the franking stamper count against the write queue's bound: a backlog of
// large commits goes out a bound's worth at a time, never all at once.
TEST(GroupsTest, LargeQueuedEnvelopesArePushedWithinTheWriteQueueBound) {
  ServerConfig config;
  config.max_outgoing_queue_bytes = 64 * 1024;  // pushes pause past 32 KiB
  GsWorld w(config);
  TestDevice bob2 = w.h.add_device(w.bob);
  for (std::uint64_t epoch = 0; epoch < 3; ++epoch) {
    const std::string commit(20 * 1024, static_cast<char>('a' + epoch));
    ASSERT_EQ(w.h.call(*w.a, gs_commit(epoch, commit, {&bob2})).status(), api::OK);
  }
  auto b2 = w.h.authenticated(bob2);
  auto first = gs_envelopes(*b2);
  EXPECT_EQ(first.size(), 2u);
  api::Frame ack;
  for (const auto& envelope : first) ack.mutable_ack()->add_envelope_ids(envelope.id());
  w.h.send_frame(*b2, ack);
  auto rest = gs_envelopes(*b2);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].group_epoch(), 2u);
}

}  // namespace
}  // namespace bulwark::server
