// KeyPackages (RFC 9420 §10): creating one with its private keys, its KeyPackageRef, and the
// checks §10.1 asks before a KeyPackage is used to add its owner to a group.
//
// The wire struct (KeyPackage, LeafNode, Capabilities, Lifetime) is in messages/; this file
// adds the cryptography: the init and encryption key pairs, the LeafNodeTBS and
// KeyPackageTBS signatures, and their verification.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/credential.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/key_package.h"

namespace bulwark::protocol::mls {

// Versions {mls10}, cipher suites {1, 3}, credentials {basic}, and no non-default extensions
// or proposals (§7.2: the default ones must not be listed).
[[nodiscard]] Capabilities default_capabilities();

// A lifetime that never expires: not_before 0, not_after 2^63 - 1 (ts-mls's default).
[[nodiscard]] Lifetime unbounded_lifetime() noexcept;

// What a new KeyPackage says about its owner. The signature key is the signer's public key.
struct KeyPackageParams {
  Credential credential;
  Capabilities capabilities = default_capabilities();
  Lifetime lifetime = unbounded_lifetime();
  std::vector<Extension> leaf_extensions = {};  // LeafNode.extensions
  std::vector<Extension> extensions = {};       // KeyPackage.extensions
};

// The private half of a KeyPackage: the init key decrypts the Welcome's GroupSecrets, the
// encryption key is the owner's leaf HPKE key once it joins.
struct KeyPackagePrivate {
  crypto::X25519SecretKey init_key;
  crypto::X25519SecretKey encryption_key;

  [[nodiscard]] KeyPackagePrivate clone() const {
    return KeyPackagePrivate{init_key.clone(), encryption_key.clone()};
  }
};

struct KeyPackageBundle {
  KeyPackage key_package;
  KeyPackagePrivate private_keys;
  KeyPackageRef ref;
};

// Fresh init and encryption key pairs from `rng`, leaf_node_source key_package, the LeafNode
// and the KeyPackage signed by `signer`. invalid_argument if a non-default extension of either
// list is missing from the capabilities, or the credential type is.
[[nodiscard]] Result<KeyPackageBundle> create_key_package(const CipherSuite& suite,
                                                          const crypto::Ed25519SecretKey& signer,
                                                          KeyPackageParams params, Rng& rng);

// RefHash("MLS 1.0 KeyPackage Reference", KeyPackage) (§5.2), with the KeyPackage's suite,
// which `suite` must be (invalid_argument otherwise).
[[nodiscard]] Result<KeyPackageRef> key_package_ref(const CipherSuite& suite,
                                                    const KeyPackage& key_package);

// The §10.1 checks for a KeyPackage offered for a group of `suite`, at Unix time `now`
// (seconds): version mls10 and the suite (invalid_message); init_key, encryption_key and
// signature_key are valid keys of the suite (invalid_message); init_key differs from
// encryption_key (invalid_message); the leaf's source is key_package and its lifetime holds
// `now` (invalid_message); the credential type and every non-default extension are in the
// capabilities (invalid_message); the LeafNode and KeyPackage signatures verify with
// signature_key (auth_failed). No maximum lifetime is imposed: peers publish packages valid
// from 0 to 2^63 - 1. Credential validation (who the identity is) is the caller's.
[[nodiscard]] Result<void> validate_key_package(const CipherSuite& suite,
                                                const KeyPackage& key_package, std::uint64_t now);

// The LeafNode part of the checks above, shared with leaves that arrive in other ways: the
// signature over LeafNodeTBS (group_id and leaf_index are used for update and commit leaves
// only), the credential type and extensions against the capabilities. auth_failed for a bad
// signature, invalid_message otherwise.
[[nodiscard]] Result<void> verify_leaf_node(const CipherSuite& suite, const LeafNode& leaf,
                                            ByteView group_id, std::uint32_t leaf_index);

// SignWithLabel(signer, "LeafNodeTBS", LeafNodeTBS): sets leaf.signature.
[[nodiscard]] Result<void> sign_leaf_node(const CipherSuite& suite,
                                          const crypto::Ed25519SecretKey& signer, LeafNode& leaf,
                                          ByteView group_id, std::uint32_t leaf_index);

}  // namespace bulwark::protocol::mls
