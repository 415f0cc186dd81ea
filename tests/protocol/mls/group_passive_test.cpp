// The group state machine against the official passive-client vectors (suites 1 and 3; the
// other suites are counted and reported as skipped): joining from a Welcome, and following
// the group through PublicMessage proposals (by reference) and commits.
#include <gtest/gtest.h>

#include <string>

#include "protocol/mls/support/passive_client.h"

namespace bulwark::protocol::mls {
namespace {

TEST(MlsGroupPassiveTest, JoinsEveryWelcomeVector) {
  passive::run_file("mls/passive-client-welcome.json", 16);
}

TEST(MlsGroupPassiveTest, FollowsEveryHandlingCommitVector) {
  passive::run_file("mls/passive-client-handling-commit.json", 26);
}

TEST(MlsGroupPassiveTest, FollowsTheRandomVectorFor200Epochs) {
  passive::run_file("mls/passive-client-random.json", 1);
}

// Cases of suites other than 1 and 3 are not run: say so as a skipped test with the count.
TEST(MlsGroupPassiveTest, OtherSuitesAreSkipped) {
  int skipped = 0;
  std::string reasons;
  for (const char* file :
       {"mls/passive-client-welcome.json", "mls/passive-client-handling-commit.json",
        "mls/passive-client-random.json"}) {
    const auto counts = vectors::count_suites(
        bulwark::testing::load_json(bulwark::testing::shared_vector_path(file)));
    skipped += counts.skipped;
    if (counts.skipped > 0) reasons += std::string(file) + ": " + counts.reasons;
  }
  GTEST_SKIP() << skipped << " passive-client cases skipped: " << reasons;
}

}  // namespace
}  // namespace bulwark::protocol::mls
