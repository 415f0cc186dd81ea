// The group state machine against the official passive-client vectors (suites 1 and 3; the
// other suites are counted and reported as skipped): joining from a Welcome, and following
// the group through PublicMessage proposals (by reference) and commits.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bulwark::protocol::mls
