// KeyPackages: creation round-trips and validates, its KeyPackageRef is stable across the
// wire, and each §10.1 rule refuses a package broken in that one way (re-signed, so that the
// rule and not the signature is what refuses it).
#include "protocol/mls/key_package.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "support/seeded_rng.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::uint64_t keypkg_now = 1'790'000'000;  // a Unix time in 2026

struct KeypkgFixture {
  CipherSuite suite = *CipherSuite::from_id(1);
  bulwark::testing::SeededRng rng{41};
  crypto::Ed25519KeyPair signer = crypto::ed25519_keypair(rng);

  KeyPackageBundle make(KeyPackageParams params) {
    auto bundle = create_key_package(suite, signer.secret_key, std::move(params), rng);
    EXPECT_TRUE(bundle) << bundle.error().describe();
    return std::move(*bundle);
  }
  KeyPackageBundle make() {
    return make(KeyPackageParams{basic_credential(to_bytes(as_bytes("alice")))});
  }

  // Signs the leaf and then the package again after a test has changed them.
  void resign(KeyPackage& key_package) {
    ASSERT_TRUE(sign_leaf_node(suite, signer.secret_key, key_package.leaf_node, {}, 0));
    const auto tbs = key_package_tbs(key_package);
    ASSERT_TRUE(tbs);
    key_package.signature = *suite.sign_with_label(signer.secret_key, "KeyPackageTBS", *tbs);
  }
};

Errc keypkg_error(const KeypkgFixture& f, const KeyPackage& key_package,
                  std::uint64_t now = keypkg_now) {
  const auto result = validate_key_package(f.suite, key_package, now);
  EXPECT_FALSE(result);
  return result ? Errc::internal : result.error().code;
}

TEST(MlsKeyPackageTest, CreatedPackageValidatesAndRoundTrips) {
  KeypkgFixture f;
  const KeyPackageBundle bundle = f.make();
  const KeyPackage& kp = bundle.key_package;
  EXPECT_TRUE(validate_key_package(f.suite, kp, keypkg_now));
  EXPECT_EQ(kp.version, ProtocolVersion::mls10);
  EXPECT_EQ(kp.cipher_suite, 1);
  EXPECT_EQ(kp.leaf_node.leaf_node_source, LeafNodeSource::key_package);
  EXPECT_EQ(kp.leaf_node.capabilities, default_capabilities());
  EXPECT_EQ(*kp.leaf_node.lifetime, unbounded_lifetime());
  EXPECT_EQ(unbounded_lifetime().not_after, 0x7fffffffffffffffULL);
  // The private keys belong to the public ones.
  EXPECT_EQ(to_bytes(bundle.private_keys.init_key.public_key().bytes()), kp.init_key);
  EXPECT_EQ(to_bytes(bundle.private_keys.encryption_key.public_key().bytes()),
            kp.leaf_node.encryption_key);
  EXPECT_EQ(to_bytes(f.signer.public_key.bytes()), kp.leaf_node.signature_key);
  // Through the wire and back: the same package, the same ref, still valid.
  const auto wire = serialize(kp);
  ASSERT_TRUE(wire);
  const auto back = deserialize_key_package(*wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, kp);
  const auto ref = key_package_ref(f.suite, *back);
  ASSERT_TRUE(ref);
  EXPECT_EQ(*ref, bundle.ref);
  EXPECT_EQ(ref->size(), 32u);
  EXPECT_EQ(*ref, *f.suite.ref_hash("MLS 1.0 KeyPackage Reference", *wire));
  EXPECT_TRUE(validate_key_package(f.suite, *back, keypkg_now));
}

TEST(MlsKeyPackageTest, PackagesDifferAndRefsTrackEveryByte) {
  KeypkgFixture f;
  const KeyPackageBundle a = f.make();
  const KeyPackageBundle b = f.make();
  EXPECT_NE(a.key_package.init_key, b.key_package.init_key);
  EXPECT_NE(a.ref, b.ref);
  KeyPackage changed = a.key_package;
  changed.signature.back() ^= std::byte{1};
  EXPECT_NE(*key_package_ref(f.suite, changed), a.ref);
  EXPECT_EQ(key_package_ref(*CipherSuite::from_id(3), a.key_package).error().code,
            Errc::invalid_argument);
}

// One broken property of a KeyPackage, re-signed unless the signature is what is broken.
struct KeypkgTamper {
  std::string name;
  std::function<void(KeyPackage&)> tamper;
  bool resign;
  Errc expected;
};

