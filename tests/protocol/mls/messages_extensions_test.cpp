// The bodies of the RFC's own extension types: those in messages.json's GroupInfos
// (required_capabilities in the GroupContext, external_pub and ratchet_tree beside it) decode
// and re-encode exactly, and hand-built ones of the other types round-trip.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "protocol/mls/messages/messages.h"
#include "protocol/mls/support/messages_builders.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

using message_builders::expect_round_trip;
using message_builders::filled;

// Decodes the body of `e` with `from`, re-wraps it with make(), and expects the same Extension.
template <class From, class Make>
void extensions_expect_same(const Extension& e, From from, Make make) {
  const auto body = from(e);
  ASSERT_TRUE(body) << body.error().describe();
  const auto again = make(*body);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, e);
}

TEST(MlsMessagesExtensionsTest, GroupInfoExtensionsOfMessagesJsonRoundTrip) {
  const auto cases =
      bulwark::testing::load_json(bulwark::testing::shared_vector_path("mls/messages.json"));
  std::size_t seen = 0;
  for (const auto& item : cases) {
    const auto message = deserialize_mls_message(
        bulwark::testing::hex(item.at("mls_group_info").get<std::string>()));
    ASSERT_TRUE(message);
    const auto& info = std::get<GroupInfo>(message->body);
    for (const auto& e : info.group_context.extensions) {
      if (e.extension_type != ExtensionType::required_capabilities) continue;
      extensions_expect_same(e, required_capabilities_from,
                             [](const auto& v) { return make_extension(v); });
      ++seen;
    }
    const Extension* pub = find_extension(info.extensions, ExtensionType::external_pub);
    const Extension* tree = find_extension(info.extensions, ExtensionType::ratchet_tree);
    ASSERT_TRUE(pub && tree);
    extensions_expect_same(*pub, external_pub_from,
                           [](const auto& v) { return make_extension(v); });
    extensions_expect_same(*tree, ratchet_tree_from,
                           [](const auto& v) { return ratchet_tree_extension(v); });
    seen += 2;
  }
  EXPECT_EQ(seen, 900u);
}

TEST(MlsMessagesExtensionsTest, HandBuiltBodiesRoundTrip) {
  ExternalSenders senders;
  senders.senders.push_back(ExternalSender{filled(32, 1), basic_credential(filled(3, 2))});
  Credential x509;
  x509.credential_type = CredentialType::x509;
  x509.certificates = {Certificate{filled(4, 3)}};
  senders.senders.push_back(ExternalSender{filled(65, 4), x509});
  expect_round_trip(senders, decode_external_senders);
  const auto e = make_extension(senders);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->extension_type, ExtensionType::external_senders);
  extensions_expect_same(*e, external_senders_from,
                         [](const auto& v) { return make_extension(v); });

  const auto id = make_extension(ApplicationId{filled(5, 5)});
  ASSERT_TRUE(id);
  EXPECT_EQ(to_hex(id->extension_data), "050505050505");
  extensions_expect_same(*id, application_id_from, [](const auto& v) { return make_extension(v); });

  const RequiredCapabilities required{
      {static_cast<ExtensionType>(0xff00)}, {ProposalType::reinit}, {CredentialType::x509}};
  expect_round_trip(required, decode_required_capabilities);
}

TEST(MlsMessagesExtensionsTest, BodiesAreReadOnlyFromTheirOwnType) {
  const auto id = make_extension(ApplicationId{filled(1, 1)});
  ASSERT_TRUE(id);
  const auto wrong = external_pub_from(*id);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::invalid_argument);
  EXPECT_FALSE(ratchet_tree_from(*id));
  // Trailing bytes after a body are refused.
  Extension longer = *id;
  longer.extension_data.push_back(std::byte{0});
  EXPECT_FALSE(application_id_from(longer));
}

}  // namespace
}  // namespace bulwark::protocol::mls
