// The operator's directory (kt/directory.h) and the client's search verification
// (kt/search.h): every search proof the directory serves verifies, against the checkpoint of
// the served size and consistently with earlier ones, and every lie is refused.
#include "kt/directory.h"

#include <string>

#include <gtest/gtest.h>

#include "kt/wire.h"
#include "support/vectors.h"

namespace bulwark::kt {
namespace {

class CountingRng final : public Rng {
 public:
  void fill(MutableByteView out) override {
    for (auto& b : out) b = static_cast<std::byte>(next_++);
  }

 private:
  std::uint8_t next_ = 1;
};

crypto::VrfSecretKey vrf_key(std::uint8_t seed_byte) {
  return crypto::VrfSecretKey::from_seed(Bytes(32, std::byte{seed_byte})).value();
}

Checkpoint checkpoint_of(const Directory& directory, std::uint64_t size) {
  return Checkpoint{"bulwark.test/kt", size, directory.log().root(size), {}};
}

class DirectoryTest : public ::testing::Test {
 protected:
  Directory directory{vrf_key(7)};
  CountingRng rng;
  std::uint64_t now_ms = 1'700'000'000'000;

  void publish_and_serve() {
    (void)directory.publish(now_ms += 1000);
    directory.serve_up_to(directory.size());
  }

  Result<SearchResult> search(std::string_view label, std::optional<LogView> previous = {}) {
    const std::optional<std::uint64_t> from =
        previous ? std::optional<std::uint64_t>(previous->size) : std::nullopt;
    const SearchProof proof = BULWARK_TRY(directory.search(as_bytes(label), from));
    return verify_search(directory.vrf_public_key(), as_bytes(label),
                         checkpoint_of(directory, proof.tree_size), previous, proof);
  }
};

TEST_F(DirectoryTest, SearchShowsTheGreatestPublishedVersion) {
  for (int v = 0; v < 9; ++v) {
    ASSERT_EQ(directory.update(as_bytes("alice"), as_bytes("keys " + std::to_string(v)), rng)
                  .value(),
              static_cast<std::uint32_t>(v));
    ASSERT_TRUE(directory.update(as_bytes("bob" + std::to_string(v)), as_bytes("b"), rng));
    publish_and_serve();
    const auto found = search("alice");
    ASSERT_TRUE(found) << found.error().describe();
    EXPECT_EQ(found->version, static_cast<std::uint32_t>(v));
    EXPECT_EQ(found->value, to_bytes(as_bytes("keys " + std::to_string(v))));
  }
}

TEST_F(DirectoryTest, UpdatesAreInvisibleUntilPublishedAndServed) {
  ASSERT_TRUE(directory.update(as_bytes("alice"), as_bytes("v0"), rng));
  publish_and_serve();
  ASSERT_TRUE(directory.update(as_bytes("alice"), as_bytes("v1"), rng));
  EXPECT_EQ(search("alice")->version, 0u);
  (void)directory.publish(now_ms += 1000);
  EXPECT_EQ(search("alice")->version, 0u);  // published, not yet cosigned and served
  directory.serve_up_to(directory.size());
  EXPECT_EQ(search("alice")->version, 1u);
  EXPECT_EQ(directory.search(as_bytes("carol"), std::nullopt).error().code, Errc::not_found);
}

TEST_F(DirectoryTest, EmptyEpochsStillExtendTheLog) {
  ASSERT_TRUE(directory.update(as_bytes("alice"), as_bytes("v0"), rng));
  publish_and_serve();
  const LogView first{directory.size(), directory.log().root()};
  for (int i = 0; i < 5; ++i) publish_and_serve();
  EXPECT_EQ(directory.size(), 6u);
  const auto found = search("alice", first);
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->timestamp_ms, now_ms);
}

TEST_F(DirectoryTest, ProofFromAForkedLogIsRefused) {
  ASSERT_TRUE(directory.update(as_bytes("alice"), as_bytes("v0"), rng));
  publish_and_serve();
  publish_and_serve();
  // What a client saw from another view of the log, of the same size.
  const LogView forked{directory.size(), leaf_hash(as_bytes("another history"))};
  publish_and_serve();
  const auto result = search("alice", forked);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_proof);
  // And a checkpoint older than one already seen.
  const LogView newer{directory.size() + 1, directory.log().root()};
  const SearchProof proof = directory.search(as_bytes("alice"), std::nullopt).value();
  EXPECT_FALSE(verify_search(directory.vrf_public_key(), as_bytes("alice"),
                             checkpoint_of(directory, proof.tree_size), newer, proof));
}

