// The MLS key schedule: the official key-schedule vectors (both implemented suites, five
// chained epochs each, every secret, the exporter and external_pub), the same epochs entered
// from the joiner_secret as a new member does, and the input checks.
#include "protocol/mls/key_schedule.h"

#include <gtest/gtest.h>

#include "protocol/mls/codec.h"
#include "protocol/mls/vector_suites.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

Bytes schedule_hex(const nlohmann::json& value) {
  return bulwark::testing::hex(value.get<std::string>());
}

nlohmann::json schedule_cases() {
  return bulwark::testing::load_json(bulwark::testing::shared_vector_path("mls/key-schedule.json"));
}

// GroupContext (RFC 9420 §8.1) with no extensions:
//   struct { ProtocolVersion version = mls10; CipherSuite cipher_suite; opaque group_id<V>;
//            uint64 epoch; opaque tree_hash<V>; opaque confirmed_transcript_hash<V>;
//            Extension extensions<V>; } GroupContext;
Bytes schedule_group_context(std::uint16_t suite, ByteView group_id, std::uint64_t epoch,
                             ByteView tree_hash, ByteView confirmed_transcript_hash) {
  auto encoded = encode_with([&](TlsWriter& writer) {
    writer.u16(1);
    writer.u16(suite);
    writer.opaque(group_id);
    writer.u64(epoch);
    writer.opaque(tree_hash);
    writer.opaque(confirmed_transcript_hash);
    writer.vector([](TlsWriter&) {});
  });
  EXPECT_TRUE(encoded);
  return encoded ? *encoded : Bytes{};
}

// The first field of `got` that differs from the epoch's vector, or empty.
std::string schedule_mismatch(const EpochSecrets& got, const nlohmann::json& epoch) {
  const std::pair<const char*, const SecretBytes*> fields[] = {
      {"joiner_secret", &got.joiner_secret},
      {"welcome_secret", &got.welcome_secret},
      {"sender_data_secret", &got.sender_data_secret},
      {"encryption_secret", &got.encryption_secret},
      {"exporter_secret", &got.exporter_secret},
      {"external_secret", &got.external_secret},
      {"confirmation_key", &got.confirmation_key},
      {"membership_key", &got.membership_key},
      {"resumption_psk", &got.resumption_psk},
      {"epoch_authenticator", &got.epoch_authenticator},
      {"init_secret", &got.init_secret},
  };
  for (const auto& [name, secret] : fields) {
    if (to_bytes(secret->view()) != schedule_hex(epoch.at(name))) return name;
  }
  return {};
}

void schedule_check_extras(const CipherSuite& suite, const EpochSecrets& got,
                           const nlohmann::json& epoch) {
  const auto& exporter = epoch.at("exporter");
  // The vectors' exporter label is a string used as it is (its characters happen to be hex).
  const auto label = exporter.at("label").get<std::string>();
  const auto exported =
      mls_exporter(suite, got.exporter_secret.view(), label, schedule_hex(exporter.at("context")),
                   exporter.at("length").get<std::uint16_t>());
  ASSERT_TRUE(exported);
  EXPECT_EQ(to_bytes(exported->view()), schedule_hex(exporter.at("secret"))) << "exporter";

  const auto external = external_key_pair(suite, got.external_secret.view());
  ASSERT_TRUE(external);
  EXPECT_EQ(to_bytes(external->public_key.bytes()), schedule_hex(epoch.at("external_pub")));
}

void schedule_check_case(const CipherSuite& suite, const nlohmann::json& item) {
  const Bytes group_id = schedule_hex(item.at("group_id"));
  SecretBytes init_secret = SecretBytes::copy_of(schedule_hex(item.at("initial_init_secret")));
  const auto& epochs = item.at("epochs");
  ASSERT_EQ(epochs.size(), 5u);
  for (std::uint64_t n = 0; n < epochs.size(); ++n) {
    SCOPED_TRACE("epoch " + std::to_string(n));
    const auto& epoch = epochs[n];
    const Bytes context = schedule_group_context(
        static_cast<std::uint16_t>(suite.id()), group_id, n, schedule_hex(epoch.at("tree_hash")),
        schedule_hex(epoch.at("confirmed_transcript_hash")));
    EXPECT_EQ(context, schedule_hex(epoch.at("group_context")));
    const Bytes psk = schedule_hex(epoch.at("psk_secret"));
    const auto got = derive_epoch_secrets(suite, init_secret.view(),
                                          schedule_hex(epoch.at("commit_secret")), psk, context);
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(schedule_mismatch(*got, epoch), "");
    schedule_check_extras(suite, *got, epoch);

    const auto joined = derive_epoch_secrets_from_joiner(
        suite, schedule_hex(epoch.at("joiner_secret")), psk, context);
    ASSERT_TRUE(joined);
    EXPECT_EQ(schedule_mismatch(*joined, epoch), "") << "from the joiner_secret";
    EXPECT_EQ(schedule_mismatch(got->clone(), epoch), "") << "a clone";
    init_secret = got->init_secret.clone();
  }
}

TEST(MlsKeyScheduleTest, OfficialVectorsMatchEveryEpochAndSecret) {
  int run = 0;
  for (const auto& item : schedule_cases()) {
    const auto id = item.at("cipher_suite").get<std::uint16_t>();
    if (!vectors::suite_implemented(id)) continue;
    SCOPED_TRACE("suite " + std::to_string(id));
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    schedule_check_case(*suite, item);
    ++run;
  }
  EXPECT_EQ(run, 2);
}

TEST(MlsKeyScheduleTest, OfficialVectorsOtherSuitesAreSkipped) {
  const auto counts = vectors::count_suites(schedule_cases());
  EXPECT_EQ(counts.run, 2);
  EXPECT_EQ(counts.skipped, 5);
  GTEST_SKIP() << counts.skipped << " key-schedule cases skipped: " << counts.reasons;
}

TEST(MlsKeyScheduleTest, InputsMustBeHashSized) {
  const auto suite = CipherSuite::from_id(3);
  ASSERT_TRUE(suite);
  const Bytes ok(32), short_secret(31);
  EXPECT_TRUE(derive_epoch_secrets(*suite, ok, ok, ok, {}));
  for (int which = 0; which < 3; ++which) {
    const auto got =
        derive_epoch_secrets(*suite, which == 0 ? short_secret : ok, which == 1 ? short_secret : ok,
                             which == 2 ? short_secret : ok, {});
    ASSERT_FALSE(got) << which;
    EXPECT_EQ(got.error().code, Errc::invalid_length);
  }
  EXPECT_FALSE(derive_epoch_secrets_from_joiner(*suite, short_secret, ok, {}));
}

TEST(MlsKeyScheduleTest, WelcomeKeyAndNonceHaveTheAeadSizes) {
  for (std::uint16_t id : {1, 3}) {
    const auto suite = CipherSuite::from_id(id);
    ASSERT_TRUE(suite);
    const auto key = welcome_key_nonce(*suite, Bytes(32, std::byte{5}));
    ASSERT_TRUE(key);
    EXPECT_EQ(key->key.size(), suite->aead_key_size());
    EXPECT_EQ(key->nonce.size(), 12u);
    // §12.4.3.1: welcome_key = ExpandWithLabel(welcome_secret, "key", "", Nk).
    const auto expanded = suite->expand_with_label(Bytes(32, std::byte{5}), "key", {},
                                                   static_cast<std::uint16_t>(key->key.size()));
    ASSERT_TRUE(expanded);
    EXPECT_EQ(to_bytes(expanded->view()), to_bytes(key->key.view()));
  }
}

}  // namespace
}  // namespace bulwark::protocol::mls
