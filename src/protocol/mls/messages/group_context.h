// GroupContext (RFC 9420 §8.1): the summary of a group's state that every epoch's key
// schedule, signature (FramedContentTBS) and GroupInfo binds to.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     ProtocolVersion version = mls10;
//     CipherSuite cipher_suite;
//     opaque group_id<V>;
//     uint64 epoch;
//     opaque tree_hash<V>;
//     opaque confirmed_transcript_hash<V>;
//     Extension extensions<V>;
// } GroupContext;
//
// `= mls10` fixes the value (RFC 8446 §3.8): any other version is refused both ways.
struct GroupContext {
  ProtocolVersion version = ProtocolVersion::mls10;
  std::uint16_t cipher_suite = 0;
  Bytes group_id;
  std::uint64_t epoch = 0;
  Bytes tree_hash;
  Bytes confirmed_transcript_hash;
  std::vector<Extension> extensions;

  bool operator==(const GroupContext&) const = default;
};

void encode(TlsWriter& w, const GroupContext& v);
[[nodiscard]] Result<GroupContext> decode_group_context(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const GroupContext& v);
[[nodiscard]] Result<GroupContext> deserialize_group_context(ByteView input);

}  // namespace bulwark::protocol::mls
