// The PSK secret (RFC 9420 §8.4): the official psk_secret vectors for suites 1 and 3
// (0..10 external PSKs each), the other suites reported as skipped, and the order and count
// bindings the chain must have.
#include "protocol/mls/psk.h"

#include <gtest/gtest.h>

#include <vector>

#include "protocol/mls/codec.h"
#include "protocol/mls/vector_suites.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

nlohmann::json psk_cases() {
  return bulwark::testing::load_json(bulwark::testing::shared_vector_path("mls/psk_secret.json"));
}

// PreSharedKeyID for an external PSK: psktype external(1), psk_id<V>, psk_nonce<V>.
Bytes psk_external_id(ByteView psk_id, ByteView psk_nonce) {
  auto encoded = encode_with([&](TlsWriter& writer) {
    writer.u8(1);
    writer.opaque(psk_id);
    writer.opaque(psk_nonce);
  });
  EXPECT_TRUE(encoded);
  return encoded ? *encoded : Bytes{};
}

std::vector<PskInput> psk_inputs(const nlohmann::json& list) {
  std::vector<PskInput> inputs;
  for (const auto& psk : list) {
    inputs.push_back(
        PskInput{psk_external_id(bulwark::testing::hex(psk.at("psk_id").get<std::string>()),
                                 bulwark::testing::hex(psk.at("psk_nonce").get<std::string>())),
                 SecretBytes::copy_of(bulwark::testing::hex(psk.at("psk").get<std::string>()))});
  }
  return inputs;
}

TEST(MlsPskTest, OfficialPskSecretVectorsMatch) {
  int run = 0;
  for (const auto& item : psk_cases()) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    const std::vector<PskInput> inputs = psk_inputs(item.at("psks"));
    SCOPED_TRACE("suite " + std::to_string(id) + ", " + std::to_string(inputs.size()) + " PSKs");
    const auto secret = psk_secret(*suite, inputs);
    ASSERT_TRUE(secret) << secret.error().describe();
    EXPECT_EQ(to_bytes(secret->view()),
              bulwark::testing::hex(item.at("psk_secret").get<std::string>()));
    ++run;
  }
  EXPECT_EQ(run, 22);
}

TEST(MlsPskTest, OfficialPskSecretOtherSuitesAreSkipped) {
  const auto counts = vectors::count_suites(psk_cases());
  EXPECT_EQ(counts.run, 22);
  EXPECT_EQ(counts.skipped, 55);
  GTEST_SKIP() << counts.skipped << " psk_secret cases skipped: " << counts.reasons;
}

TEST(MlsPskTest, NoPsksGiveTheZeroSecretAndOrderMatters) {
  const auto suite = CipherSuite::from_id(1);
  ASSERT_TRUE(suite);
  const auto none = psk_secret(*suite, {});
  ASSERT_TRUE(none);
  EXPECT_EQ(to_bytes(none->view()), Bytes(32, std::byte{0}));

  std::vector<PskInput> two;
  two.push_back(PskInput{psk_external_id(as_bytes("a"), Bytes(32)),
                         SecretBytes::copy_of(Bytes(32, std::byte{1}))});
  two.push_back(PskInput{psk_external_id(as_bytes("b"), Bytes(32)),
                         SecretBytes::copy_of(Bytes(32, std::byte{2}))});
  const auto forward = psk_secret(*suite, two);
  std::swap(two[0], two[1]);
  const auto backward = psk_secret(*suite, two);
  ASSERT_TRUE(forward && backward);
  EXPECT_NE(to_bytes(forward->view()), to_bytes(backward->view()));
  two.pop_back();
  const auto one = psk_secret(*suite, two);
  ASSERT_TRUE(one);
  EXPECT_NE(to_bytes(one->view()), to_bytes(backward->view()));
}

}  // namespace
}  // namespace bulwark::protocol::mls
