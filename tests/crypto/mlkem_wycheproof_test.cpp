// ML-KEM-768 and ML-KEM-1024 against every Wycheproof file in shared/vectors/mlkem/:
// KeyGen from seeds, Encaps with the modulus check, Decaps with implicit rejection, and the
// semi-expanded decapsulation-key validation. Every "invalid" vector must fail; every test in
// each file must be run (counted against numberOfTests).
#include <gtest/gtest.h>

#include <string>

#include "crypto/hash.h"
#include "crypto/detail/kem_internal.h"
#include "crypto/kem.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using testing::hex;
using testing::load_json;
using testing::shared_vector_path;

struct KemApi {
  Result<KemKeyPair> (*keypair_from_seed)(ByteView);
  Result<KemEncapsulation> (*encapsulate_with_message)(ByteView, ByteView);
  Result<SecretBytes> (*decapsulate)(const SecretBytes&, ByteView);
};

KemApi api_for(const std::string& parameter_set) {
  if (parameter_set == "ML-KEM-768") {
    return {mlkem768::keypair_from_seed, detail::mlkem768::encapsulate_with_message,
            mlkem768::decapsulate};
  }
  if (parameter_set == "ML-KEM-1024") {
    return {mlkem1024::keypair_from_seed, detail::mlkem1024::encapsulate_with_message,
            mlkem1024::decapsulate};
  }
  throw std::runtime_error("unknown parameter set " + parameter_set);
}

std::string label(const nlohmann::json& group, const nlohmann::json& test) {
  return group["parameterSet"].get<std::string>() + " tcId " + std::to_string(test["tcId"].get<int>()) +
         " " + test.value("comment", "");
}

void check_keygen(const KemApi& kem, const nlohmann::json& group, const nlohmann::json& test) {
  auto pair = kem.keypair_from_seed(hex(test["seed"].get<std::string>()));
  ASSERT_TRUE(pair) << label(group, test);
  EXPECT_EQ(to_hex(pair->public_key), test["ek"].get<std::string>()) << label(group, test);
  EXPECT_EQ(to_hex(pair->secret_key.view()), test["dk"].get<std::string>()) << label(group, test);
}

void check_encaps(const KemApi& kem, const nlohmann::json& group, const nlohmann::json& test) {
  auto result = kem.encapsulate_with_message(hex(test["ek"].get<std::string>()),
                                             hex(test["m"].get<std::string>()));
  if (test["result"] == "invalid") {
    EXPECT_FALSE(result) << label(group, test);
    return;
  }
  ASSERT_TRUE(result) << label(group, test);
  EXPECT_EQ(to_hex(result->ciphertext), test["c"].get<std::string>()) << label(group, test);
  EXPECT_EQ(to_hex(result->shared_secret.view()), test["K"].get<std::string>())
      << label(group, test);
}

// Seed -> KeyGen (checking ek when given) -> Decaps(c). An invalid vector must fail at one of
// the two steps: a seed of the wrong length at KeyGen, a ciphertext of the wrong length at Decaps.
void check_full(const KemApi& kem, const nlohmann::json& group, const nlohmann::json& test) {
  auto pair = kem.keypair_from_seed(hex(test["seed"].get<std::string>()));
  if (!pair && test["result"] == "invalid") {
    EXPECT_EQ(pair.error().code, Errc::invalid_length) << label(group, test);
    return;
  }
  ASSERT_TRUE(pair) << label(group, test);
  if (test.contains("ek") && !test["ek"].get<std::string>().empty()) {
    EXPECT_EQ(to_hex(pair->public_key), test["ek"].get<std::string>()) << label(group, test);
  }
  auto shared = kem.decapsulate(pair->secret_key, hex(test["c"].get<std::string>()));
  if (test["result"] == "invalid") {
    EXPECT_FALSE(shared) << label(group, test);
    return;
  }
  ASSERT_TRUE(shared) << label(group, test);
  EXPECT_EQ(to_hex(shared->view()), test["K"].get<std::string>()) << label(group, test);
}

void check_expanded_decaps(const KemApi& kem, const nlohmann::json& group,
                           const nlohmann::json& test) {
  const SecretBytes dk = SecretBytes::copy_of(hex(test["dk"].get<std::string>()));
  auto shared = kem.decapsulate(dk, hex(test["c"].get<std::string>()));
  if (test["result"] == "invalid") {
    EXPECT_FALSE(shared) << label(group, test);
    return;
  }
  ASSERT_TRUE(shared) << label(group, test);
  EXPECT_EQ(to_hex(shared->view()), test["K"].get<std::string>()) << label(group, test);
}

// Runs every test of one Wycheproof file and returns how many ran.
int run_file(const std::string& name) {
  const auto file = load_json(shared_vector_path("mlkem/" + name));
  int ran = 0;
  for (const auto& group : file["testGroups"]) {
    const KemApi kem = api_for(group["parameterSet"].get<std::string>());
    const std::string type = group["type"].get<std::string>();
    for (const auto& test : group["tests"]) {
      if (type == "MLKEMKeyGen") {
        check_keygen(kem, group, test);
      } else if (type == "MLKEMEncapsTest") {
        check_encaps(kem, group, test);
      } else if (type == "MLKEMTest") {
        check_full(kem, group, test);
      } else if (type == "MLKEMDecapsValidationTest") {
        check_expanded_decaps(kem, group, test);
      } else {
        ADD_FAILURE() << "unknown test group type " << type;
      }
      ++ran;
    }
  }
  EXPECT_EQ(ran, file["numberOfTests"].get<int>()) << name;
  return ran;
}

TEST(MlKemWycheproofTest, Keygen768FromSeedMatchesEveryVector) {
  EXPECT_EQ(run_file("mlkem_768_keygen_seed_test.json"), 100);
}

TEST(MlKemWycheproofTest, Encaps768MatchesAndRejectsUnreducedOrMisSizedKeys) {
  EXPECT_EQ(run_file("mlkem_768_encaps_test.json"), 265);
}

TEST(MlKemWycheproofTest, Decaps768MatchesIncludingImplicitRejection) {
  EXPECT_EQ(run_file("mlkem_768_test.json"), 193);
}

TEST(MlKemWycheproofTest, Decaps1024MatchesIncludingImplicitRejection) {
  EXPECT_EQ(run_file("mlkem_1024_test.json"), 193);
}

TEST(MlKemWycheproofTest, SemiExpanded768KeysAreValidatedBeforeUse) {
  EXPECT_EQ(run_file("mlkem_768_semi_expanded_decaps_test.json"), 9);
}

TEST(MlKemWycheproofTest, SemiExpanded1024KeysAreValidatedBeforeUse) {
  EXPECT_EQ(run_file("mlkem_1024_semi_expanded_decaps_test.json"), 9);
}

}  // namespace
}  // namespace bulwark::crypto