TEST_F(DirectoryTest, EveryTamperingWithASearchProofIsRefused) {
  for (int v = 0; v < 6; ++v) {
    ASSERT_TRUE(directory.update(as_bytes("alice"), as_bytes("v" + std::to_string(v)), rng));
    publish_and_serve();
  }
  const SearchProof good = directory.search(as_bytes("alice"), std::nullopt).value();
  const Checkpoint checkpoint = checkpoint_of(directory, good.tree_size);
  const auto accepts = [&](const SearchProof& proof, std::string_view label = "alice") {
    return verify_search(directory.vrf_public_key(), as_bytes(label), checkpoint, std::nullopt,
                         proof)
        .has_value();
  };
  ASSERT_TRUE(accepts(good));
  EXPECT_FALSE(accepts(good, "alicf"));

  // Claim an older version with its real value: the ladder shows the newer one exists.
  SearchProof older = good;
  older.version = 4;
  EXPECT_FALSE(accepts(older));
  SearchProof value = good;
  value.value.push_back(std::byte{0});
  EXPECT_FALSE(accepts(value));
  SearchProof opening = good;
  opening.opening[0] ^= std::byte{1};
  EXPECT_FALSE(accepts(opening));
  SearchProof time = good;
  time.timestamp_ms += 1;
  EXPECT_FALSE(accepts(time));
  SearchProof size = good;
  size.tree_size -= 1;
  EXPECT_FALSE(accepts(size));
  for (std::size_t i = 0; i < good.ladder.size(); ++i) {
    SearchProof vrf = good;
    vrf.ladder[i].proof[i % 80] ^= std::byte{1};
    EXPECT_FALSE(accepts(vrf)) << "ladder step " << i;
    SearchProof commitment = good;
    if (commitment.ladder[i].commitment) {
      (*commitment.ladder[i].commitment)[0] ^= std::byte{1};
    } else {
      commitment.ladder[i].commitment = Hash{};
    }
    EXPECT_FALSE(accepts(commitment)) << "ladder commitment " << i;
  }
  SearchProof shorter = good;
  shorter.ladder.pop_back();
  EXPECT_FALSE(accepts(shorter));
  for (std::size_t i = 0; i < good.inclusion.size(); ++i) {
    SearchProof inclusion = good;
    inclusion.inclusion[i][0] ^= std::byte{1};
    EXPECT_FALSE(accepts(inclusion)) << "inclusion " << i;
  }
  // Another directory's VRF key.
  const Directory other{vrf_key(8)};
  EXPECT_FALSE(verify_search(other.vrf_public_key(), as_bytes("alice"), checkpoint,
                             std::nullopt, good));
}

TEST_F(DirectoryTest, AuditEntriesLetAWitnessRecomputeEveryRoot) {
  Auditor auditor;
  for (int e = 0; e < 10; ++e) {
    for (int i = 0; i < e; ++i) {
      ASSERT_TRUE(directory.update(as_bytes("user" + std::to_string(i)), as_bytes("x"), rng));
    }
    (void)directory.publish(now_ms += 1000);
    const AuditEntry entry = directory.audit_entry(directory.size() - 1);
    const AuditEntry decoded = decode_audit_entry(encode_audit_entry(entry).value()).value();
    ASSERT_TRUE(auditor.apply(decoded));
    ASSERT_EQ(auditor.root(), directory.log().root()) << e;
  }
}

TEST_F(DirectoryTest, RestoreReplaysStoredEntriesAndDetectsAlteredOnes) {
  std::vector<Directory::PublishedEntry> stored;
  for (int e = 0; e < 4; ++e) {
    for (int i = 0; i <= e; ++i) {
      ASSERT_TRUE(directory.update(as_bytes("user" + std::to_string(i)), as_bytes("x"), rng));
    }
    stored.push_back(directory.publish(now_ms += 1000));
  }
  directory.serve_up_to(directory.size());

  Directory restored{vrf_key(7)};
  for (const auto& published : stored) {
    ASSERT_TRUE(restored.restore(published.entry, published.versions));
  }
  restored.serve_up_to(restored.size());
  EXPECT_EQ(restored.log().root(), directory.log().root());
  EXPECT_EQ(restored.next_version(as_bytes("user0")), 4u);
  EXPECT_EQ(restored.search(as_bytes("user2"), std::nullopt).value(),
            directory.search(as_bytes("user2"), std::nullopt).value());

  // A commitment changed in the store no longer gives the stored prefix root.
  auto altered = stored;
  altered[2].versions[1].leaf.commitment[0] ^= std::byte{1};
  Directory broken{vrf_key(7)};
  ASSERT_TRUE(broken.restore(altered[0].entry, altered[0].versions));
  ASSERT_TRUE(broken.restore(altered[1].entry, altered[1].versions));
  const auto result = broken.restore(altered[2].entry, altered[2].versions);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_proof);
  // A value changed in the store (its commitment left alone) does not match the commitment,
  // though the prefix root, which covers only commitments, still would.
  auto revalued = stored;
  revalued[1].versions[0].value = to_bytes(as_bytes("y"));
  Directory swapped{vrf_key(7)};
  ASSERT_TRUE(swapped.restore(revalued[0].entry, revalued[0].versions));
  const auto swapped_result = swapped.restore(revalued[1].entry, revalued[1].versions);
  ASSERT_FALSE(swapped_result);
  EXPECT_EQ(swapped_result.error().code, Errc::invalid_proof);
  EXPECT_EQ(swapped.size(), 1u);
  // A version missing from the store leaves its label's next version out of order.
  auto missing = stored;
  missing[1].versions.erase(missing[1].versions.begin());
  Directory gap{vrf_key(7)};
  ASSERT_TRUE(gap.restore(missing[0].entry, missing[0].versions));
  EXPECT_FALSE(gap.restore(missing[1].entry, missing[1].versions));
}

}  // namespace
}  // namespace bulwark::kt
