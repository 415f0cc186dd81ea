// Runs one passive-client vector case (test-vectors.md "Passive Client Scenarios"): join from
// the Welcome with the vector's keys, tree and external PSKs, compare the epoch
// authenticator, then for each epoch process its proposals and commit and compare again.
// The result names the first mismatch or failure, or is empty when the case passes.
#pragma once

#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/mls/group/group.h"
#include "protocol/mls/key_package.h"
#include "protocol/mls/messages/messages.h"
#include "protocol/mls/vector_suites.h"
#include "support/vectors.h"

namespace bulwark::protocol::mls::passive {

inline Bytes field(const nlohmann::json& item, const char* key) {
  return bulwark::testing::hex(item.at(key).get<std::string>());
}

inline std::string describe(const Error& error) { return error.describe(); }

inline Result<KeyPackageBundle> bundle_of(const CipherSuite& suite, const nlohmann::json& item) {
  const MLSMessage message = BULWARK_TRY(deserialize_mls_message(field(item, "key_package")));
  const auto* key_package = std::get_if<KeyPackage>(&message.body);
  if (key_package == nullptr) return fail(Errc::invalid_message, "key_package is not one");
  const Bytes init = field(item, "init_priv");
  const Bytes encryption = field(item, "encryption_priv");
  crypto::X25519SecretKey init_key = BULWARK_TRY(crypto::X25519SecretKey::from_bytes(init));
  crypto::X25519SecretKey leaf_key = BULWARK_TRY(crypto::X25519SecretKey::from_bytes(encryption));
  KeyPackageRef ref = BULWARK_TRY(key_package_ref(suite, *key_package));
  return KeyPackageBundle{*key_package, KeyPackagePrivate{std::move(init_key), std::move(leaf_key)},
                          std::move(ref)};
}

inline std::string auth_mismatch(const Group& group, const Bytes& expected, const std::string& at) {
  const ByteView got = group.epoch_authenticator().view();
  if (Bytes(got.begin(), got.end()) == expected) return {};
  return at + ": epoch_authenticator differs";
}

// The first failure of the case, or empty.
inline std::string run_case(const nlohmann::json& item) {
  const auto suite = CipherSuite::from_id(item.at("cipher_suite").get<std::uint16_t>());
  if (!suite) return "suite: " + describe(suite.error());
  auto bundle = bundle_of(*suite, item);
  if (!bundle) return "key package: " + describe(bundle.error());
  auto signer = crypto::Ed25519SecretKey::from_seed(field(item, "signature_priv"));
  if (!signer) return "signature_priv: " + describe(signer.error());
  std::vector<ExternalPsk> psks;
  for (const auto& psk : item.at("external_psks")) {
    psks.push_back({field(psk, "psk_id"), SecretBytes::copy_of(field(psk, "psk"))});
  }
  std::optional<Bytes> tree;
  if (!item.at("ratchet_tree").is_null()) tree = field(item, "ratchet_tree");
  std::optional<ByteView> tree_view;
  if (tree) tree_view = ByteView(*tree);
  auto joined =
      Group::join(field(item, "welcome"), tree_view, std::span(&*bundle, 1), *signer, psks);
  if (!joined) return "join: " + describe(joined.error());
  Group group = std::move(*joined);
  std::string mismatch = auth_mismatch(group, field(item, "initial_epoch_authenticator"), "join");
  if (!mismatch.empty()) return mismatch;
  int epoch = 0;
  for (const auto& step : item.at("epochs")) {
    const std::string at = "epoch step " + std::to_string(epoch++);
    for (const auto& proposal : step.at("proposals")) {
      auto processed = group.process(bulwark::testing::hex(proposal.get<std::string>()));
      if (!processed) return at + " proposal: " + describe(processed.error());
      group = std::move(*processed->group);
    }
    auto processed = group.process(field(step, "commit"));
    if (!processed) return at + " commit: " + describe(processed.error());
    if (!processed->group) return at + ": the commit removed the passive client";
    group = std::move(*processed->group);
    mismatch = auth_mismatch(group, field(step, "epoch_authenticator"), at);
    if (!mismatch.empty()) return mismatch;
  }
  return {};
}

// Runs every case of a file: suites 1 and 3 must pass; others are counted as skipped and
// reported.
inline void run_file(const char* file, int expected_run) {
  const auto cases = bulwark::testing::load_json(bulwark::testing::shared_vector_path(file));
  const auto counts = vectors::count_suites(cases);
  int index = 0;
  for (const auto& item : cases) {
    const auto suite = item.at("cipher_suite").get<std::uint16_t>();
    const int at = index++;
    if (!vectors::suite_implemented(suite)) continue;
    EXPECT_EQ(run_case(item), "") << file << " case " << at << " (suite " << suite << ")";
  }
  EXPECT_EQ(counts.run, expected_run);
  ::testing::Test::RecordProperty("run", counts.run);
  ::testing::Test::RecordProperty("skipped", counts.skipped);
  std::cout << "[ vectors  ] " << file << ": " << counts.run << " run, " << counts.skipped
            << " skipped (" << counts.reasons << ")\n";
}

}  // namespace bulwark::protocol::mls::passive
