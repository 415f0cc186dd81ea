// KeyPackage (RFC 9420 §10): a client's signed offer to be added to groups, and the
// KeyPackageTBS encoding its signature covers.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     HPKEPublicKey init_key;
//     LeafNode leaf_node;
//     Extension extensions<V>;
//     /* SignWithLabel(., "KeyPackageTBS", KeyPackageTBS) */
//     opaque signature<V>;
// } KeyPackage;
struct KeyPackage {
  ProtocolVersion version = ProtocolVersion::mls10;
  std::uint16_t cipher_suite = 0;
  Bytes init_key;
  LeafNode leaf_node;
  std::vector<Extension> extensions;
  Bytes signature;

  bool operator==(const KeyPackage&) const = default;
};

void encode(TlsWriter& w, const KeyPackage& v);
[[nodiscard]] Result<KeyPackage> decode_key_package(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const KeyPackage& v);
[[nodiscard]] Result<KeyPackage> deserialize_key_package(ByteView input);

// struct {
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     HPKEPublicKey init_key;
//     LeafNode leaf_node;
//     Extension extensions<V>;
// } KeyPackageTBS;
[[nodiscard]] Result<Bytes> key_package_tbs(const KeyPackage& v);

}  // namespace bulwark::protocol::mls
