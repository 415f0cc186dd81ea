#include "protocol/mls/key_package.h"

#include <algorithm>
#include <utility>

namespace bulwark::protocol::mls {
namespace {

constexpr std::string_view leaf_node_label = "LeafNodeTBS";
constexpr std::string_view key_package_label = "KeyPackageTBS";
constexpr std::string_view key_package_ref_label = "MLS 1.0 KeyPackage Reference";

// §7.2: extension types 1-5 are supported by every client and never listed.
bool is_default_extension(ExtensionType type) noexcept {
  const auto value = static_cast<std::uint16_t>(type);
  return value >= 1 && value <= 5;
}

template <class T>
bool contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Every non-default extension of `list` is listed in the capabilities (§7.2, §10).
bool extensions_supported(const std::vector<Extension>& list, const Capabilities& capabilities) {
  return std::all_of(list.begin(), list.end(), [&](const Extension& extension) {
    return is_default_extension(extension.extension_type) ||
           contains(capabilities.extensions, extension.extension_type);
  });
}

Result<void> check_capabilities(const LeafNode& leaf, const std::vector<Extension>& extensions,
                                Errc code) {
  if (!contains(leaf.capabilities.credentials, leaf.credential.credential_type)) {
    return fail(code, "the leaf's credential type is not in its capabilities");
  }
  if (!extensions_supported(leaf.extensions, leaf.capabilities) ||
      !extensions_supported(extensions, leaf.capabilities)) {
    return fail(code, "an extension is not in the leaf's capabilities");
  }
  return {};
}

Result<void> check_public_keys(const LeafNode& leaf) {
  if (!crypto::X25519PublicKey::from_bytes(leaf.encryption_key)) {
    return fail(Errc::invalid_message, "the leaf's encryption_key is not an X25519 key");
  }
  if (!crypto::Ed25519PublicKey::from_bytes(leaf.signature_key)) {
    return fail(Errc::invalid_message, "the leaf's signature_key is not an Ed25519 key");
  }
  return {};
}

Result<void> check_lifetime(const LeafNode& leaf, std::uint64_t now) {
  if (leaf.leaf_node_source != LeafNodeSource::key_package || !leaf.lifetime) {
    return fail(Errc::invalid_message, "a KeyPackage's leaf must have source key_package");
  }
  if (now < leaf.lifetime->not_before || now > leaf.lifetime->not_after) {
    return fail(Errc::invalid_message, "the KeyPackage is outside its lifetime");
  }
  return {};
}

Result<void> sign_key_package(const CipherSuite& suite, const crypto::Ed25519SecretKey& signer,
                              KeyPackage& key_package) {
  const Bytes tbs = BULWARK_TRY(key_package_tbs(key_package));
  key_package.signature = BULWARK_TRY(suite.sign_with_label(signer, key_package_label, tbs));
  return {};
}

}  // namespace

Capabilities default_capabilities() {
  Capabilities out;
  out.versions = {ProtocolVersion::mls10};
  out.cipher_suites = {
      static_cast<std::uint16_t>(CipherSuiteId::x25519_aes128gcm_sha256_ed25519),
      static_cast<std::uint16_t>(CipherSuiteId::x25519_chacha20poly1305_sha256_ed25519)};
  out.credentials = {CredentialType::basic};
  return out;
}

Lifetime unbounded_lifetime() noexcept { return Lifetime{0, (std::uint64_t{1} << 63) - 1}; }

Result<void> sign_leaf_node(const CipherSuite& suite, const crypto::Ed25519SecretKey& signer,
                            LeafNode& leaf, ByteView group_id, std::uint32_t leaf_index) {
  const Bytes tbs = BULWARK_TRY(leaf_node_tbs(leaf, group_id, leaf_index));
  leaf.signature = BULWARK_TRY(suite.sign_with_label(signer, leaf_node_label, tbs));
  return {};
}

Result<void> verify_leaf_node(const CipherSuite& suite, const LeafNode& leaf, ByteView group_id,
                              std::uint32_t leaf_index) {
  BULWARK_TRY(check_public_keys(leaf));
  BULWARK_TRY(check_capabilities(leaf, {}, Errc::invalid_message));
  const Bytes tbs = BULWARK_TRY(leaf_node_tbs(leaf, group_id, leaf_index));
  return suite.verify_with_label(leaf.signature_key, leaf_node_label, tbs, leaf.signature);
}

Result<KeyPackageBundle> create_key_package(const CipherSuite& suite,
                                            const crypto::Ed25519SecretKey& signer,
                                            KeyPackageParams params, Rng& rng) {
  crypto::X25519KeyPair init = crypto::x25519_keypair(rng);
  crypto::X25519KeyPair encryption = crypto::x25519_keypair(rng);

  KeyPackage key_package;
  key_package.cipher_suite = static_cast<std::uint16_t>(suite.id());
  key_package.init_key = to_bytes(init.public_key.bytes());
  LeafNode& leaf = key_package.leaf_node;
  leaf.encryption_key = to_bytes(encryption.public_key.bytes());
  leaf.signature_key = to_bytes(signer.public_key().bytes());
  leaf.credential = std::move(params.credential);
  leaf.capabilities = std::move(params.capabilities);
  leaf.leaf_node_source = LeafNodeSource::key_package;
  leaf.lifetime = params.lifetime;
  leaf.extensions = std::move(params.leaf_extensions);
  key_package.extensions = std::move(params.extensions);
  BULWARK_TRY(check_capabilities(leaf, key_package.extensions, Errc::invalid_argument));
  BULWARK_TRY(sign_leaf_node(suite, signer, leaf, {}, 0));
  BULWARK_TRY(sign_key_package(suite, signer, key_package));

  KeyPackageRef ref = BULWARK_TRY(key_package_ref(suite, key_package));
  return KeyPackageBundle{
      std::move(key_package),
      KeyPackagePrivate{std::move(init.secret_key), std::move(encryption.secret_key)},
      std::move(ref)};
}

Result<KeyPackageRef> key_package_ref(const CipherSuite& suite, const KeyPackage& key_package) {
  if (key_package.cipher_suite != static_cast<std::uint16_t>(suite.id())) {
    return fail(Errc::invalid_argument, "KeyPackage of another cipher suite");
  }
  const Bytes encoded = BULWARK_TRY(serialize(key_package));
  return suite.ref_hash(key_package_ref_label, encoded);
}

Result<void> validate_key_package(const CipherSuite& suite, const KeyPackage& key_package,
                                  std::uint64_t now) {
  if (key_package.version != ProtocolVersion::mls10) {
    return fail(Errc::invalid_message, "KeyPackage of another protocol version");
  }
  if (key_package.cipher_suite != static_cast<std::uint16_t>(suite.id())) {
    return fail(Errc::invalid_message, "KeyPackage of another cipher suite");
  }
  const LeafNode& leaf = key_package.leaf_node;
  if (!crypto::X25519PublicKey::from_bytes(key_package.init_key)) {
    return fail(Errc::invalid_message, "the KeyPackage's init_key is not an X25519 key");
  }
  if (key_package.init_key == leaf.encryption_key) {
    return fail(Errc::invalid_message, "the KeyPackage's init_key is its encryption_key");
  }
  BULWARK_TRY(check_lifetime(leaf, now));
  BULWARK_TRY(check_capabilities(leaf, key_package.extensions, Errc::invalid_message));
  BULWARK_TRY(verify_leaf_node(suite, leaf, {}, 0));
  const Bytes tbs = BULWARK_TRY(key_package_tbs(key_package));
  return suite.verify_with_label(leaf.signature_key, key_package_label, tbs, key_package.signature);
}

}  // namespace bulwark::protocol::mls
