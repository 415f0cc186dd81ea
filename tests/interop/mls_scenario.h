// A base fixture for live MLS scenarios over the peer protocol (tests/interop/mls/README.md):
// each parameter is a pairing of peer kinds and a cipher suite, each member a separate peer
// process, and the test plays the delivery service. Shared by mls_adversarial_test.cpp and
// mls_churn_test.cpp (mls_interop_test.cpp predates it and keeps its own).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "mls_driver.h"

namespace bulwark::interop {

// Members alternate between the two kinds in the order a test creates them (first, second,
// first, ...), unless a test names the kind.
struct MlsCase {
  std::string first;
  std::string second;
  int suite = 1;
};
void PrintTo(const MlsCase& c, std::ostream* out);

// {ts-mls, bulwark}^2 x suites {1, 3}.
[[nodiscard]] std::vector<MlsCase> mls_cases();
[[nodiscard]] std::string mls_case_name(const ::testing::TestParamInfo<MlsCase>& info);

class MlsScenarioTest : public ::testing::TestWithParam<MlsCase> {
 protected:
  void SetUp() override;

  // A new client of the given kind.
  MlsPeer& peer(const std::string& name, const std::string& kind);
  // A new client of the next kind in the alternation.
  MlsPeer& peer(const std::string& name);

  // `creator` creates the group and adds `joiners` with one commit; they join from its
  // Welcome. Returns the members' common state.
  MlsGroupState form(MlsPeer& creator, const std::vector<MlsPeer*>& joiners);
  // Every listed member reports the state of the first (EXPECTs); returns it.
  MlsGroupState same_state(const std::vector<MlsPeer*>& members);
  // `receiver` processes `message` as a message of `kind` ("commit" or "application").
  ::testing::AssertionResult accepted(MlsPeer& receiver, const std::string& message,
                                      const std::string& kind);
  // `receiver` answers ok:false with an error text, and its state is as it was.
  ::testing::AssertionResult rejected(MlsPeer& receiver, const std::string& message);
  // `sender`'s application message reaches every listed receiver.
  void talk(MlsPeer& sender, const std::vector<MlsPeer*>& receivers);
  // Every member sends one message that every other member reads.
  void talk_all(const std::vector<MlsPeer*>& members);

  std::string group_id_ = "bulwark-mls-scenario";

 private:
  std::vector<std::unique_ptr<MlsPeer>> peers_;
};

}  // namespace bulwark::interop
