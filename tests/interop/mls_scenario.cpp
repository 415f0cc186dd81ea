// See mls_scenario.h.
#include "mls_scenario.h"

#include <utility>

namespace bulwark::interop {

void PrintTo(const MlsCase& c, std::ostream* out) {
  *out << c.first << " + " << c.second << ", suite " << c.suite;
}

std::vector<MlsCase> mls_cases() {
  const std::pair<const char*, const char*> kinds[] = {
      {"ts-mls", "ts-mls"}, {"bulwark", "ts-mls"}, {"ts-mls", "bulwark"}, {"bulwark", "bulwark"}};
  std::vector<MlsCase> cases;
  for (const auto& [first, second] : kinds) {
    for (int suite : {1, 3}) cases.push_back({first, second, suite});
  }
  return cases;
}

std::string mls_case_name(const ::testing::TestParamInfo<MlsCase>& info) {
  return mls_kind_test_name(info.param.first) + "With" + mls_kind_test_name(info.param.second) +
         "Suite" + std::to_string(info.param.suite);
}

void MlsScenarioTest::SetUp() {
  for (const auto& kind : {GetParam().first, GetParam().second}) {
    if (auto why = missing_mls_dependency(kind); !why.empty()) FAIL() << why;
  }
}

MlsPeer& MlsScenarioTest::peer(const std::string& name, const std::string& kind) {
  peers_.push_back(std::make_unique<MlsPeer>(kind, name, GetParam().suite));
  return *peers_.back();
}

MlsPeer& MlsScenarioTest::peer(const std::string& name) {
  return peer(name, peers_.size() % 2 == 0 ? GetParam().first : GetParam().second);
}

MlsGroupState MlsScenarioTest::form(MlsPeer& creator, const std::vector<MlsPeer*>& joiners) {
  EXPECT_EQ(creator.create_group(group_id_), 0u);
  std::vector<std::string> key_packages;
  for (auto* joiner : joiners) key_packages.push_back(joiner->key_package());
  auto add = creator.add(group_id_, key_packages);
  for (auto* joiner : joiners) EXPECT_EQ(joiner->join(add), group_id_) << joiner->name();
  std::vector<MlsPeer*> members = {&creator};
  members.insert(members.end(), joiners.begin(), joiners.end());
  return same_state(members);
}

MlsGroupState MlsScenarioTest::same_state(const std::vector<MlsPeer*>& members) {
  auto reference = members.front()->state(group_id_);
  for (auto* member : members) {
    EXPECT_EQ(member->state(group_id_), reference)
        << member->name() << " disagrees with " << members.front()->name();
  }
  return reference;
}

::testing::AssertionResult MlsScenarioTest::accepted(MlsPeer& receiver, const std::string& message,
                                                     const std::string& kind) {
  auto response = receiver.process(group_id_, message);
  if (!response["ok"].get<bool>() || response.value("kind", "") != kind) {
    return ::testing::AssertionFailure() << receiver.name() << ": " << response.dump();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult MlsScenarioTest::rejected(MlsPeer& receiver,
                                                     const std::string& message) {
  auto before = receiver.state(group_id_);
  auto response = receiver.process(group_id_, message);
  if (response["ok"].get<bool>() || !response["error"].is_string()) {
    return ::testing::AssertionFailure() << receiver.name() << " accepted: " << response.dump();
  }
  if (receiver.state(group_id_) != before) {
    return ::testing::AssertionFailure() << receiver.name() << "'s state changed on refusal";
  }
  return ::testing::AssertionSuccess();
}

void MlsScenarioTest::talk(MlsPeer& sender, const std::vector<MlsPeer*>& receivers) {
  const std::string text = "from " + sender.name();
  auto message = sender.encrypt(group_id_, text);
  for (auto* receiver : receivers) {
    auto response = receiver->process(group_id_, message);
    EXPECT_TRUE(response["ok"].get<bool>() && response.value("kind", "") == "application" &&
                mls_bytes_field(response, "plaintext") == text)
        << receiver->name() << " from " << sender.name() << ": " << response.dump();
  }
}

void MlsScenarioTest::talk_all(const std::vector<MlsPeer*>& members) {
  for (auto* sender : members) {
    std::vector<MlsPeer*> others;
    for (auto* member : members) {
      if (member != sender) others.push_back(member);
    }
    talk(*sender, others);
  }
}

}  // namespace bulwark::interop
