// A client's checkpoint policy (kt/checkpoint_policy.h): the log's signature and a quorum of
// configured witnesses, each counted once; everything else is refused.
#include "kt/checkpoint_policy.h"

#include <gtest/gtest.h>

#include "kt/note.h"

namespace bulwark::kt {
namespace {

crypto::Ed25519SecretKey key(std::uint8_t b) {
  return crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{b})).value();
}

struct Fixture {
  NoteSigner log = NoteSigner::create("bulwark.test/kt", key(1)).value();
  std::vector<crypto::Ed25519SecretKey> witness_keys;
  CheckpointPolicy policy{"bulwark.test/kt",
                          NoteVerifier::create("bulwark.test/kt", key(1).public_key()).value(),
                          {},
                          2};
  std::string body = checkpoint_body(Checkpoint{"bulwark.test/kt", 5, leaf_hash({}), {}});

  Fixture() {
    for (std::uint8_t i = 0; i < 3; ++i) {
      witness_keys.push_back(key(static_cast<std::uint8_t>(10 + i)));
      policy.witnesses.push_back(
          CosignerKey::create("w" + std::to_string(i), witness_keys.back().public_key()).value());
    }
  }

  std::string note_with(std::initializer_list<int> witnesses, bool log_signed = true) const {
    Note note{body, {}};
    if (log_signed) note.signatures.push_back(log.sign(body));
    for (const int w : witnesses) {
      note.signatures.push_back(cosign(witness_keys[static_cast<std::size_t>(w)],
                                       "w" + std::to_string(w), body,
                                       1'700'000'000 + static_cast<std::uint64_t>(w)));
    }
    return format_note(note);
  }
};

TEST(CheckpointPolicyTest, AcceptsTheLogSignatureWithAQuorumOfWitnesses) {
  const Fixture f;
  const auto trusted = verify_checkpoint(f.policy, f.note_with({0, 2}));
  ASSERT_TRUE(trusted) << trusted.error().describe();
  EXPECT_EQ(trusted->checkpoint.size, 5u);
  EXPECT_EQ(trusted->cosigned_by, (std::vector<std::string>{"w0", "w2"}));
  EXPECT_EQ(trusted->oldest_cosignature_time, 1'700'000'000u);
}

TEST(CheckpointPolicyTest, RefusesTooFewWitnessesOrNoLogSignature) {
  const Fixture f;
  EXPECT_EQ(verify_checkpoint(f.policy, f.note_with({1})).error().code, Errc::auth_failed);
  EXPECT_EQ(verify_checkpoint(f.policy, f.note_with({0, 1, 2}, false)).error().code,
            Errc::auth_failed);
}

TEST(CheckpointPolicyTest, UnknownAndRepeatedWitnessesCountForNothing) {
  Fixture f;
  // A stranger's cosignature, and the same witness configured twice.
  Note note{f.body, {f.log.sign(f.body), cosign(key(99), "stranger", f.body, 1)}};
  note.signatures.push_back(cosign(f.witness_keys[0], "w0", f.body, 2));
  f.policy.witnesses.push_back(f.policy.witnesses[0]);
  EXPECT_EQ(verify_checkpoint(f.policy, format_note(note)).error().code, Errc::auth_failed);
}

TEST(CheckpointPolicyTest, RefusesAnotherOriginAndAlteredBodies) {
  Fixture f;
  f.policy.origin = "other.example/kt";
  EXPECT_EQ(verify_checkpoint(f.policy, f.note_with({0, 1})).error().code, Errc::invalid_proof);
  Fixture g;
  std::string altered = g.note_with({0, 1});
  altered[g.body.find('\n') + 1] = '6';  // the size line
  EXPECT_FALSE(verify_checkpoint(g.policy, altered));
  EXPECT_FALSE(verify_checkpoint(g.policy, "not a note"));
}

}  // namespace
}  // namespace bulwark::kt