std::vector<KeypkgTamper> keypkg_tamper_cases() {
  return {
      {"version", [](KeyPackage& kp) { kp.version = static_cast<ProtocolVersion>(2); }, true,
       Errc::invalid_message},
      {"suite", [](KeyPackage& kp) { kp.cipher_suite = 3; }, true, Errc::invalid_message},
      {"init key not a key", [](KeyPackage& kp) { kp.init_key.pop_back(); }, true,
       Errc::invalid_message},
      {"init key is encryption key",
       [](KeyPackage& kp) { kp.init_key = kp.leaf_node.encryption_key; }, true,
       Errc::invalid_message},
      {"encryption key not a key", [](KeyPackage& kp) { kp.leaf_node.encryption_key.resize(31); },
       true, Errc::invalid_message},
      {"source update",
       [](KeyPackage& kp) {
         kp.leaf_node.leaf_node_source = LeafNodeSource::update;
         kp.leaf_node.lifetime.reset();
       },
       true, Errc::invalid_message},
      {"not yet valid", [](KeyPackage& kp) { kp.leaf_node.lifetime->not_before = keypkg_now + 1; },
       true, Errc::invalid_message},
      {"expired", [](KeyPackage& kp) { kp.leaf_node.lifetime->not_after = keypkg_now - 1; }, true,
       Errc::invalid_message},
      {"credential type unlisted",
       [](KeyPackage& kp) { kp.leaf_node.capabilities.credentials = {CredentialType::x509}; }, true,
       Errc::invalid_message},
      {"leaf extension unlisted",
       [](KeyPackage& kp) {
         kp.leaf_node.extensions = {Extension{static_cast<ExtensionType>(0x0a0a), {}}};
       },
       true, Errc::invalid_message},
      {"package extension unlisted",
       [](KeyPackage& kp) {
         kp.extensions = {Extension{static_cast<ExtensionType>(0xff00), {}}};
       },
       true, Errc::invalid_message},
      {"package signature", [](KeyPackage& kp) { kp.signature.front() ^= std::byte{0x80}; }, false,
       Errc::auth_failed},
      {"leaf signature", [](KeyPackage& kp) { kp.leaf_node.signature.front() ^= std::byte{0x80}; },
       false, Errc::auth_failed},
      {"leaf changed after signing",
       [](KeyPackage& kp) {
         kp.leaf_node.credential = basic_credential(to_bytes(as_bytes("mallory")));
       },
       false, Errc::auth_failed},
      {"package changed after signing", [](KeyPackage& kp) { kp.init_key.back() ^= std::byte{1}; },
       false, Errc::auth_failed},
  };
}

TEST(MlsKeyPackageTest, EachValidationRuleRefusesATamperedPackage) {
  KeypkgFixture f;
  const KeyPackage good = f.make().key_package;
  KeyPackage resigned = good;  // re-signing alone breaks nothing
  f.resign(resigned);
  EXPECT_TRUE(validate_key_package(f.suite, resigned, keypkg_now));
  for (const auto& c : keypkg_tamper_cases()) {
    SCOPED_TRACE(c.name);
    KeyPackage kp = good;
    c.tamper(kp);
    if (c.resign) f.resign(kp);
    EXPECT_EQ(keypkg_error(f, kp), c.expected);
  }
}

TEST(MlsKeyPackageTest, ListedAndDefaultExtensionsAndGreaseAreAccepted) {
  KeypkgFixture f;
  KeyPackageParams params{basic_credential(to_bytes(as_bytes("bob")))};
  const auto grease = static_cast<ExtensionType>(0x0a0a);
  params.capabilities.extensions = {grease};
  params.capabilities.cipher_suites.push_back(0x1a1a);
  params.leaf_extensions = {Extension{grease, to_bytes(as_bytes("x"))},
                            Extension{ExtensionType::application_id, to_bytes(as_bytes("app"))}};
  params.extensions = {Extension{grease, {}}};
  params.lifetime = Lifetime{keypkg_now - 10, keypkg_now + 10};
  const KeyPackage kp = f.make(std::move(params)).key_package;
  EXPECT_TRUE(validate_key_package(f.suite, kp, keypkg_now));
  EXPECT_TRUE(validate_key_package(f.suite, kp, keypkg_now + 10));
  EXPECT_EQ(keypkg_error(f, kp, keypkg_now + 11), Errc::invalid_message);
}

TEST(MlsKeyPackageTest, CreationRefusesWhatValidationWouldRefuse) {
  KeypkgFixture f;
  KeyPackageParams unlisted{basic_credential(to_bytes(as_bytes("carol")))};
  unlisted.extensions = {Extension{static_cast<ExtensionType>(0x0b0b), {}}};
  auto bundle = create_key_package(f.suite, f.signer.secret_key, std::move(unlisted), f.rng);
  ASSERT_FALSE(bundle);
  EXPECT_EQ(bundle.error().code, Errc::invalid_argument);
  KeyPackageParams x509{basic_credential(to_bytes(as_bytes("dave")))};
  x509.capabilities.credentials = {CredentialType::x509};
  bundle = create_key_package(f.suite, f.signer.secret_key, std::move(x509), f.rng);
  ASSERT_FALSE(bundle);
  EXPECT_EQ(bundle.error().code, Errc::invalid_argument);
}

TEST(MlsKeyPackageTest, LeafNodesOfGroupsSignTheGroupAndIndex) {
  KeypkgFixture f;
  LeafNode leaf = f.make().key_package.leaf_node;
  leaf.leaf_node_source = LeafNodeSource::update;
  leaf.lifetime.reset();
  const Bytes group = to_bytes(as_bytes("group"));
  ASSERT_TRUE(sign_leaf_node(f.suite, f.signer.secret_key, leaf, group, 5));
  EXPECT_TRUE(verify_leaf_node(f.suite, leaf, group, 5));
  EXPECT_EQ(verify_leaf_node(f.suite, leaf, group, 4).error().code, Errc::auth_failed);
  EXPECT_EQ(verify_leaf_node(f.suite, leaf, as_bytes("other"), 5).error().code, Errc::auth_failed);
}

}  // namespace
}  // namespace bulwark::protocol::mls
