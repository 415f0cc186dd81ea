// Small hand-built MLS wire values for the message codec tests (not signed: the codec does
// not look at keys or signatures).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>

#include "protocol/mls/messages/messages.h"

namespace bulwark::protocol::mls::message_builders {

inline Bytes filled(std::size_t size, std::uint8_t value) {
  return Bytes(size, static_cast<std::byte>(value));
}

inline LeafNode sample_leaf(LeafNodeSource source) {
  LeafNode leaf;
  leaf.encryption_key = filled(32, 1);
  leaf.signature_key = filled(32, 2);
  leaf.credential = basic_credential(filled(5, 'a'));
  leaf.capabilities.versions = {ProtocolVersion::mls10};
  leaf.capabilities.cipher_suites = {1, 3, 0x0a0a};
  leaf.capabilities.extensions = {static_cast<ExtensionType>(0x1a1a)};
  leaf.leaf_node_source = source;
  if (source == LeafNodeSource::key_package) leaf.lifetime = Lifetime{1, 2};
  if (source == LeafNodeSource::commit) leaf.parent_hash = filled(32, 3);
  leaf.extensions = {Extension{static_cast<ExtensionType>(0x1a1a), filled(3, 9)}};
  leaf.signature = filled(64, 4);
  return leaf;
}

inline ParentNode sample_parent() { return ParentNode{filled(32, 5), filled(32, 6), {0, 2}}; }

inline FramedContent sample_content(Sender sender, ContentBody body) {
  FramedContent content;
  content.group_id = filled(16, 7);
  content.epoch = 42;
  content.sender = sender;
  content.authenticated_data = filled(3, 8);
  content.content = std::move(body);
  return content;
}

// Encodes `value`, decodes the bytes with `decode` (the whole input) and expects the same
// value back; returns the encoding.
template <class T, class Decode>
Bytes expect_round_trip(const T& value, Decode decode) {
  const auto bytes = encode_with([&](TlsWriter& w) { encode(w, value); });
  EXPECT_TRUE(bytes) << bytes.error().describe();
  if (!bytes) return {};
  const auto back = decode_all(*bytes, decode);
  EXPECT_TRUE(back) << back.error().describe();
  if (back) {
    EXPECT_TRUE(*back == value);
  }
  return *bytes;
}

// The error code of encoding `value` (Errc::internal if it encoded).
template <class T>
Errc encode_error(const T& value) {
  const auto bytes = encode_with([&](TlsWriter& w) { encode(w, value); });
  return bytes ? Errc::internal : bytes.error().code;
}

// The error code of decoding `input` whole with `decode` (Errc::internal if it decoded).
template <class Decode>
Errc decode_error(ByteView input, Decode decode) {
  const auto value = decode_all(input, decode);
  return value ? Errc::internal : value.error().code;
}

inline Bytes bytes_of(std::initializer_list<int> values) {
  Bytes out;
  for (const int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

}  // namespace bulwark::protocol::mls::message_builders
