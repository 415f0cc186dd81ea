// PrivateMessage (RFC 9420 §6.3): the encrypted framing, the plaintext it encrypts
// (PrivateMessageContent), the encrypted SenderData, and the two AAD structures.
//
// This file only encodes; the encryption (keys from the secret tree, the sender-data key and
// nonce from a ciphertext sample, reuse_guard) is the framing layer's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/framing.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
//     opaque authenticated_data<V>;
//     opaque encrypted_sender_data<V>;
//     opaque ciphertext<V>;
// } PrivateMessage;
struct PrivateMessage {
  Bytes group_id;
  std::uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  Bytes authenticated_data;
  Bytes encrypted_sender_data;
  Bytes ciphertext;

  bool operator==(const PrivateMessage&) const = default;
};

// struct {
//     select (PrivateMessage.content_type) {
//         case application:
//           opaque application_data<V>;
//         case proposal:
//           Proposal proposal;
//         case commit:
//           Commit commit;
//     };
//     FramedContentAuthData auth;
//     opaque padding[length_of_padding];
// } PrivateMessageContent;
//
// `padding` is the number of zero bytes after auth, chosen by the sender (the caller). The
// decoder takes every byte after auth as padding and refuses any that is not zero (§6.3.1).
struct PrivateMessageContent {
  ContentBody content;
  FramedContentAuthData auth;
  std::size_t padding = 0;

  bool operator==(const PrivateMessageContent&) const = default;
};

// struct {
//     uint32 leaf_index;
//     uint32 generation;
//     opaque reuse_guard[4];
// } SenderData;
struct SenderData {
  std::uint32_t leaf_index = 0;
  std::uint32_t generation = 0;
  std::array<std::byte, 4> reuse_guard{};

  bool operator==(const SenderData&) const = default;
};

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
//     opaque authenticated_data<V>;
// } PrivateContentAAD;
struct PrivateContentAAD {
  Bytes group_id;
  std::uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  Bytes authenticated_data;

  bool operator==(const PrivateContentAAD&) const = default;
};

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
// } SenderDataAAD;
struct SenderDataAAD {
  Bytes group_id;
  std::uint64_t epoch = 0;
  ContentType content_type = ContentType::application;

  bool operator==(const SenderDataAAD&) const = default;
};

void encode(TlsWriter& w, const PrivateMessage& v);
[[nodiscard]] Result<PrivateMessage> decode_private_message(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const PrivateMessage& v);
[[nodiscard]] Result<PrivateMessage> deserialize_private_message(ByteView input);

void encode(TlsWriter& w, const PrivateMessageContent& v);
// Reads to the end of `r`: what follows auth is padding. `type` is PrivateMessage.content_type.
[[nodiscard]] Result<PrivateMessageContent> decode_private_message_content(TlsReader& r,
                                                                           ContentType type);
[[nodiscard]] Result<Bytes> serialize(const PrivateMessageContent& v);
[[nodiscard]] Result<PrivateMessageContent> deserialize_private_message_content(ByteView input,
                                                                                ContentType type);

void encode(TlsWriter& w, const SenderData& v);
[[nodiscard]] Result<SenderData> decode_sender_data(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const SenderData& v);
[[nodiscard]] Result<SenderData> deserialize_sender_data(ByteView input);

void encode(TlsWriter& w, const PrivateContentAAD& v);
[[nodiscard]] Result<PrivateContentAAD> decode_private_content_aad(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const PrivateContentAAD& v);
void encode(TlsWriter& w, const SenderDataAAD& v);
[[nodiscard]] Result<SenderDataAAD> decode_sender_data_aad(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const SenderDataAAD& v);

}  // namespace bulwark::protocol::mls
