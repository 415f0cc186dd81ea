// Transcript hashes and confirmation tags against the official transcript-hashes.json: the
// vector's AuthenticatedContent decodes with our decoder, and the confirmed and interim hashes
// after it and its confirmation tag match. Suites 1 and 3 run; the others are skipped.
#include "protocol/mls/transcript.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "protocol/mls/messages/messages.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

const nlohmann::json& transcript_cases() {
  static const nlohmann::json cases = bulwark::testing::load_json(
      bulwark::testing::shared_vector_path("mls/transcript-hashes.json"));
  return cases;
}

bool transcript_suite_runs(const nlohmann::json& item) {
  const auto suite = item.at("cipher_suite").get<int>();
  return suite == 1 || suite == 3;
}

Bytes transcript_hex(const nlohmann::json& item, const char* name) {
  return bulwark::testing::hex(item.at(name).get<std::string>());
}

TEST(MlsTranscriptTest, OfficialVectorsMatchForSuitesOneAndThree) {
  std::size_t run = 0;
  for (const auto& item : transcript_cases()) {
    if (!transcript_suite_runs(item)) continue;
    const Bytes encoded = transcript_hex(item, "authenticated_content");
    const auto content = deserialize_authenticated_content(encoded);
    ASSERT_TRUE(content) << content.error().describe();
    const auto reencoded = serialize(*content);
    ASSERT_TRUE(reencoded);
    EXPECT_EQ(*reencoded, encoded);
    ASSERT_EQ(content_type(content->content.content), ContentType::commit);
    ASSERT_TRUE(content->auth.confirmation_tag);
    const Bytes& tag = *content->auth.confirmation_tag;

    const auto confirmed =
        confirmed_transcript_hash(transcript_hex(item, "interim_transcript_hash_before"), *content);
    ASSERT_TRUE(confirmed);
    EXPECT_EQ(to_hex(*confirmed), item.at("confirmed_transcript_hash_after").get<std::string>());
    const auto interim = interim_transcript_hash(*confirmed, tag);
    ASSERT_TRUE(interim);
    EXPECT_EQ(to_hex(*interim), item.at("interim_transcript_hash_after").get<std::string>());

    const Bytes key = transcript_hex(item, "confirmation_key");
    EXPECT_EQ(confirmation_tag(key, *confirmed), tag);
    EXPECT_TRUE(verify_confirmation_tag(key, *confirmed, tag));
    Bytes forged = tag;
    forged[0] ^= std::byte{1};
    EXPECT_FALSE(verify_confirmation_tag(key, *confirmed, forged));
    EXPECT_FALSE(verify_confirmation_tag(key, *confirmed, {tag.data(), tag.size() - 1}));
    ++run;
  }
  EXPECT_EQ(run, 2u);
}

TEST(MlsTranscriptTest, OnlyCommitsEnterTheTranscript) {
  const auto content = deserialize_authenticated_content(
      transcript_hex(transcript_cases().at(0), "authenticated_content"));
  ASSERT_TRUE(content);
  AuthenticatedContent proposal = *content;
  proposal.content.content = Proposal{Remove{1}};
  proposal.auth.confirmation_tag.reset();
  const auto refused = confirmed_transcript_hash({}, proposal);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
}

TEST(MlsTranscriptTest, OtherSuitesAreSkipped) {
  std::size_t skipped = 0;
  for (const auto& item : transcript_cases()) skipped += transcript_suite_runs(item) ? 0 : 1;
  EXPECT_EQ(skipped, 5u);
  RecordProperty("skipped_cases", static_cast<int>(skipped));
  GTEST_SKIP() << skipped
               << " transcript cases of suites 2, 4, 5, 6, 7 skipped: those suites are not "
                  "implemented (only 1 and 3 are)";
}

}  // namespace
}  // namespace bulwark::protocol::mls
