// §10.1 KeyPackage validation for the group, split so that each signature is verified once:
// the KeyPackage's own signature here, its LeafNode's by LeafValidator::check_new_leaf
// (which also checks the leaf's capabilities against the group). key_package.h's
// validate_key_package checks both signatures, and check_new_leaf would verify the leaf's
// again.
#include <algorithm>
#include <string>

#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "protocol/mls/group/group_rules.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::string_view key_package_label = "KeyPackageTBS";

bool default_extension(ExtensionType type) {
  const auto value = static_cast<std::uint16_t>(type);
  return value >= 1 && value <= 5;
}

Result<void> check_lifetime(const LeafNode& leaf, std::optional<std::uint64_t> now) {
  if (leaf.leaf_node_source != LeafNodeSource::key_package || !leaf.lifetime) {
    return fail(Errc::invalid_message, "a KeyPackage's leaf must have source key_package");
  }
  if (now && (*now < leaf.lifetime->not_before || *now > leaf.lifetime->not_after)) {
    return fail(Errc::invalid_message, "the KeyPackage is outside its lifetime");
  }
  return {};
}

}  // namespace

Result<void> check_hpke_key(ByteView key, const char* what) {
  if (!crypto::X25519PublicKey::from_bytes(key)) {
    return fail(Errc::invalid_message, std::string(what) + ": not an X25519 public key");
  }
  return {};
}

Result<crypto::Ed25519PublicKey> check_key_package(const CipherSuite& suite,
                                                   const KeyPackage& key_package,
                                                   std::optional<std::uint64_t> now) {
  if (key_package.version != ProtocolVersion::mls10) {
    return fail(Errc::invalid_message, "KeyPackage of another protocol version");
  }
  if (key_package.cipher_suite != static_cast<std::uint16_t>(suite.id())) {
    return fail(Errc::invalid_message, "KeyPackage of another cipher suite");
  }
  const LeafNode& leaf = key_package.leaf_node;
  BULWARK_TRY(check_hpke_key(key_package.init_key, "KeyPackage init_key"));
  BULWARK_TRY(check_hpke_key(leaf.encryption_key, "KeyPackage encryption_key"));
  if (key_package.init_key == leaf.encryption_key) {
    return fail(Errc::invalid_message, "the KeyPackage's init_key is its encryption_key");
  }
  BULWARK_TRY(check_lifetime(leaf, now));
  for (const Extension& extension : key_package.extensions) {
    const auto& listed = leaf.capabilities.extensions;
    if (!default_extension(extension.extension_type) &&
        std::find(listed.begin(), listed.end(), extension.extension_type) == listed.end()) {
      return fail(Errc::invalid_message, "a KeyPackage extension is not in its capabilities");
    }
  }
  const Bytes tbs = BULWARK_TRY(key_package_tbs(key_package));
  auto signature_key = crypto::Ed25519PublicKey::from_bytes(leaf.signature_key);
  if (!signature_key) {
    return fail(Errc::auth_failed, "MLS signature key is not a valid Ed25519 key");
  }
  BULWARK_TRY(
      suite.verify_with_label(*signature_key, key_package_label, tbs, key_package.signature));
  return *signature_key;
}

}  // namespace bulwark::protocol::mls
